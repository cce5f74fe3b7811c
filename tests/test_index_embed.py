"""The embedding runtime: parity with sentence-transformers, batching, the plugin contract."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest

from onrecord.errors import ConfigError, OnrecordError
from onrecord.index import embed as embedding
from onrecord.index.embed import EmbeddingModel, embed, get_model, registry
from onrecord.index.minilm import MiniLM

FIXTURES = Path(__file__).parent / "fixtures" / "embed"
REFERENCE = json.loads((FIXTURES / "reference.json").read_text(encoding="utf-8"))
# The reference is rounded to 1e-4; our forward pass differs from torch's by ~3e-7.
TOLERANCE = 1.5e-4


@pytest.fixture(scope="module")
def model() -> EmbeddingModel:
    return get_model("all-MiniLM-L6-v2")


def test_matches_sentence_transformers(model: EmbeddingModel) -> None:
    texts = [entry["text"] for entry in REFERENCE["texts"]]
    vectors = model.embed_batch(texts)
    assert vectors.dtype == np.float32
    assert vectors.shape == (len(texts), 384)
    for vector, entry in zip(vectors, REFERENCE["texts"], strict=True):
        np.testing.assert_allclose(vector[:8], entry["first_dimensions"], atol=TOLERANCE)
    np.testing.assert_allclose(vectors @ vectors.T, REFERENCE["cosines"], atol=TOLERANCE)


def test_long_texts_are_cut_at_256_tokens_like_the_reference(model: EmbeddingModel) -> None:
    long_text = REFERENCE["texts"][-1]["text"]
    tokenizer = MiniLM().tokenizer()
    assert len(tokenizer.encode(long_text).ids) == 256
    # Whatever follows the first 256 tokens changes nothing; a change inside them does.
    longer, changed_start = model.embed_batch([long_text + " and much more after that", "zero " + long_text])
    (vector,) = model.embed_batch([long_text])
    np.testing.assert_allclose(longer, vector, atol=1e-6)
    assert float(changed_start @ vector) < 0.9999


def test_related_sentences_are_closer_than_unrelated_ones(model: EmbeddingModel) -> None:
    password, login, weather = model.embed_batch(
        [
            "How do I reset my password?",
            "I forgot my login details and cannot get into my account.",
            "It was sunny and warm in Lisbon all week.",
        ]
    )
    assert password @ login > password @ weather + 0.2
    assert password @ login > login @ weather + 0.2


def test_a_batch_gives_what_one_by_one_gives(model: EmbeddingModel) -> None:
    texts = ["Short.", "A somewhat longer sentence about the bakery and its first oven.", "", "Yes"]
    together = model.embed_batch(texts)
    alone = np.stack([model.embed_batch([text])[0] for text in texts])
    # Padding to the longest text must not leak into the shorter texts' vectors.
    np.testing.assert_allclose(together, alone, atol=1e-5)


def test_embed_keeps_order_across_batches(model: EmbeddingModel) -> None:
    texts = [f"{'very ' * (i * 7 % 11)}passage number {i} about {topic}" for i, topic in enumerate("abcdefghij")]
    progress: list[int] = []
    vectors = embed(model, texts, batch_size=3, progress=progress.append)
    assert sum(progress) == len(texts) and max(progress) <= 3
    np.testing.assert_allclose(vectors, np.stack([model.embed_batch([t])[0] for t in texts]), atol=1e-5)


def test_empty_inputs(model: EmbeddingModel) -> None:
    assert model.embed_batch([]).shape == (0, 384)
    assert embed(model, [], batch_size=8).shape == (0, 384)
    (vector,) = model.embed_batch([""])
    assert np.isfinite(vector).all()
    assert np.linalg.norm(vector) == pytest.approx(1.0, abs=1e-5)


def test_any_unicode_gives_a_unit_vector(model: EmbeddingModel) -> None:
    texts = [
        "東京は日本の首都です。",
        "Москва — столица России.",
        "😀🚀",
        "naïve café résumé",
        "\u200b\t\n",
        "a" * 5000,
    ]
    vectors = model.embed_batch(texts)
    assert np.isfinite(vectors).all()
    np.testing.assert_allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)
    # Accents are folded, as the model was trained: these two mean the same to it.
    cafe, cafe_accented = model.embed_batch(["cafe", "café"])
    assert float(cafe @ cafe_accented) > 0.9999


def test_lone_surrogates_are_embedded_as_replacement_characters(model: EmbeddingModel) -> None:
    # A CLI argument with a byte that is not UTF-8 arrives as U+DCFF; JSON can spell U+D800.
    broken, replaced = model.embed_batch(["What finish \ud800 do you use?", "What finish \ufffd do you use?"])
    np.testing.assert_allclose(broken, replaced, atol=1e-6)
    (lone,) = model.embed_batch(["\udcff"])
    assert np.isfinite(lone).all()


def test_unknown_model_names_the_ones_there_are() -> None:
    with pytest.raises(ConfigError, match="all-MiniLM-L6-v2"):
        get_model("no-such-model")


def test_missing_model_files_are_reported_with_the_folder(tmp_path: Path) -> None:
    with pytest.raises(OnrecordError, match=str(tmp_path)):
        MiniLM(tmp_path).embed_batch(["hello"])


# A third-party model, installed the way a plugin is: a distribution whose entry point
# names a module-level model. It counts letters, which is enough to check the plumbing.
PLUGIN = """
import numpy as np

