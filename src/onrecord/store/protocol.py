"""The storage contract every backend meets; tests/store_conformance.py checks it.

Callers hold a `Store` and never see SQL. Every write is atomic: a source is either
wholly stored with its turns, speakers and chapters, or not at all.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Protocol

from onrecord.model import Source


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


class Store(Protocol):
    def add_source(self, source: Source) -> None:
        """Store a source with its whole transcript in one transaction.

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

    def name_speaker(self, source_id: str, label: str, name: str | None) -> None:
        """Set (or with None, clear) the name of one speaker label of one source."""
        ...

    def close(self) -> None: ...
