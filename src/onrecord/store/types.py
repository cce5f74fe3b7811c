"""The values the storage contracts pass around: scopes, source listings, logged questions."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

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

    @property
    def everything(self) -> bool:
        return self.source_ids is None and self.speakers is None and self.sure is None


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
    """Where a logged answer quoted from: a turn of a source, its time when known, and the
    words quoted (None in questions logged before quotes were kept)."""

    source_id: str
    turn: int
    start: float | None = None
    quote: str | None = None


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