class LetterCounts:
    name = "letter-counts"
    dimensions = 26

    def embed_batch(self, texts):
        out = np.zeros((len(texts), 26))  # float64 and not normalised: embed() must fix both
        for row, text in enumerate(texts):
            for ch in text.lower():
                if "a" <= ch <= "z":
                    out[row, ord(ch) - 97] += 1
        return out

class Broken:
    name = "broken"
    dimensions = 4

    def embed_batch(self, texts):
        return np.ones((len(texts) + 1, 4), dtype=np.float32)

letter_counts = LetterCounts()
broken = Broken()
"""


@pytest.fixture
def plugin(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    (tmp_path / "letters_plugin.py").write_text(PLUGIN, encoding="utf-8")
    dist = tmp_path / "letters_plugin-1.0.dist-info"
    dist.mkdir()
    (dist / "METADATA").write_text("Metadata-Version: 2.1\nName: letters-plugin\nVersion: 1.0\n", encoding="utf-8")
    (dist / "entry_points.txt").write_text(
        f"[{embedding.ENTRY_POINT_GROUP}]\nletters = letters_plugin:letter_counts\nbroken = letters_plugin:broken\n",
        encoding="utf-8",
    )
    monkeypatch.syspath_prepend(str(tmp_path))
    registry.cache_clear()
    yield
    registry.cache_clear()
    sys.modules.pop("letters_plugin", None)


@pytest.mark.usefixtures("plugin")
def test_a_plugin_model_registers_beside_the_built_in() -> None:
    assert {"all-MiniLM-L6-v2", "letter-counts", "broken"} <= set(registry())
    model = get_model("letter-counts")
    vectors = embed(model, ["abc", "zzz", "Abc!"], batch_size=2)
    assert vectors.dtype == np.float32
    np.testing.assert_allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-6)
    assert float(vectors[0] @ vectors[2]) == pytest.approx(1.0)
    assert float(vectors[0] @ vectors[1]) == pytest.approx(0.0)


@pytest.mark.usefixtures("plugin")
def test_a_plugin_that_breaks_the_contract_is_named() -> None:
    with pytest.raises(OnrecordError, match="broken returned shape"):
        embed(get_model("broken"), ["one", "two"])


def run_python(code: str) -> str:
    src = str(Path(__file__).parents[1] / "src")
    result = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code)],
        capture_output=True,
        text=True,
        check=True,
        env={"PYTHONPATH": src, "PATH": "/usr/bin:/bin"},
    )
    return result.stdout


def test_importing_the_runtime_loads_nothing_heavy() -> None:
    out = run_python("""
        import sys
        import onrecord.index.embed
        print(sorted(m for m in ("numpy", "onnxruntime", "tokenizers", "torch") if m in sys.modules))
    """)
    assert out.strip() == "[]"


def test_a_query_never_imports_torch() -> None:
    out = run_python("""
        import sys
        from onrecord.index.embed import get_model
        vector = get_model().embed_batch(["what did she say about bread?"])
        print(vector.shape, "torch" in sys.modules)
    """)
    assert out.strip() == "(1, 384) False"


def test_the_committed_graph_is_what_the_builder_makes() -> None:
    pytest.importorskip("onnx", reason="onnx (a dev dependency) rebuilds the graph")
    from importlib.resources import files

    from safetensors.numpy import load_file

    from onrecord.index.bert import build_graph, encoder_weights
    from onrecord.index.minilm import GRAPH, model_dir

    config = json.loads((model_dir() / "config.json").read_text(encoding="utf-8"))
    weights = encoder_weights(load_file(model_dir() / "model.safetensors"), config)
    built = build_graph(config, {name: array.shape for name, array in weights.items()})
    committed = files("onrecord.index").joinpath(GRAPH).read_bytes()
    assert built.SerializeToString() == committed, "rebuild it: python -m onrecord.index.bert MODEL_DIR OUTPUT"
