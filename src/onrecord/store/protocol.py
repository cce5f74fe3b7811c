"""The storage contracts every backend meets, one small Protocol per kind of data.

    SourceStore    sources with their transcripts, speakers' names
    PassageStore   the passages cut from them, and lexical search over them
    VectorStore    passage vectors by embedding model, and nearest-neighbour search
    QuestionLog    the questions people asked, and their vectors
    Store          all four, plus the store's version and a few recorded facts

Each has its conformance suite in tests/store_conformance/. Callers hold a `Store` and never
see SQL. Every write is atomic: a source is either wholly stored with its turns, speakers,
chapters and passages, or not at all. Reads may run on many threads at once.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import AbstractContextManager
from typing import TYPE_CHECKING, Protocol

from onrecord.model import Passage, Source
from onrecord.store.types import CitedMoment, LoggedQuestion, Scope, SourceSummary

if TYPE_CHECKING:
    from onrecord.store.types import Vectors

__all__ = [
    "CitedMoment",
    "LoggedQuestion",
    "PassageStore",
    "QuestionLog",
    "Scope",
    "SourceStore",
    "SourceSummary",
    "Store",
    "VectorStore",
]


class SourceStore(Protocol):
    def add_source(self, source: Source, passages: Sequence[Passage] = ()) -> None:
        """Store a source with its whole transcript and its passages in one transaction; each
        passage gets its id. Raises StoreError when a source with the same id or content exists."""
        ...

    def get_source(self, source_id: str) -> Source:
        """The source with its transcript; NotFoundError when absent."""
        ...

    def find_by_sha256(self, sha256: str) -> SourceSummary | None:
        """The source imported from exactly these bytes, if any."""
        ...

    def sources(self) -> list[SourceSummary]:
        """Every source, oldest first."""
        ...

    def iter_sources(self) -> Iterator[Source]:
        """Every source with its transcript, one at a time (one removed meanwhile is skipped)."""
        ...

    def remove_source(self, source_id: str) -> None:
        """Remove a source and everything derived from it; NotFoundError when absent."""
        ...

    def name_speaker(self, source_id: str, label: str, name: str | None) -> None:
        """Set (or with None, clear) the name of one speaker label of one source."""
        ...

    def speaker_names(self, source_id: str) -> dict[str, str]:
        """Label -> the name people see (the owner's name for it, else the label)."""
        ...


class PassageStore(Protocol):
    def replace_passages(self, source: Source, passages: Sequence[Passage]) -> None:
        """Replace the passages of a stored source (their vectors go with them) in one
        transaction; NotFoundError when the source is not stored."""
        ...

    def passages(self, ids: Sequence[int]) -> list[Passage]:
        """The passages with these ids, in the order asked (missing ids are skipped). A passage
        id is never given to another passage, even after its passage is removed."""
        ...

    def scope_ids(self, scope: Scope) -> set[int] | None:
        """The passage ids inside `scope`, or None when the scope is everything."""
        ...

    def lexical_search(self, query: str, k: int, scope: Scope | None = None) -> list[tuple[int, float]]:
        """Up to k (passage id, score) pairs by BM25 over text, prompt and context; higher is better."""
        ...

    def used_terms(self, terms: Sequence[str], scope: Scope | None = None) -> set[str]:
        """The terms (single words, lower case) that some passage's own words in scope use,
        compared as the lexical index compares them (stemmed)."""
        ...

    def passage_layout(self) -> list[tuple[int, str, int, int | None]]:
        """(id, source id, turn, prompting turn) of every passage, in transcript order."""
        ...


class VectorStore(Protocol):
    def missing_embeddings(self, model: str) -> list[int]:
        """The ids of every passage without a vector from `model`, in id order."""
        ...

    def add_embeddings(self, model: str, ids: Sequence[int], vectors: Vectors) -> None:
        """Store vectors for passages in one transaction; a passage removed meanwhile is skipped."""
        ...

    def embeddings(self, model: str) -> tuple[list[int], Vectors]:
        """Every stored vector of `model`: the passage ids and a (n, dim) float32 matrix."""
        ...

    def nearest(self, model: str, vector: Vectors, k: int, scope: Scope | None = None) -> list[tuple[int, float]]:
        """Up to k (passage id, inner product) pairs nearest to the unit `vector`, best first
        (a backend may answer approximately, as an HNSW index does)."""
        ...

    def embedding_models(self) -> list[str]:
        """The models that have vectors stored."""
        ...

    def drop_embeddings(self, model: str) -> int:
        """Forget every vector of `model`; returns how many were dropped."""
        ...


class QuestionLog(Protocol):
    def log_question(self, entry: LoggedQuestion, vector: tuple[str, Vectors] | None = None) -> int:
        """Keep one asked question, with its (model, vector) when known; returns its id."""
        ...

    def logged_questions(
        self, *, agent: str | None = None, since: str | None = None, limit: int | None = None
    ) -> list[LoggedQuestion]:
        """Logged questions, oldest first: of one agent, asked at or after `since`, the newest `limit`."""
        ...

    def question_vectors(self, model: str, ids: Sequence[int]) -> dict[int, Vectors]:
        """The stored vectors of `model` of these logged questions (those that have one)."""
        ...

    def forget_questions(self, *, before: str | None = None) -> int:
        """Delete logged questions (all, or those asked before `before`); returns how many."""
        ...


class Store(SourceStore, PassageStore, VectorStore, QuestionLog, Protocol):
    def batch(self) -> AbstractContextManager[None]:
        """Every write of this thread inside the block is one transaction: all of it is kept
        when the block ends, none of it when it raises or the process dies (a copy between
        stores leaves its target empty or complete)."""
        ...

    def version(self) -> int:
        """A number that changes whenever sources, passages, speakers' names, vectors or
        recorded facts change, by any connection or process (the question log does not
        count): a long-lived reader compares it to know that what it keeps is stale."""
        ...

    def meta(self, key: str) -> str | None:
        """A fact recorded about the workspace's data (see set_meta), or None."""
        ...

    def set_meta(self, key: str, value: str) -> None:
        """Record a fact about the workspace's data, replacing any before it."""
        ...

    def counts(self) -> dict[str, int]:
        """How many sources, turns, passages, vectors and logged questions are stored (a copy
        between stores is checked by them)."""
        ...

    def close(self) -> None: ...
