"""Reranker plugins load through the registry and score as their libraries do: the
sentence-transformers and fastembed wrappers on a tiny model written here, and the errors a
user meets for a reranker that is unknown, not installed or cannot load."""

from __future__ import annotations

import math
import sys
from pathlib import Path

import pytest

from onrecord.config import RerankSettings
from onrecord.errors import ConfigError
from onrecord.rerank.plugin import get_reranker, registry
from tests.tiny_cross_encoder import hf_folder, onnx_folder

QUESTION = "what oil finish do you use on a table for kids"
CANDIDATES = ["the weather was grey all week", "hardwax oil on a table for kids", "oil and wax mostly"]


@pytest.fixture(scope="module")
def tiny(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return hf_folder(tmp_path_factory.mktemp("tiny") / "hf")


def _direct(folder: Path) -> list[float]:
    """The tiny model run with transformers itself, as probabilities."""
    import torch
    from transformers import AutoTokenizer, BertForSequenceClassification

    tokenizer = AutoTokenizer.from_pretrained(folder)
    model = BertForSequenceClassification.from_pretrained(folder).eval()
    batch = tokenizer([QUESTION] * len(CANDIDATES), CANDIDATES, padding=True, return_tensors="pt")
    with torch.no_grad():
        logits = model(**batch).logits[:, 0]
    return [1 / (1 + math.exp(-float(z))) for z in logits]


def test_the_built_ins_are_registered() -> None:
    assert {"onrecord-answer-selector", "sentence-transformers", "fastembed", "http"} <= set(registry())
    assert get_reranker(RerankSettings(reranker="none")) is None


def test_an_unknown_reranker_is_named_with_the_ones_there_are() -> None:
    with pytest.raises(ConfigError, match=r"unknown reranker 'colbert' \(available: none, fastembed, http"):
        get_reranker(RerankSettings(reranker="colbert"))


def test_sentence_transformers_scores_as_the_model_does(tiny: Path) -> None:
    reranker = get_reranker(RerankSettings(reranker="sentence-transformers", model=str(tiny)))
    assert reranker is not None
    scores = reranker.score(QUESTION, CANDIDATES)
    assert scores == pytest.approx(_direct(tiny), abs=1e-5)
    assert len(set(round(s, 4) for s in scores)) == 3


def test_fastembed_scores_a_local_model_as_the_model_does(tiny: Path, tmp_path: Path) -> None:
    folder = onnx_folder(tiny, tmp_path / "fastembed-tiny")
    settings = RerankSettings(reranker="fastembed", model="onrecord-tests/tiny-cross-encoder", path=str(folder))
    reranker = get_reranker(settings)
    assert reranker is not None
    assert reranker.score(QUESTION, CANDIDATES) == pytest.approx(_direct(tiny), abs=1e-4)


@pytest.mark.parametrize(
    ("name", "package"), [("sentence-transformers", "sentence_transformers"), ("fastembed", "fastembed")]
)
def test_a_plugin_whose_package_is_missing_says_how_to_install_it(
    name: str, package: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, package, None)  # importing it now raises ImportError
    monkeypatch.setitem(sys.modules, f"{package}.rerank.cross_encoder", None)
    reranker = get_reranker(RerankSettings(reranker=name, model="some/model"))
    assert reranker is not None
    with pytest.raises(ConfigError, match=rf"needs the .* package: pip install {name}"):
        reranker.score(QUESTION, CANDIDATES)


def test_a_model_that_cannot_load_is_one_error_naming_it(tmp_path: Path) -> None:
    reranker = get_reranker(RerankSettings(reranker="sentence-transformers", model=str(tmp_path / "nothing-here")))
    assert reranker is not None
    with pytest.raises(ConfigError, match=r"could not load .*nothing-here"):
        reranker.score(QUESTION, CANDIDATES)


@pytest.mark.parametrize("name", ["sentence-transformers", "fastembed"])
def test_a_plugin_needs_a_model(name: str) -> None:
    with pytest.raises(ConfigError, match=r"\[rerank\] model"):
        get_reranker(RerankSettings(reranker=name))
