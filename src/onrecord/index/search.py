"""Hybrid search: BM25 from the store and dense cosine over passage vectors, fused by rank.

Each result carries a calibrated score: the estimated probability that the passage is
relevant to the query, from its dense similarity and its lexical rank (see calibrate.py),
so that "the archive does not cover this" can be decided from it.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from onrecord.errors import InputError
from onrecord.index import calibrate
from onrecord.model import Passage
from onrecord.store import Scope, Store

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt

    from onrecord.index.embed import EmbeddingModel

# Each ranker contributes its best CANDIDATES; reciprocal rank fusion merges them.
CANDIDATES = 60
RRF_K = 30
MAX_QUERY_CHARS = 2000
MAX_K = 200


@dataclass(slots=True)
class Hit:
    passage: Passage
    score: float
    dense: float
    lexical_rank: int | None


class Searcher:
    """Searches one store with one embedding model; holds the vectors in memory."""

    def __init__(self, store: Store, model: EmbeddingModel, batch_size: int = 32) -> None:
        self.store = store
        self.model = model
        self.batch_size = batch_size
        self._ids: list[int] | None = None
        self._matrix: npt.NDArray[np.float32] | None = None

    def pending(self) -> int:
        """How many passages still need a vector."""
        return len(self.store.missing_embeddings(self.model.name))

    def update(self, progress: Callable[[int], None] | None = None) -> int:
        """Embed every passage without a vector; returns how many were embedded."""
        from onrecord.index.embed import embed

        missing = self.store.missing_embeddings(self.model.name)
        step = max(self.batch_size * 8, 256)
        for start in range(0, len(missing), step):
            chunk = missing[start : start + step]
            vectors = embed(self.model, [text for _, text in chunk], batch_size=self.batch_size)
            self.store.add_embeddings(self.model.name, [pid for pid, _ in chunk], vectors)
            if progress is not None:
                progress(len(chunk))
        if missing:
            self._ids = None
        return len(missing)

    def _vectors(self) -> tuple[list[int], npt.NDArray[np.float32]]:
        if self._ids is None or self._matrix is None:
            self._ids, self._matrix = self.store.embeddings(self.model.name)
        return self._ids, self._matrix

    def search(self, query: str, k: int = 10, scope: Scope | None = None) -> list[Hit]:
        """The k passages that best answer `query`, best first."""
        return self.search_many([query], k, scope)[0]

    def search_many(self, queries: Sequence[str], k: int = 10, scope: Scope | None = None) -> list[list[Hit]]:
        import numpy as np

        for query in queries:
            check_query(query)
        if not 1 <= k <= MAX_K:
            raise InputError(f"k must be between 1 and {MAX_K}, got {k}", path="-k")
        ids, matrix = self._vectors()
        allowed = self.store.scope_ids(scope) if scope is not None else None
        mask = None
        if allowed is not None and ids:
            mask = np.fromiter((pid in allowed for pid in ids), dtype=bool, count=len(ids))
        query_vectors = self.model.embed_batch([q[:MAX_QUERY_CHARS] for q in queries])
        results = []
        for query, qv in zip(queries, query_vectors, strict=True):
            dense: dict[int, float] = {}
            dense_rank: dict[int, int] = {}
            if len(ids):
                sims = matrix @ qv
                if mask is not None:
                    sims = np.where(mask, sims, -np.inf)
                top = np.argpartition(-sims, min(CANDIDATES, len(ids) - 1))[:CANDIDATES]
                top = top[np.argsort(-sims[top])]
                for rank, i in enumerate(top):
                    if np.isfinite(sims[i]):
                        dense[ids[i]] = float(sims[i])
                        dense_rank[ids[i]] = rank
            lexical = self.store.lexical_search(query[:MAX_QUERY_CHARS], CANDIDATES, scope)
            lexical_rank = {pid: rank for rank, (pid, _) in enumerate(lexical)}
            fused: dict[int, float] = {}
            for pid, rank in dense_rank.items():
                fused[pid] = fused.get(pid, 0.0) + 1.0 / (RRF_K + rank)
            for pid, rank in lexical_rank.items():
                fused[pid] = fused.get(pid, 0.0) + 1.0 / (RRF_K + rank)
            best = sorted(fused, key=lambda pid: -fused[pid])[:k]
            missing = [pid for pid in best if pid not in dense]
            if missing:
                for pid, sim in zip(missing, self._similarities(missing, qv), strict=True):
                    dense[pid] = sim
            passages = {p.id: p for p in self.store.passages(best)}
            hits = [
                Hit(
                    passage=passages[pid],
                    score=calibrate.relevance(dense[pid], lexical_rank.get(pid)),
                    dense=dense[pid],
                    lexical_rank=lexical_rank.get(pid),
                )
                for pid in best
                if pid in passages
            ]
            results.append(hits)
        return results

    def _similarities(self, pids: list[int], qv: npt.NDArray[np.float32]) -> list[float]:
        ids, matrix = self._vectors()
        position = {pid: i for i, pid in enumerate(ids)}
        return [float(matrix[position[pid]] @ qv) if pid in position else 0.0 for pid in pids]


def check_query(query: str) -> None:
    """A query must have words; overly long queries are cut, not refused."""
    if not query or not query.strip():
        raise InputError("the query is empty", path="QUERY")
