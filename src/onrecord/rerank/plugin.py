"""Second stage, the contract: what a reranker is, and where the configured one comes from.

A reranker is a plugin with one method, `score`: a question and candidate texts in, one
score per candidate out, higher meaning "answers it better", ideally a probability. The
bundled answer selector is a plugin like any other; so are the wrappers for
sentence-transformers' `CrossEncoder`, fastembed's `TextCrossEncoder` and a `/rerank` HTTP
endpoint. A third party registers a factory under the `onrecord.rerankers` entry point
group. Importing this module loads no model.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Sequence
from functools import cache
from importlib.metadata import entry_points
from typing import TYPE_CHECKING, Protocol

from onrecord.errors import ConfigError, OnrecordError

if TYPE_CHECKING:
    from onrecord.config import RerankSettings

BUNDLED = "onrecord-answer-selector"
NONE = "none"
ENTRY_POINT_GROUP = "onrecord.rerankers"

# Built-in rerankers: name -> module defining `make(settings) -> Reranker`.
DEFAULT_RERANKERS = {
    BUNDLED: "onrecord.rerank.selector",
    "sentence-transformers": "onrecord.rerank.cross_encoder",
    "fastembed": "onrecord.rerank.fastembed_reranker",
    "http": "onrecord.rerank.remote",
}


class Reranker(Protocol):
    """Scores how well each candidate answers a question.

    `name` identifies the model in logs and figures. `score` returns one float per
    candidate, in order; a probability in [0, 1] when the model can give one (the no-answer
    bar, `[rerank] no_answer_below`, is read on that scale). Loading belongs in the first
    `score`. A reranker that cannot score right now (a server that is down) raises
    RerankerUnavailable, and the first stage's order is kept.
    """

    name: str

    def score(self, question: str, candidates: Sequence[str]) -> list[float]: ...


Factory = Callable[["RerankSettings"], Reranker]


class RerankerUnavailable(OnrecordError):
    """The reranker cannot score now (its server is down, slow or answered nonsense)."""


@cache
def registry() -> dict[str, Factory]:
    """Every reranker factory by name: the built-ins, then any installed plugin."""
    factories: dict[str, Factory] = {}
    for name, module in DEFAULT_RERANKERS.items():
        factories[name] = _lazy(module)
    for ep in entry_points(group=ENTRY_POINT_GROUP):
        factories.setdefault(ep.name, ep.load())
    return factories


def _lazy(module: str) -> Factory:
    """A factory that imports its module only when called (a plugin's dependencies may be absent)."""

    def make(settings: RerankSettings) -> Reranker:
        built: Reranker = importlib.import_module(module).make(settings)
        return built

    return make


def get_reranker(settings: RerankSettings) -> Reranker | None:
    """The configured reranker (None when the second stage is off), or a ConfigError that
    names it and lists the ones there are."""
    if settings.reranker == NONE:
        return None
    factories = registry()
    if settings.reranker not in factories:
        known = ", ".join([NONE, *sorted(factories)])
        raise ConfigError(f"[rerank] reranker: unknown reranker {settings.reranker!r} (available: {known})")
    return factories[settings.reranker](settings)


def needs(package: str, install: str, reranker: str) -> ConfigError:
    """The error for a reranker whose package is not installed."""
    return ConfigError(f"[rerank] reranker: {reranker!r} needs the {package} package: pip install {install}")
