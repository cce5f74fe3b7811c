"""Write a trained answer selector as the ONNX file onrecord ships.

    python training/export_selector.py RUN_DIR/model.pt OUTPUT.onnx [--int8]

Beside OUTPUT.onnx it writes the card OUTPUT.json (from training/answer_selector.json: the
provenance; calibrate_selector.py then adds the calibration). The graph is onrecord.index.bert's pair head. Every weight training changed is stored in
the file; the word embeddings, which training left as they were, are a placeholder that the
runtime fills from the installed all-MiniLM-L6-v2 package (11.7 M numbers not shipped twice).
With --int8 the matrix products are quantised (onnxruntime's dynamic quantisation): a
quarter of the size, and faster on CPU.

Needs torch (to read the checkpoint), onnx and onnxruntime.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from pathlib import Path

import numpy as np
import onnx
import torch
from safetensors.numpy import load_file

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from onrecord.index.bert import build_graph, encoder_weights
from onrecord.index.minilm import model_dir

KEPT_OUT = "word_embeddings"


def weights_of(checkpoint: Path) -> tuple[dict[str, object], dict[str, np.ndarray]]:
    folder = model_dir()
    config = json.loads((folder / "config.json").read_text(encoding="utf-8"))
    state = torch.load(checkpoint, map_location="cpu", weights_only=False)["model"]
    tensors = {name: value.float().numpy() for name, value in state.items()}
    original = load_file(folder / "model.safetensors")["embeddings.word_embeddings.weight"]
    if not np.array_equal(tensors["bert.embeddings.word_embeddings.weight"], original):
        raise SystemExit("the word embeddings were trained: they cannot be read from the model package")
    return config, encoder_weights(tensors, config, pair=True)


def placeholder(model: onnx.ModelProto, name: str) -> None:
    """Turn the stored initializer `name` back into a placeholder the runtime fills."""
    for tensor in model.graph.initializer:
        if tensor.name == name:
            dims = list(tensor.dims)
            tensor.Clear()
            tensor.name = name
            tensor.data_type = onnx.TensorProto.FLOAT
            tensor.dims.extend(dims)
            tensor.data_location = onnx.TensorProto.EXTERNAL
            tensor.external_data.add(key="location", value="weights")
            return
    raise KeyError(name)


def export(checkpoint: Path, output: Path, int8: bool) -> None:
    config, weights = weights_of(checkpoint)
    shapes = {name: tuple(array.shape) for name, array in weights.items()}
    model = build_graph(config, shapes, pair=True, values=weights)
    if int8:
        from onnxruntime.quantization import QuantType, quantize_dynamic

        with tempfile.TemporaryDirectory() as tmp:
            plain, quantised = Path(tmp) / "plain.onnx", Path(tmp) / "int8.onnx"
            onnx.save(model, plain)
            quantize_dynamic(plain, quantised, weight_type=QuantType.QInt8, op_types_to_quantize=["MatMul"])
            model = onnx.load(quantised)
    placeholder(model, KEPT_OUT)
    output.write_bytes(model.SerializeToString())
    card = output.with_suffix(".json")
    if not card.exists():
        card.write_text((Path(__file__).parent / "answer_selector.json").read_text(encoding="utf-8"), encoding="utf-8")
    print(f"{output}: {output.stat().st_size / 1e6:.1f} MB")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("checkpoint", type=Path)
    parser.add_argument("output", type=Path)
    parser.add_argument("--int8", action="store_true")
    args = parser.parse_args(argv)
    export(args.checkpoint, args.output, args.int8)


if __name__ == "__main__":
    main()
