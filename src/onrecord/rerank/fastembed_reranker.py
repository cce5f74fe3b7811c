"""Second stage, plugin: fastembed's `TextCrossEncoder` (ONNX cross-encoders, no torch).

    [rerank]
    reranker = "fastembed"
    model = "Xenova/ms-marco-MiniLM-L-6-v2"   # one of TextCrossEncoder.list_supported_models()
    path = "/models/my-cross-encoder"         # optional: a local folder (onnx/model.onnx, tokenizer.json)

Needs `pip install fastembed`. Its scores are logits; they become probabilities here.
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

NAME = "fastembed"


class FastembedReranker:
    """Scores with fastembed's TextCrossEncoder; the model loads on the first `score`."""

    def __init__(self, model: str, path: str | None = None) -> None:
        self.name = f"{NAME}:{model}"
        self.model = model
        self.path = path
        self._encoder: Any = None
        self._lock = threading.Lock()

    def score(self, question: str, candidates: Sequence[str]) -> list[float]:
        if not candidates:
            return []
        logits = list(self._load().rerank(question, list(candidates)))
        return [probability(float(v)) for v in logits]

    def _load(self) -> Any:
        with self._lock:
            if self._encoder is None:
                try:
                    from fastembed.rerank.cross_encoder import TextCrossEncoder
                except ImportError:
                    raise needs("fastembed", "fastembed", NAME) from None
                try:
                    if self.path is not None:
                        self._register_local(TextCrossEncoder)
                    self._encoder = TextCrossEncoder(self.model, specific_model_path=self.path)
                except Exception as exc:  # download, file and model errors alike mean "cannot load"
                    where = self.path or "the model hub (it downloads on first use, so it needs the network once)"
                    raise ConfigError(
                        f"[rerank] model: fastembed could not load {self.model!r} from {where}: {exc}"
                    ) from None
            return self._encoder

    def _register_local(self, encoder: Any) -> None:
        """A model in a local folder is registered under its name, once."""
        from fastembed.common.model_description import ModelSource

        known = {m["model"].lower() for m in encoder.list_supported_models()}
        if self.model.lower() not in known:
            encoder.add_custom_model(self.model, sources=ModelSource(hf=self.model), model_file="onnx/model.onnx")


def make(settings: RerankSettings) -> Reranker:
    if not settings.model:
        raise ConfigError("[rerank] model: the fastembed reranker needs a model name")
    return FastembedReranker(settings.model, settings.path)
