"""Second stage, plugin: a `/rerank` endpoint of a server (vLLM, llama.cpp server, TEI, Infinity).

    [rerank]
    reranker = "http"
    url = "http://127.0.0.1:8080/rerank"
    model = "BAAI/bge-reranker-base"     # sent as `model`; omit it when the server has one
    api_key_env = "ONRECORD_RERANK_KEY"  # the NAME of the variable holding the key, if any
    timeout = 5

The request carries the candidates both as `documents` (Jina and Cohere style: vLLM,
llama.cpp, Infinity) and as `texts` (text-embeddings-inference); the reply may be either
`{"results": [{"index", "relevance_score"}]}` or `[{"index", "score"}]`. Scores are used as
the server gives them. A server that is down, slow or answers nonsense raises
RerankerUnavailable: the caller keeps the first stage's order and logs why.
"""

from __future__ import annotations

import math
import os
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from onrecord.errors import ConfigError
from onrecord.rerank.plugin import Reranker, RerankerUnavailable

if TYPE_CHECKING:
    from onrecord.config import RerankSettings

NAME = "http"


class RemoteReranker:
    """Asks a server's rerank endpoint; one HTTP request per `score`."""

    def __init__(self, url: str, model: str | None, timeout: float, api_key_env: str | None = None) -> None:
        self.name = f"{NAME}:{model or url}"
        self.url = url
        self.model = model
        self.timeout = timeout
        self.api_key_env = api_key_env

    def score(self, question: str, candidates: Sequence[str]) -> list[float]:
        if not candidates:
            return []
        import httpx

        body: dict[str, Any] = {"query": question, "documents": list(candidates), "texts": list(candidates)}
        if self.model:
            body["model"] = self.model
        headers = {}
        if self.api_key_env:
            key = os.environ.get(self.api_key_env)
            if key:
                headers["Authorization"] = f"Bearer {key}"
        try:
            response = httpx.post(self.url, json=body, headers=headers, timeout=self.timeout)
            response.raise_for_status()
            reply = response.json()
        except httpx.HTTPError as exc:
            raise RerankerUnavailable(f"rerank server {self.url}: {type(exc).__name__}: {exc}") from None
        except ValueError:
            raise RerankerUnavailable(f"rerank server {self.url}: the reply is not JSON") from None
        return _scores(reply, len(candidates), self.url)


def _scores(reply: Any, count: int, url: str) -> list[float]:
    """One finite score per candidate from either reply shape, or RerankerUnavailable."""
    rows = reply.get("results") if isinstance(reply, dict) else reply
    if not isinstance(rows, list):
        raise RerankerUnavailable(f"rerank server {url}: no list of results in the reply")
    scores: list[float | None] = [None] * count
    for row in rows:
        if not isinstance(row, dict):
            raise RerankerUnavailable(f"rerank server {url}: a result is not an object")
        index, value = row.get("index"), row.get("relevance_score", row.get("score"))
        # JSON's true and false are not numbers here.
        if isinstance(index, bool) or not isinstance(index, int) or not 0 <= index < count:
            raise RerankerUnavailable(f"rerank server {url}: a result has no valid index: {row!r:.200}")
        if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
            raise RerankerUnavailable(f"rerank server {url}: a result has no valid score: {row!r:.200}")
        scores[index] = float(value)
    if any(s is None for s in scores):
        raise RerankerUnavailable(f"rerank server {url}: {scores.count(None)} of {count} candidates were not scored")
    return [s for s in scores if s is not None]


def make(settings: RerankSettings) -> Reranker:
    if not settings.url:
        raise ConfigError("[rerank] url: the http reranker needs the server's rerank endpoint")
    return RemoteReranker(settings.url, settings.model, settings.timeout, settings.api_key_env)
