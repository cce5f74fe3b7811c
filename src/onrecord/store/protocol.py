"""The storage contract every backend meets; tests/store_conformance.py checks it.

Callers hold a `Store` and never see SQL. Every write is atomic: a source is either
wholly stored with its turns, speakers and chapters, or not at all.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

from onrecord.model import Edit, Passage, Source

if TYPE_CHECKING:  # numpy loads only where vectors are really used
    import numpy as np
    import numpy.typing as npt

    Vectors = npt.NDArray[np.float32]


@dataclass(slots=True, frozen=True)
class Scope:
    """Which passages a search may return: some sources, some speakers (label or name), and
    with `sure` only passages of turns whose speaker confidence is at least that."""

    source_ids: frozenset[str] | None = None
    speakers: frozenset[str] | None = None
    sure: float | None = None


@dataclass(slots=True, frozen=True)
class SourceSummary:
    """A source without its transcript, for listings."""

    id: str
    title: str
    format: str
    url: str | None
    date: str | None
    path: str | None
    kind: str
    added: str
    speakers: tuple[str, ...]
    turns: int
    words: int
    chapters: int


@dataclass(slots=True, frozen=True)
class CitedMoment:
    """Where a logged answer quoted from: a turn of a source, and its time when known."""

    source_id: str
    turn: int
    start: float | None = None


@dataclass(slots=True, frozen=True)
class LoggedQuestion:
    """One question an agent was asked over HTTP, as kept for the owner's insights.

    `question` is stored as given: callers redact it first. `asked` is an ISO 8601 UTC time;
    `score` the best retrieval score (None when the question never reached retrieval);
    `topic` the avoided topic that deflected it.
    """

    asked: str
    agent: str
    question: str
    status: str
    score: float | None = None
    topic: str | None = None
    cited: tuple[CitedMoment, ...] = ()
    id: int | None = None


class Store(Protocol):
    def add_source(self, source: Source, passages: Sequence[Passage] = ()) -> None:
        """Store a source with its whole transcript and its passages in one transaction.

        Raises StoreError when a source with the same id or content already exists.
        """
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
        """Every source with its transcript, one at a time."""
        ...

    def remove_source(self, source_id: str) -> None:
        """Remove a source and everything derived from it; NotFoundError when absent."""
        ...

    def replace_transcript(self, source: Source, passages: Sequence[Passage], edit: Edit | None = None) -> None:
        """Replace a stored source's title, URL, date, transcript (speakers, turns, chapters) and
        passages (their vectors go with them), and record `edit` beside it, in one transaction.

        `source.revision` must be the stored revision (the one it was read at): otherwise
        another writer changed the source meanwhile, and StoreError is raised with nothing
        changed. On success the stored revision and `source.revision` go up by one.
        NotFoundError when the source is not stored.
        """
        ...

    def edits(self, source_id: str) -> list[Edit]:
        """The owner's edits of a source, oldest first."""
        ...

    def name_speaker(self, source_id: str, label: str, name: str | None) -> None:
        """Set (or with None, clear) the name of one speaker label of one source."""
        ...

    def speaker_names(self, source_id: str) -> dict[str, str]:
        """Label -> the name people see (the owner's name for it, else the label)."""
        ...

    def replace_passages(self, source: Source, passages: Sequence[Passage]) -> None:
        """Replace the passages of a stored source (their vectors go with them) in one
        transaction; NotFoundError when the source is not stored."""
        ...

    def version(self) -> int:
        """A number that changes when another connection or process has written to the store
        (a long-lived reader checks it to know its caches are stale; its own writes need not
        change it)."""
        ...

    def meta(self, key: str) -> str | None:
        """A fact recorded about the workspace's data (see set_meta), or None."""
        ...

    def set_meta(self, key: str, value: str) -> None:
        """Record a fact about the workspace's data, replacing any before it."""
        ...

    def passages(self, ids: Sequence[int]) -> list[Passage]:
        """The passages with these ids, in the order asked (missing ids are skipped)."""
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

    def missing_embeddings(self, model: str) -> list[tuple[int, str, str]]:
        """(passage id, prompt, text) of every passage without a vector from `model`."""
        ...

    def add_embeddings(self, model: str, ids: Sequence[int], vectors: Vectors) -> None:
        """Store vectors for passages; one transaction."""
        ...

    def embeddings(self, model: str) -> tuple[list[int], Vectors]:
        """Every stored vector of `model`: the passage ids and a (n, dim) float32 matrix."""
        ...

    def embedding_models(self) -> list[str]:
        """The models that have vectors stored."""
        ...

    def drop_embeddings(self, model: str) -> int:
        """Forget every vector of `model`; returns how many were dropped."""
        ...

    def log_question(self, entry: LoggedQuestion) -> int:
        """Keep one asked question; returns its id."""
        ...

    def logged_questions(
        self, *, agent: str | None = None, since: str | None = None, limit: int | None = None
    ) -> list[LoggedQuestion]:
        """Logged questions, oldest first: of one agent, asked at or after `since`, the newest `limit`."""
        ...

    def forget_questions(self, *, before: str | None = None) -> int:
        """Delete logged questions (all, or those asked before `before`); returns how many."""
        ...

    def close(self) -> None: ...
