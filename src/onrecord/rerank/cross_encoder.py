"""Second stage, plugin: a sentence-transformers `CrossEncoder` (any model it can load).

    [rerank]
    reranker = "sentence-transformers"
    model = "cross-encoder/ms-marco-MiniLM-L6-v2"   # a hub name (downloads on first use) or a folder

Needs `pip install sentence-transformers` (and torch). A model that gives raw logits has
them turned into probabilities, so that `no_answer_below` reads on one scale.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from onrecord.errors import ConfigError
from onrecord.rerank.odds import probability
from onrecord.rerank.plugin import Reranker, needs

if TYPE_CHECKING:
    from onrecord.config import RerankSettings

NAME = "sentence-transformers"


class CrossEncoderReranker:
    """Scores with sentence-transformers' CrossEncoder; the model loads on the first `score`."""

    def __init__(self, model: str, max_length: int = 256) -> None:
        self.name = f"{NAME}:{model}"
        self.model = model
        self.max_length = max_length
        self._encoder: Any = None
        self._probabilities = False
        self._lock = threading.Lock()

    def score(self, question: str, candidates: Sequence[str]) -> list[float]:
        if not candidates:
            return []
        encoder = self._load()
        raw = encoder.predict([(question, text) for text in candidates], convert_to_numpy=True, show_progress_bar=False)
        values = [float(v) for v in raw.reshape(len(candidates), -1)[:, -1]]
        if self._probabilities:
            return values
        return [probability(v) for v in values]

    def _load(self) -> Any:
        with self._lock:
            if self._encoder is None:
                try:
                    from sentence_transformers import CrossEncoder
                except ImportError:
                    raise needs("sentence-transformers", "sentence-transformers", NAME) from None
                try:
                    self._encoder = CrossEncoder(self.model, max_length=self.max_length, device="cpu")
                except Exception as exc:  # the library raises many kinds; every one means "cannot load"
                    raise ConfigError(
                        f"[rerank] model: sentence-transformers could not load {self.model!r} "
                        f"(a hub model downloads on first use, so it needs the network once): {exc}"
                    ) from None
                activation = getattr(self._encoder, "activation_fn", None) or getattr(
                    self._encoder, "default_activation_function", None
                )
                self._probabilities = type(activation).__name__ == "Sigmoid"
            return self._encoder


def make(settings: RerankSettings) -> Reranker:
    if not settings.model:
        raise ConfigError("[rerank] model: the sentence-transformers reranker needs a model (a hub name or a folder)")
    return CrossEncoderReranker(settings.model)
