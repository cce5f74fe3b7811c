"""Hybrid search: dense cosine over passage vectors and BM25 from the store, fused.

The ranking score of a passage is its cosine similarity to the query, plus a share of the
similarity of the question that prompted it (an answer inherits its question: audiences ask
what interviewers asked), plus a share of its BM25 score relative to the query's best; a
passage that ends in a question (it asks rather than answers) is scaled down. Each result
also carries a calibrated score (calibrate.py) that says how likely the archive covers the
query, so that "the archive does not cover this" can be decided from it.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from onrecord.errors import InputError
from onrecord.index import calibrate
from onrecord.index.passages import embedding_text, lead_in, vector_key
from onrecord.index.query_cache import CachedModel
from onrecord.model import Passage
from onrecord.store import Scope, Store

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt

    from onrecord.index.embed import EmbeddingModel

# Each ranker contributes its best CANDIDATES before fusion.
CANDIDATES = 60
RRF_K = 30
MAX_QUERY_CHARS = 2000
MAX_K = 200
# Unscoped BM25 lists kept for queries asked again (an agent asks each in two scopes).
RECENT_QUERIES = 16


@dataclass(slots=True)
class Fusion:
    """How the rankings become one (the defaults were chosen on QMSum development meetings).

    `linear`: cosine (with the inherited prompt share) plus `lexical` times BM25 relative to
    the query's best BM25. `rrf`: reciprocal rank fusion, sum of 1/(rrf_k + rank).
    """

    mode: str = "linear"
    rrf_k: int = RRF_K
    lexical: float = 0.3
    # A passage of a question turn (or ending in a question) asks rather than answers: its
    # score is scaled by this: an audience asking what an interviewer asked wants the answer.
    question: float = 0.5
    # An answer inherits this share of its prompt's similarity (the question it answers);
    # passages later in the answering turn inherit `later` times as much.
    prompt: float = 0.5
    later: float = 0.5

    def fuse(
        self, dense: dict[int, float], dense_rank: dict[int, int], lexical: list[tuple[int, float]]
    ) -> dict[int, float]:
        fused: dict[int, float] = {}
        if self.mode == "rrf":
            for pid, rank in dense_rank.items():
                fused[pid] = fused.get(pid, 0.0) + 1.0 / (self.rrf_k + rank)
            for rank, (pid, _) in enumerate(lexical):
                fused[pid] = fused.get(pid, 0.0) + 1.0 / (self.rrf_k + rank)
            return fused
        top = lexical[0][1] if lexical and lexical[0][1] > 0 else 1.0
        bm25 = {pid: score / top for pid, score in lexical}
        for pid in set(dense_rank) | set(bm25):
            fused[pid] = dense.get(pid, 0.0) + self.lexical * bm25.get(pid, 0.0)
        return fused


@dataclass(slots=True)
class Hit:
    """A passage found: `score` is the calibrated relevance; `fused` the raw ranking score.

    After the second stage (onrecord.rerank) `score` is the reranker's and `first` keeps the
    first stage's calibrated score; `first` is None for a hit the second stage did not see.
    """

    passage: Passage
    score: float
    fused: float
    dense: float
    lexical_rank: int | None
    first: float | None = None


@dataclass(slots=True)
class _Vectors:
    ids: list[int]
    row: dict[int, int]
    matrix: npt.NDArray[np.float32]
    # Per row: its turn's number, the number of the turn that prompted it (-1: none), and
    # its inheritance weight; `turns` is how many turns there are.
    turn: npt.NDArray[np.int64]
    prompt_turn: npt.NDArray[np.int64]
    weight: npt.NDArray[np.float32]
    turns: int
    # The first row of each run of rows of one turn.
    runs: npt.NDArray[np.intp]


class Searcher:
    """Searches one store with one embedding model; holds the vectors in memory."""

    def __init__(self, store: Store, model: EmbeddingModel, batch_size: int = 32, fusion: Fusion | None = None) -> None:
        self.store = store
        self.model = model
        # Queries go through a cache of recent vectors; passages straight to the model.
        self.queries = CachedModel(model)
        self.key = vector_key(model.name)
        self.batch_size = batch_size
        self.fusion = fusion or Fusion()
        self._vectors: _Vectors | None = None
        self._scopes: dict[Scope, tuple[set[int] | None, npt.NDArray[np.bool_] | None]] = {}
        self._recent: dict[str, list[tuple[int, float]]] = {}

    def update(self, progress: Callable[[int], None] | None = None) -> int:
        """Embed every passage without a vector; returns how many were embedded."""
        from onrecord.index.embed import embed

        missing = self.store.missing_embeddings(self.key)
        step = max(self.batch_size * 8, 256)
        for start in range(0, len(missing), step):
            chunk = missing[start : start + step]
            texts = _embedding_texts(self.store, [pid for pid, _, _ in chunk])
            vectors = embed(self.model, texts, batch_size=self.batch_size)
            self.store.add_embeddings(self.key, [pid for pid, _, _ in chunk], vectors)
            if progress is not None:
                progress(len(chunk))
        if missing:
            self.forget()
        return len(missing)

    def forget(self) -> None:
        """Drop what is kept in memory (vectors, scopes, recent BM25 lists): the store changed."""
        self._vectors = None
        self._scopes.clear()
        self._recent.clear()

    def _load(self) -> _Vectors:
        if self._vectors is None:
            import numpy as np

            ids, matrix = self.store.embeddings(self.key)
            row = {pid: i for i, pid in enumerate(ids)}
            turn = np.zeros(len(ids), dtype=np.int64)
            prompt_turn = np.full(len(ids), -1, dtype=np.int64)
            weight = np.zeros(len(ids), dtype=np.float32)
            turns = 0
            for pid, number, prompt, first in _prompts(self.store.passage_layout()):
                turns = number + 1
                if pid in row:
                    turn[row[pid]] = number
                    weight[row[pid]] = 1.0 if first else self.fusion.later
                    prompt_turn[row[pid]] = -1 if prompt is None else prompt
            # A turn's passages have consecutive ids, so its rows form one run.
            runs = np.flatnonzero(np.diff(turn, prepend=-1) != 0) if len(ids) else np.zeros(0, dtype=np.int64)
            self._vectors = _Vectors(ids, row, matrix, turn, prompt_turn, weight, turns, runs)
        return self._vectors

    def _scope(self, scope: Scope | None, vectors: _Vectors) -> tuple[set[int] | None, npt.NDArray[np.bool_] | None]:
        """The passage ids a scope allows and their mask over the vectors (kept per scope)."""
        import numpy as np

        if scope is None:
            return None, None
        if scope not in self._scopes:
            allowed = self.store.scope_ids(scope)
            mask = None
            if allowed is not None:
                mask = np.zeros(len(vectors.ids), dtype=bool)
                mask[[vectors.row[pid] for pid in allowed if pid in vectors.row]] = True
            self._scopes[scope] = (allowed, mask)
        return self._scopes[scope]

    def vectors(self, scope: Scope | None = None) -> npt.NDArray[np.float32]:
        """The passage vectors in `scope`, as searched (no second copy is read from the store)."""
        vectors = self._load()
        _, mask = self._scope(scope, vectors)
        return vectors.matrix if mask is None else vectors.matrix[mask]

    def passage_vectors(self, ids: Sequence[int]) -> npt.NDArray[np.float32]:
        """The vectors of these passages, in order (each must have one)."""
        vectors = self._load()
        return vectors.matrix[[vectors.row[pid] for pid in ids]]

    def search(self, query: str, k: int = 10, scope: Scope | None = None) -> list[Hit]:
        """The k passages that best answer `query`, best first."""
        return self.search_many([query], k, scope)[0]

    def search_many(self, queries: Sequence[str], k: int = 10, scope: Scope | None = None) -> list[list[Hit]]:
        """Each query's k best passages, best first; one model call for all the queries."""

        for query in queries:
            check_query(query)
        if not 1 <= k <= MAX_K:
            raise InputError(f"k must be between 1 and {MAX_K}, got {k}", path="-k")
        vectors = self._load()
        allowed, mask = self._scope(scope, vectors)
        if not queries:
            return []
        query_vectors = self.queries.embed_batch([q[:MAX_QUERY_CHARS] for q in queries])
        return [
            self._rank(query, qv, k, scope, allowed, vectors, mask)
            for query, qv in zip(queries, query_vectors, strict=True)
        ]

    def _rank(
        self,
        query: str,
        qv: npt.NDArray[np.float32],
        k: int,
        scope: Scope | None,
        allowed: set[int] | None,
        vectors: _Vectors,
        mask: npt.NDArray[np.bool_] | None,
    ) -> list[Hit]:
        import numpy as np

        ids = vectors.ids
        sims = np.zeros(0, dtype=np.float32)
        dense: dict[int, float] = {}
        dense_rank: dict[int, int] = {}
        if ids:
            raw = vectors.matrix @ qv
            # A question turn's similarity is that of its best passage.
            best_of_turn = np.zeros(vectors.turns + 1, dtype=np.float32)
            best_of_turn[vectors.turn[vectors.runs]] = np.maximum.reduceat(raw, vectors.runs)
            inherited = best_of_turn[vectors.prompt_turn]  # -1 picks the extra 0.0 at the end
            sims = raw + self.fusion.prompt * vectors.weight * inherited
            if mask is not None:
                sims = np.where(mask, sims, -np.inf)
            count = min(CANDIDATES, len(ids))
            top = np.argpartition(-sims, count - 1)[:count]
            for rank, i in enumerate(top[np.argsort(-sims[top])]):
                if np.isfinite(sims[i]):
                    dense[ids[i]] = float(sims[i])
                    dense_rank[ids[i]] = rank
        lexical = self._lexical(query[:MAX_QUERY_CHARS], scope, allowed)
        lexical_rank = {pid: rank for rank, (pid, _) in enumerate(lexical)}
        if ids:
            for pid, _ in lexical:
                if pid not in dense:
                    dense[pid] = float(sims[vectors.row[pid]]) if pid in vectors.row else 0.0
        fused = self.fusion.fuse(dense, dense_rank, lexical)
        candidates = self.store.passages(sorted(fused, key=lambda pid: -fused[pid])[: 3 * k])
        pool: dict[int, Passage] = {p.id: p for p in candidates if p.id is not None}
        for pid, passage in pool.items():
            if passage.asks or passage.text.rstrip().endswith("?"):
                fused[pid] *= self.fusion.question
        best = sorted(pool, key=lambda pid: -fused[pid])[:k]
        return [
            Hit(
                passage=pool[pid],
                score=calibrate.relevance(fused[pid]),
                fused=fused[pid],
                dense=dense.get(pid, 0.0),
                lexical_rank=lexical_rank.get(pid),
            )
            for pid in best
        ]

    def _wide(self, query: str) -> list[tuple[int, float]]:
        """The unscoped BM25 list for `query`, kept for the next few queries: an agent searches
        the same question in two scopes (its owner's voice, then every voice)."""
        if query not in self._recent:
            self._recent[query] = self.store.lexical_search(query, 4 * CANDIDATES)
            while len(self._recent) > RECENT_QUERIES:
                self._recent.pop(next(iter(self._recent)))
        return self._recent[query]

    def _lexical(self, query: str, scope: Scope | None, allowed: set[int] | None) -> list[tuple[int, float]]:
        """BM25 candidates in scope: filter a wider unscoped list first (the store's scoped query
        joins every match against the scope), and ask the store only when too few remain."""
        if allowed is None:
            return self._wide(query)[:CANDIDATES]
        wide = [hit for hit in self._wide(query) if hit[0] in allowed]
        if len(wide) >= CANDIDATES // 4:
            return wide[:CANDIDATES]
        return self.store.lexical_search(query, CANDIDATES, scope)


