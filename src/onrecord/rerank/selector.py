"""Second stage, a trained answer selector: a cross-encoder exported by training/, run by onnxruntime.

It reads a question and a candidate (candidates.candidate_text) together and gives the
probability that the candidate answers the question. training/README.md says how one is
trained here from public data, starting from all-MiniLM-L6-v2, and exported as one ONNX file
with its card (calibration, operating point, provenance) in the JSON file of the same name
beside it. The graph holds what training changed; the word embeddings, which it left as they
were, come from the installed all-MiniLM-L6-v2 package at load. No torch, no network; nothing
loads until the first `score`.

No selector is bundled: none trained here has yet beaten the first stage alone on the
development questions (docs/decisions.md). Set `[rerank] reranker = "onrecord-answer-selector"`
and `path` to an exported file to use one.
"""

from __future__ import annotations

import json
import threading
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from onrecord.errors import ConfigError, OnrecordError
from onrecord.rerank.encoding import encode_pairs, pair_tokenizer
from onrecord.rerank.odds import probability

if TYPE_CHECKING:
    from collections.abc import Sequence

    from tokenizers import Tokenizer

    from onrecord.config import RerankSettings
    from onrecord.rerank.plugin import Reranker

NAME = "onrecord-answer-selector"
# Pairs scored per model call: a batch pads its pairs to the longest.
BATCH = 16


class AnswerSelector:
    """An exported answer selector; `score` gives calibrated probabilities."""

    name = NAME

    def __init__(self, graph: bytes, card: dict[str, Any], *, threads: int = 0) -> None:
        self._graph = graph
        self.card = card
        self._threads = threads
        self._lock = threading.Lock()
        self._tokenizer: Tokenizer | None = None
        self._session: Any = None

    @classmethod
    def from_file(cls, path: Path) -> AnswerSelector:
        """The selector exported to `path`, its card read from the JSON file beside it."""
        card_path = path.with_suffix(".json")
        try:
            graph = path.read_bytes()
            card = json.loads(card_path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as e:
            raise ConfigError(
                f"[rerank] path: cannot read the answer selector {path} and its card {card_path.name}: {e}"
            ) from e
        missing = [key for key in ("calibration", "no_answer_below") if key not in card]
        if not isinstance(card, dict) or missing or not {"slope", "offset"} <= set(card["calibration"]):
            raise ConfigError(
                f"{card_path}: not an answer selector's card (needs calibration.slope, .offset and no_answer_below)"
            )
        return cls(graph, card)

    @property
    def first_stage_weight(self) -> float:
        """How much the first stage's log-odds count beside the selector's (fitted with the calibration)."""
        return float(self.card["calibration"].get("first_stage", 0.0))

    @property
    def no_answer_below(self) -> float:
        """The measured operating point: under this score the sources do not cover a question."""
        return float(self.card["no_answer_below"])

    def score(self, question: str, candidates: Sequence[str]) -> list[float]:
        """P(candidate answers the question) for each candidate, in order."""
        logits = self.logits(question, candidates)
        calibration = self.card["calibration"]
        slope, offset = float(calibration["slope"]), float(calibration["offset"])
        return [probability(slope * z + offset) for z in logits]

    def logits(self, question: str, candidates: Sequence[str]) -> list[float]:
        """The model's raw scores (before calibration)."""
        if not candidates:
            return []
        tokenizer, session = self._load()
        order = sorted(range(len(candidates)), key=lambda i: len(candidates[i]))
        out = [0.0] * len(candidates)
        for start in range(0, len(order), BATCH):
            rows = order[start : start + BATCH]
            pairs = encode_pairs(tokenizer, question, [candidates[i] for i in rows])
            (logits,) = session.run(
                ["logit"], {"input_ids": pairs.ids, "attention_mask": pairs.mask, "token_type_ids": pairs.types}
            )
            for row, value in zip(rows, logits.tolist(), strict=True):
                out[row] = float(value)
        return out

    def _load(self) -> tuple[Tokenizer, Any]:
        with self._lock:
            if self._session is None:
                from onrecord.index.minilm import model_dir

                folder = model_dir()
                self._tokenizer = self._open_tokenizer(folder)
                self._session = self._open_session(folder)
            assert self._tokenizer is not None
            return self._tokenizer, self._session

    def _open_tokenizer(self, folder: Path) -> Tokenizer:
        from tokenizers import Tokenizer

        try:
            return pair_tokenizer(Tokenizer.from_file(str(folder / "tokenizer.json")))
        except (OSError, ValueError) as e:
            raise OnrecordError(f"{folder}: cannot read the tokenizer of {self.name}: {e}") from e

    def _open_session(self, folder: Path) -> Any:
        import onnxruntime
        from safetensors import safe_open

        try:
            with safe_open(str(folder / "model.safetensors"), framework="numpy") as weights:
                words = weights.get_tensor("embeddings.word_embeddings.weight")
        except (OSError, ValueError, KeyError) as e:
            raise OnrecordError(f"{folder}: cannot read the word embeddings {self.name} uses: {e}") from e
        options = onnxruntime.SessionOptions()
        options.intra_op_num_threads = self._threads
        options.inter_op_num_threads = 1
        options.log_severity_level = 3
        options.add_external_initializers(["word_embeddings"], [onnxruntime.OrtValue.ortvalue_from_numpy(words)])
        try:
            return onnxruntime.InferenceSession(self._graph, options, providers=["CPUExecutionProvider"])
        except Exception as e:  # onnxruntime raises its own exception types for a bad graph
            raise OnrecordError(f"cannot load the answer selector's graph: {e}") from e


@cache
def _load(path: Path) -> AnswerSelector:
    # One selector per file and process: its weights are loaded once.
    return AnswerSelector.from_file(path)


def make(settings: RerankSettings) -> Reranker:
    """The selector exported to `[rerank] path`."""
    if settings.path is None:
        raise ConfigError(
            f"[rerank] path: {NAME!r} needs the .onnx file an export wrote (training/README.md); no selector is bundled"
        )
    return _load(Path(settings.path).resolve())
