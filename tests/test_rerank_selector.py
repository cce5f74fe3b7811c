"""An exported answer selector (training/export_selector.py's file shape) loads from `[rerank]
path` without torch, reads the word embeddings from the installed all-MiniLM-L6-v2 package,
scores as the same weights do in transformers, applies its card's calibration, and a missing
or broken file is one clear error.

The selector here is all-MiniLM-L6-v2's lowest two layers with a random one-logit head:
untrained, but every weight and every step of the runtime is the real one."""

from __future__ import annotations

import json
import math
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner

from onrecord.cli.main import main
from onrecord.config import RerankSettings
from onrecord.errors import ConfigError
from onrecord.rerank.plugin import get_reranker
from onrecord.rerank.selector import AnswerSelector

QUESTION = "What finish do you use on a table for kids?"
CANDIDATES = [
    "Dana: For kids I use a hardwax oil, because it is food safe.",
    "Sam: So what finish do you put on a table that kids will use every day?",
    "Dana: I grew up in a small town by the sea and spent summers on boats.",
]
CARD = {
    "name": "test-selector",
    "calibration": {"slope": 0.5, "offset": -0.25, "first_stage": 0.0},
    "no_answer_below": 0.4,
}
LAYERS = 2


def _tensors() -> tuple[dict[str, object], dict[str, np.ndarray]]:
    """The installed model's config and weights, cut to LAYERS layers, with a random head."""
    from safetensors.numpy import load_file

    from onrecord.index.minilm import model_dir

    folder = model_dir()
    config = json.loads((folder / "config.json").read_text(encoding="utf-8"))
    config |= {"num_hidden_layers": LAYERS, "num_labels": 1}
    tensors = {
        "bert." + name: value
        for name, value in load_file(folder / "model.safetensors").items()
        if not name.startswith("encoder.layer.") or int(name.split(".")[2]) < LAYERS
    }
    rng = np.random.default_rng(11)
    tensors["classifier.weight"] = rng.normal(0, 3.0, (1, config["hidden_size"])).astype(np.float32)
    tensors["classifier.bias"] = np.array([0.1], np.float32)
    return config, tensors


@pytest.fixture(scope="module")
def exported(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The selector as an export writes it: the graph without word embeddings, the card beside it."""
    from onrecord.index.bert import build_graph, encoder_weights

    config, tensors = _tensors()
    weights = encoder_weights(tensors, config, pair=True)
    shapes = {name: tuple(array.shape) for name, array in weights.items()}
    kept = {name: array for name, array in weights.items() if name != "word_embeddings"}
    path = tmp_path_factory.mktemp("selector") / "selector.onnx"
    path.write_bytes(build_graph(config, shapes, pair=True, values=kept).SerializeToString())
    path.with_suffix(".json").write_text(json.dumps(CARD), encoding="utf-8")
    return path


def _transformers_logits() -> list[float]:
    """The same weights run by transformers itself (the dev extra has torch)."""
    import torch
    from transformers import AutoTokenizer, BertConfig, BertForSequenceClassification

    from onrecord.index.minilm import model_dir

    config, tensors = _tensors()
    model = BertForSequenceClassification(BertConfig(**config)).eval()
    missing, unexpected = model.load_state_dict(
        {k: torch.from_numpy(np.array(v)) for k, v in tensors.items()}, strict=False
    )
    assert not missing and all(name.endswith("position_ids") for name in unexpected)
    tokenizer = AutoTokenizer.from_pretrained(model_dir())
    batch = tokenizer([QUESTION] * len(CANDIDATES), CANDIDATES, padding=True, return_tensors="pt")
    with torch.no_grad():
        return [float(z) for z in model(**batch).logits[:, 0]]


def test_the_selector_scores_as_its_weights_do_in_transformers(exported: Path) -> None:
    selector = AnswerSelector.from_file(exported)
    logits = selector.logits(QUESTION, CANDIDATES)
    assert logits == pytest.approx(_transformers_logits(), abs=1e-4)
    assert max(logits) - min(logits) > 0.01  # the check is not passed by a constant


def test_scores_are_the_cards_calibration_of_the_logits_in_candidate_order(exported: Path) -> None:
    selector = AnswerSelector.from_file(exported)
    logits = selector.logits(QUESTION, CANDIDATES)
    scores = selector.score(QUESTION, CANDIDATES)
    assert scores == pytest.approx([1 / (1 + math.exp(-(0.5 * z - 0.25))) for z in logits])
    assert selector.score(QUESTION, CANDIDATES[::-1]) == pytest.approx(scores[::-1], abs=1e-6)
    assert selector.score(QUESTION, []) == []
    assert selector.no_answer_below == 0.4 and selector.first_stage_weight == 0.0


def test_the_plugin_loads_the_file_at_rerank_path(exported: Path) -> None:
    reranker = get_reranker(RerankSettings(reranker="onrecord-answer-selector", path=str(exported)))
    assert isinstance(reranker, AnswerSelector) and reranker.card["name"] == "test-selector"


def test_a_missing_path_file_or_card_is_one_clear_error(exported: Path, tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match=r"\[rerank\] path: 'onrecord-answer-selector' needs the .onnx file"):
        get_reranker(RerankSettings(reranker="onrecord-answer-selector"))
    with pytest.raises(ConfigError, match=r"cannot read the answer selector .*nowhere\.onnx"):
        AnswerSelector.from_file(tmp_path / "nowhere.onnx")
    bare = tmp_path / "bare.onnx"
    bare.write_bytes(exported.read_bytes())
    bare.with_suffix(".json").write_text('{"name": "x"}', encoding="utf-8")
    with pytest.raises(ConfigError, match=r"bare\.json: not an answer selector's card"):
        AnswerSelector.from_file(bare)


def test_search_with_a_selector_that_cannot_load_exits_with_one_line(tmp_path: Path) -> None:
    root = tmp_path / "ws"
    runner = CliRunner()
    assert runner.invoke(main, ["-w", str(root), "init"]).exit_code == 0
    config = root / "onrecord.toml"
    missing = tmp_path / "missing.onnx"
    config.write_text(
        config.read_text() + f'\n[rerank]\nreranker = "onrecord-answer-selector"\npath = "{missing}"\n',
        encoding="utf-8",
    )
    result = runner.invoke(main, ["-w", str(root), "search", "what finish for kids?"])
    assert result.exit_code != 0
    assert "missing.onnx" in result.stderr and "Traceback" not in result.stderr


def test_scoring_never_imports_torch(exported: Path) -> None:
    code = (
        "import sys\n"
        "from pathlib import Path\n"
        "from onrecord.rerank.selector import AnswerSelector\n"
        f"print(AnswerSelector.from_file(Path({str(exported)!r})).score({QUESTION!r}, {CANDIDATES!r}))\n"
        "assert not any(m == 'torch' or m.startswith('torch.') for m in sys.modules), 'torch was imported'\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
