"""A tiny BERT cross-encoder written at test time, in the two shapes plugins load.

`hf_folder` writes it as sentence-transformers loads it (transformers' config, weights and
tokenizer); `onnx_folder` writes the same weights as fastembed loads a local model
(onnx/model.onnx through onrecord's own graph builder, with the tokenizer files beside it).
Both give the same logits for the same pair, so the two plugins can be checked against
each other and against the model run directly.
"""

from __future__ import annotations

import shutil
from pathlib import Path

WORDS = "what oil finish do you use on a table for kids the weather was grey all week hardwax and wax mostly"


def hf_folder(folder: Path) -> Path:
    """The model as a transformers folder (needs torch and transformers)."""
    import torch
    from transformers import BertConfig, BertForSequenceClassification, BertTokenizerFast

    folder.mkdir(parents=True, exist_ok=True)
    vocab = folder / "vocab.txt"
    vocab.write_text("\n".join(["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", *WORDS.split()]) + "\n", encoding="utf-8")
    tokenizer = BertTokenizerFast(vocab_file=str(vocab), do_lower_case=True, model_max_length=64)
    tokenizer.save_pretrained(folder)
    config = BertConfig(
        vocab_size=len(WORDS.split()) + 5,
        hidden_size=16,
        num_hidden_layers=1,
        num_attention_heads=2,
        intermediate_size=32,
        max_position_embeddings=64,
        initializer_range=0.5,
        num_labels=1,
    )
    torch.manual_seed(7)
    model = BertForSequenceClassification(config)
    with torch.no_grad():  # a head with some spread, so that scores differ visibly
        model.classifier.weight.mul_(4)
    model.save_pretrained(folder, safe_serialization=True)
    return folder


def onnx_folder(hf: Path, folder: Path) -> Path:
    """The same model as fastembed loads it from a folder (needs onnx)."""
    import json

    import onnx
    from onnx import helper, numpy_helper
    from safetensors.numpy import load_file

    from onrecord.index.bert import build_graph, encoder_weights

    config = json.loads((hf / "config.json").read_text(encoding="utf-8"))
    weights = encoder_weights(load_file(hf / "model.safetensors"), config, pair=True)
    model = build_graph(config, {n: tuple(w.shape) for n, w in weights.items()}, pair=True, values=weights)
    # fastembed reads the first output as (pairs, labels).
    graph = model.graph
    graph.node.append(helper.make_node("Unsqueeze", ["logit", "last_axis"], ["logits"], name="logits"))
    del graph.output[:]
    graph.output.append(helper.make_tensor_value_info("logits", onnx.TensorProto.FLOAT, ["batch", 1]))
    assert any(numpy_helper.to_array(t).tolist() == [-1] for t in graph.initializer if t.name == "last_axis")
    (folder / "onnx").mkdir(parents=True, exist_ok=True)
    onnx.save(model, folder / "onnx" / "model.onnx")
    for name in ("tokenizer.json", "tokenizer_config.json", "config.json", "vocab.txt"):
        shutil.copy(hf / name, folder / name)
    return folder