def _embedding_texts(store: Store, ids: list[int]) -> list[str]:
    """The text embedded for each passage: its lead-in, then its words. A turn's passages have
    consecutive ids, so the passage before a passage in its turn, if any, has the id before."""
    passages = {p.id: p for p in store.passages(ids)}
    before = {p.id: p for p in store.passages([pid - 1 for pid in ids])}
    texts = []
    for pid in ids:
        passage = passages[pid]
        texts.append(embedding_text(lead_in(passage, before.get(pid - 1)), passage.text))
    return texts


def _prompts(layout: list[tuple[int, str, int, int | None]]) -> list[tuple[int, int, int | None, bool]]:
    """(passage, its turn's number, the number of the turn that prompted it, first passage?).

    Turns are numbered in layout order across sources; which turn prompted a passage was
    decided when it was cut (passages.cut). A prompting turn without passages has no number.
    """
    numbers: dict[tuple[str, int], int] = {}
    out: list[tuple[int, int, int | None, bool]] = []
    for pid, source_id, turn, prompt_turn in layout:
        key = (source_id, turn)
        first = key not in numbers
        if first:
            numbers[key] = len(numbers)
        prompt = numbers.get((source_id, prompt_turn)) if prompt_turn is not None else None
        out.append((pid, numbers[key], prompt, first))
    return out


def check_query(query: str) -> None:
    """A query must have words; overly long queries are cut, not refused."""
    if not query or not query.strip():
        raise InputError("the query is empty", path="QUERY")
