"""Hybrid search: dense cosine over passage vectors and BM25 from the store, fused.

The ranking score of a passage is its cosine similarity to the query, plus a share of the
similarity of the question that prompted it (an answer inherits its question: audiences ask
what interviewers asked), plus a share of its BM25 score relative to the query's best; a
passage that ends in a question (it asks rather than answers) is scaled down. Each result
also carries a calibrated score (calibrate.py) that says how likely the archive covers the
query, so that "the archive does not cover this" can be decided from it.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from cachetools import LRUCache

from onrecord.errors import InputError
from onrecord.index import calibrate
from onrecord.index.passages import embedding_text, vector_key
from onrecord.index.query_cache import CachedModel
from onrecord.model import Passage
from onrecord.store import Scope, Store
from onrecord.text import clean_text

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
RECENT_QUERIES = 64
# Scope masks kept (an agent uses two or three; a search API one per agent and speaker).
SCOPES = 256


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
class _Index:
    """What searches read, fixed when it is made: the vectors and where their passages sit.

    Rows are in transcript order (source, turn, passage), so a turn's rows form one run.
    Scope masks and recent BM25 lists are kept with it and go when it goes.
    """

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
    scopes: LRUCache[Scope, tuple[set[int] | None, npt.NDArray[np.bool_] | None]] = field(
        default_factory=lambda: LRUCache(maxsize=SCOPES)
    )
    lexical: LRUCache[str, list[tuple[int, float]]] = field(default_factory=lambda: LRUCache(maxsize=RECENT_QUERIES))
    lock: threading.Lock = field(default_factory=threading.Lock)


class Searcher:
    """Searches one store with one embedding model; holds the vectors in memory.

    What it reads is made once (on first use, or by `prepare`) and then only read, so many
    threads may search at once; `forget` drops it, and the next search makes it again from
    the store as it is then. A server makes a new Searcher when the store changes and swaps
    it in, so that no request waits for the new one to be made.
    """

    def __init__(
        self,
        store: Store,
        model: EmbeddingModel,
        batch_size: int = 32,
        fusion: Fusion | None = None,
        queries: CachedModel | None = None,
    ) -> None:
        self.store = store
        self.model = model
        # Queries go through a cache of recent vectors (shared when given); passages straight to the model.
        self.queries = queries if queries is not None else CachedModel(model)
        self.key = vector_key(model.name)
        self.batch_size = batch_size
        self.fusion = fusion or Fusion()
        self._index: _Index | None = None
        self._making = threading.Lock()

    def update(self, progress: Callable[[int], None] | None = None) -> int:
        """Embed every passage without a vector; returns how many were embedded. A passage
        removed meanwhile (by another process) is skipped, not an error."""
        from onrecord.index.embed import embed

        missing = self.store.missing_embeddings(self.key)
        step = max(self.batch_size * 8, 256)
        for start in range(0, len(missing), step):
            chunk = self.store.passages(missing[start : start + step])
            texts = [embedding_text(p.lead_in, p.text) for p in chunk]
            vectors = embed(self.model, texts, batch_size=self.batch_size)
            self.store.add_embeddings(self.key, [p.id for p in chunk if p.id is not None], vectors)
            if progress is not None:
                progress(len(missing[start : start + step]))
        if missing:
            self.forget()
        return len(missing)

    def forget(self) -> None:
        """Drop what is kept in memory (vectors, scopes, recent BM25 lists): the store changed."""
        self._index = None

    def prepare(self) -> None:
        """Read the vectors now rather than on the first search."""
        self._load()

    def _load(self) -> _Index:
        index = self._index
        if index is not None:
            return index
        with self._making:
            if self._index is None:
                self._index = self._make()
            return self._index

    def _make(self) -> _Index:
        import numpy as np

        ids_stored, stored = self.store.embeddings(self.key)
        where = {pid: i for i, pid in enumerate(ids_stored)}
        layout = [entry for entry in _prompts(self.store.passage_layout()) if entry[0] in where]
        ids = [pid for pid, _, _, _ in layout]
        matrix = stored[[where[pid] for pid in ids]] if ids else np.zeros((0, 0), dtype=np.float32)
        turn = np.array([number for _, number, _, _ in layout], dtype=np.int64)
        prompt_turn = np.array([-1 if prompt is None else prompt for _, _, prompt, _ in layout], dtype=np.int64)
        weight = np.array([1.0 if first else self.fusion.later for _, _, _, first in layout], dtype=np.float32)
        turns = int(turn.max()) + 1 if len(turn) else 0
        runs = np.flatnonzero(np.diff(turn, prepend=-1) != 0) if len(ids) else np.zeros(0, dtype=np.intp)
        return _Index(ids, {pid: i for i, pid in enumerate(ids)}, matrix, turn, prompt_turn, weight, turns, runs)

    def _scope(self, scope: Scope | None, index: _Index) -> tuple[set[int] | None, npt.NDArray[np.bool_] | None]:
        """The passage ids a scope allows and their mask over the vectors (kept per scope)."""
        import numpy as np

        if scope is None:
            return None, None
        with index.lock:
            kept = index.scopes.get(scope)
        if kept is None:
            allowed = self.store.scope_ids(scope)
            mask = None
            if allowed is not None:
                mask = np.zeros(len(index.ids), dtype=bool)
                mask[[index.row[pid] for pid in allowed if pid in index.row]] = True
            kept = (allowed, mask)
            with index.lock:
                index.scopes[scope] = kept
        return kept

    def vectors(self, scope: Scope | None = None) -> npt.NDArray[np.float32]:
        """The passage vectors in `scope`, as searched (no second copy is read from the store)."""
        index = self._load()
        _, mask = self._scope(scope, index)
        return index.matrix if mask is None else index.matrix[mask]

    def passage_vectors(self, ids: Sequence[int]) -> npt.NDArray[np.float32]:
        """The vectors of these passages, in order; a passage without one (not embedded yet, or
        newer than the vectors in memory) gets a row of zeros: it is like nothing."""
        import numpy as np

        index = self._load()
        rows = np.zeros((len(ids), index.matrix.shape[1] if index.ids else self.model.dimensions), dtype=np.float32)
        for i, pid in enumerate(ids):
            if pid in index.row:
                rows[i] = index.matrix[index.row[pid]]
        return rows

    def search(self, query: str, k: int = 10, scope: Scope | None = None) -> list[Hit]:
        """The k passages that best answer `query`, best first."""
        return self.search_many([query], k, scope)[0]

    def search_many(self, queries: Sequence[str], k: int = 10, scope: Scope | None = None) -> list[list[Hit]]:
        """Each query's k best passages, best first; one model call for all the queries."""

        queries = [check_query(query) for query in queries]
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
        vectors: _Index,
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
        lexical = self._lexical(query[:MAX_QUERY_CHARS], scope, allowed, vectors)
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

    def _wide(self, query: str, index: _Index) -> list[tuple[int, float]]:
        """The unscoped BM25 list for `query`, kept for the next few queries: an agent searches
        the same question in two scopes (its owner's voice, then every voice)."""
        with index.lock:
            found = index.lexical.get(query)
        if found is None:
            found = self.store.lexical_search(query, 4 * CANDIDATES)
            with index.lock:
                index.lexical[query] = found
        return found

    def _lexical(
        self, query: str, scope: Scope | None, allowed: set[int] | None, index: _Index
    ) -> list[tuple[int, float]]:
        """BM25 candidates in scope: filter a wider unscoped list first (the store's scoped query
        joins every match against the scope), and ask the store only when too few remain."""
        if allowed is None:
            return self._wide(query, index)[:CANDIDATES]
        wide = [hit for hit in self._wide(query, index) if hit[0] in allowed]
        if len(wide) >= CANDIDATES // 4:
            return wide[:CANDIDATES]
        return self.store.lexical_search(query, CANDIDATES, scope)


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


def check_query(query: str) -> str:
    """The query with invalid Unicode replaced (text.clean_text); it must have words. Overly
    long queries are cut, not refused."""
    if not query or not query.strip():
        raise InputError("the query is empty", path="QUERY")
    return clean_text(query)
