"""Model runtime: BERT encoders as ONNX graphs, in two heads.

`mean`: a sentence encoder (mean pooled, L2 normalised), the bundled embedding model.
`pair`: a cross-encoder that reads two texts with their token types and gives one logit from
the pooled [CLS] vector, the bundled answer selector (onrecord.rerank.selector).

The embedding graph ships without weights. Each weight is an external-data placeholder that the
runtime replaces, at load, with arrays it takes from the model package's safetensors file
(`encoder_weights`), so the repository holds a few kilobytes instead of 90 MB and the
`onnx` package is needed only to rebuild the graph, never to run it:

    python -m onrecord.index.bert MODEL_DIR OUTPUT.onnx

`encoder_weights` needs numpy only; `build_graph` imports onnx when called.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt
    import onnx

    Array = npt.NDArray[np.float32]

# The opset that has Gelu (exact, erf-based) and LayerNormalization as standard operators.
OPSET = 20


def encoder_weights(tensors: Mapping[str, Any], config: Mapping[str, Any], *, pair: bool = False) -> dict[str, Array]:
    """The graph's weights, named as the graph names them, from a Hugging Face BERT checkpoint.

    Linear weights are transposed once here to (in, out) so that the graph multiplies
    without transposing; query, key and value become one matrix so that each layer's
    projection is one matrix product; the attention scale 1/sqrt(head size) is folded into
    the query weights. For a single-text encoder the token type embedding is added to the
    positions (a single text's token type is always 0); with `pair` it stays its own table,
    and the pooler and classifier (`bert.pooler.dense`, `classifier`) are read too.
    """
    import numpy as np

    hidden = int(config["hidden_size"])
    heads = int(config["num_attention_heads"])
    scale = np.float32(1.0 / np.sqrt(hidden // heads))
    prefix = "bert." if pair and "bert.embeddings.word_embeddings.weight" in tensors else ""

    def get(name: str) -> Array:
        return np.asarray(tensors[prefix + name], dtype=np.float32)

    types = get("embeddings.token_type_embeddings.weight")
    weights: dict[str, Array] = {
        "word_embeddings": get("embeddings.word_embeddings.weight"),
        "position_embeddings": get("embeddings.position_embeddings.weight") + (0 if pair else types[0]),
        "embeddings_norm_weight": get("embeddings.LayerNorm.weight"),
        "embeddings_norm_bias": get("embeddings.LayerNorm.bias"),
    }
    if pair:
        weights["token_type_embeddings"] = types
        weights["pooler_weight"] = get("pooler.dense.weight").T.copy()
        weights["pooler_bias"] = get("pooler.dense.bias")
        weights["classifier_weight"] = np.asarray(tensors["classifier.weight"], dtype=np.float32).T.copy()
        weights["classifier_bias"] = np.asarray(tensors["classifier.bias"], dtype=np.float32)
    for i in range(int(config["num_hidden_layers"])):
        src = f"encoder.layer.{i}."
        attention = src + "attention."
        weights |= {
            f"layer{i}.qkv_weight": np.concatenate(
                [
                    get(attention + "self.query.weight") * scale,
                    get(attention + "self.key.weight"),
                    get(attention + "self.value.weight"),
                ]
            ).T.copy(),
            f"layer{i}.qkv_bias": np.concatenate(
                [
                    get(attention + "self.query.bias") * scale,
                    get(attention + "self.key.bias"),
                    get(attention + "self.value.bias"),
                ]
            ),
            f"layer{i}.attention_out_weight": get(attention + "output.dense.weight").T.copy(),
            f"layer{i}.attention_out_bias": get(attention + "output.dense.bias"),
            f"layer{i}.attention_norm_weight": get(attention + "output.LayerNorm.weight"),
            f"layer{i}.attention_norm_bias": get(attention + "output.LayerNorm.bias"),
            f"layer{i}.intermediate_weight": get(src + "intermediate.dense.weight").T.copy(),
            f"layer{i}.intermediate_bias": get(src + "intermediate.dense.bias"),
            f"layer{i}.output_weight": get(src + "output.dense.weight").T.copy(),
            f"layer{i}.output_bias": get(src + "output.dense.bias"),
            f"layer{i}.output_norm_weight": get(src + "output.LayerNorm.weight"),
            f"layer{i}.output_norm_bias": get(src + "output.LayerNorm.bias"),
        }
    return weights


def build_graph(
    config: Mapping[str, Any],
    shapes: Mapping[str, tuple[int, ...]],
    *,
    pair: bool = False,
    values: Mapping[str, Array] | None = None,
) -> onnx.ModelProto:
    """The encoder graph: token ids and attention mask in, one unit vector per text out; with
    `pair`, token types in too and one logit per pair out (pooled [CLS], then the classifier).

    `shapes` gives each weight's shape, as `encoder_weights` makes them. A weight in `values`
    is stored in the graph; every other is a placeholder the runtime supplies.

    Only standard operators, so that onnxruntime's own optimiser fuses what it can
    (it turns MatMul + Add + Gelu into one BiasGelu kernel on CPU).
    """
    import numpy as np
    from onnx import TensorProto, helper, numpy_helper

    if config.get("hidden_act") != "gelu" or config.get("position_embedding_type", "absolute") != "absolute":
        raise ValueError("only BERT encoders with exact GELU and absolute positions are supported")
    hidden = int(config["hidden_size"])
    heads = int(config["num_attention_heads"])
    eps = float(config["layer_norm_eps"])

    placeholders = []
    for name, shape in shapes.items():
        if values is not None and name in values:
            placeholders.append(numpy_helper.from_array(np.asarray(values[name], dtype=np.float32), name))
            continue
        placeholder = TensorProto(name=name, data_type=TensorProto.FLOAT, dims=shape)
        # The runtime supplies the data; the location is a name, never read from disk.
        placeholder.data_location = TensorProto.EXTERNAL
        placeholder.external_data.add(key="location", value="weights")
        placeholders.append(placeholder)

    constants = [
        numpy_helper.from_array(np.array([0], np.int64), "zero"),
        numpy_helper.from_array(np.array([1], np.int64), "one"),
        numpy_helper.from_array(np.array([2], np.int64), "two"),
        numpy_helper.from_array(np.array([-1], np.int64), "last_axis"),
        numpy_helper.from_array(np.array([1, 2], np.int64), "head_axes"),
        numpy_helper.from_array(np.array([0, 0, heads, hidden // heads], np.int64), "split_heads"),
        numpy_helper.from_array(np.array([0, 0, hidden], np.int64), "merge_heads"),
        numpy_helper.from_array(np.array([hidden, hidden, hidden], np.int64), "qkv_sizes"),
        numpy_helper.from_array(np.array(1.0, np.float32), "one_float"),
        # A padded key gets the lowest float as its score, as transformers does, so its
        # softmax weight is exactly 0.
        numpy_helper.from_array(np.array(np.finfo(np.float32).min, np.float32), "masked_score"),
    ]

    nodes = []

    def node(op: str, inputs: list[str], output: str, **attributes: Any) -> str:
        nodes.append(helper.make_node(op, inputs, [output], name=output, **attributes))
        return output

    def layer_norm(x: str, residual: str, name: str) -> str:
        summed = node("Add", [x, residual], name + "_residual")
        return node("LayerNormalization", [summed, name + "_weight", name + "_bias"], name, axis=-1, epsilon=eps)

    def linear(x: str, name: str) -> str:
        return node("Add", [node("MatMul", [x, name + "_weight"], name + "_product"), name + "_bias"], name)

    def heads_of(x: str, perm: list[int]) -> str:
        return node("Transpose", [node("Reshape", [x, "split_heads"], x + "_heads")], x + "_t", perm=perm)

    length = node("Slice", [node("Shape", ["input_ids"], "ids_shape"), "one", "two"], "length")
    words = node("Gather", ["word_embeddings", "input_ids"], "words")
    positions = node("Slice", ["position_embeddings", "zero", length], "positions")
    if pair:
        types = node("Gather", ["token_type_embeddings", "token_type_ids"], "types")
        positions = node("Add", [positions, types], "placed")
    x = layer_norm(words, positions, "embeddings_norm")
    mask = node("Cast", ["attention_mask"], "mask", to=TensorProto.FLOAT)
    padding = node("Mul", [node("Sub", ["one_float", mask], "padding"), "masked_score"], "padding_scores")
    key_bias = node("Unsqueeze", [padding, "head_axes"], "key_bias")

    for i in range(int(config["num_hidden_layers"])):
        p = f"layer{i}."
        qkv = linear(x, p + "qkv")
        q, k, v = p + "q", p + "k", p + "v"
        nodes.append(helper.make_node("Split", [qkv, "qkv_sizes"], [q, k, v], name=p + "split", axis=-1))
        q, k, v = heads_of(q, [0, 2, 1, 3]), heads_of(k, [0, 2, 3, 1]), heads_of(v, [0, 2, 1, 3])
        scores = node("Add", [node("MatMul", [q, k], p + "raw_scores"), key_bias], p + "scores")
        context = node("MatMul", [node("Softmax", [scores], p + "probs", axis=-1), v], p + "context_heads")
        context = node("Transpose", [context], p + "context_t", perm=[0, 2, 1, 3])
        context = node("Reshape", [context, "merge_heads"], p + "context")
        x = layer_norm(linear(context, p + "attention_out"), x, p + "attention_norm")
        inner = node("Gelu", [linear(x, p + "intermediate")], p + "inner", approximate="none")
        x = layer_norm(linear(inner, p + "output"), x, p + "output_norm")

    inputs = [
        helper.make_tensor_value_info("input_ids", TensorProto.INT64, ["batch", "tokens"]),
        helper.make_tensor_value_info("attention_mask", TensorProto.INT64, ["batch", "tokens"]),
    ]
    if pair:
        # BertPooler (dense + tanh over the first token) and a one-logit classifier.
        first = node("Gather", [x, "zero_scalar"], "first_token", axis=1)
        pooled = node("Tanh", [linear(first, "pooler")], "pooled")
        node("Squeeze", [linear(pooled, "classifier"), "last_axis"], "logit")
        inputs.append(helper.make_tensor_value_info("token_type_ids", TensorProto.INT64, ["batch", "tokens"]))
        output = helper.make_tensor_value_info("logit", TensorProto.FLOAT, ["batch"])
        constants.append(numpy_helper.from_array(np.array(0, np.int64), "zero_scalar"))
        return _model(nodes, "bert_pair_classifier", inputs, output, placeholders + constants)

    # Mean over real tokens only, then unit length: sentence-transformers' Pooling + Normalize.
    token_mask = node("Unsqueeze", [mask, "last_axis"], "token_mask")
    summed = node("ReduceSum", [node("Mul", [x, token_mask], "masked_hidden"), "one"], "summed", keepdims=0)
    counts = node("ReduceSum", [token_mask, "one"], "counts", keepdims=0)
    mean = node("Div", [summed, counts], "mean")
    node("LpNormalization", [mean], "embedding", axis=-1, p=2)

    output = helper.make_tensor_value_info("embedding", TensorProto.FLOAT, ["batch", hidden])
    return _model(nodes, "sentence_bert_encoder", inputs, output, placeholders + constants)


def _model(nodes: list[Any], name: str, inputs: list[Any], output: Any, initializer: list[Any]) -> onnx.ModelProto:
    from onnx import helper

    graph = helper.make_graph(nodes, name, inputs=inputs, outputs=[output], initializer=initializer)
    # IR version 10 is what onnxruntime >= 1.20 reads; pinned so rebuilding gives the same bytes.
    return helper.make_model(graph, opset_imports=[helper.make_opsetid("", OPSET)], ir_version=10)


def main(argv: list[str] | None = None) -> None:
    """Write the graph for the model in MODEL_DIR (config.json, model.safetensors) to OUTPUT."""
    from safetensors.numpy import load_file

    model_dir, output = argv if argv is not None else sys.argv[1:]
    config = json.loads((Path(model_dir) / "config.json").read_text(encoding="utf-8"))
    weights = encoder_weights(load_file(Path(model_dir) / "model.safetensors"), config)
    shapes = {name: tuple(array.shape) for name, array in weights.items()}
    Path(output).write_bytes(build_graph(config, shapes).SerializeToString())


if __name__ == "__main__":
    main()
