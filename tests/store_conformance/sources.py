"""SourceStore conformance: sources keep everything, writes are whole or nothing."""

from __future__ import annotations

import pytest

from onrecord.errors import NotFoundError, StoreError
from onrecord.model import Chapter, Sentence, Source, Speaker, Transcript, Turn
from onrecord.store import SourceStore


def make_source(source_id: str = "abc123", sha: str = "f" * 64, title: str = "Episode 1") -> Source:
    turns = [
        Turn("S1", "Why did you start?", "Why did you start?", 0.0, 2.5, sentences=[Sentence(0, 18, 0.0, 2.5)]),
        Turn(
            "S2",
            "Um I I started because of my mother.",
            "I started because of my mother.",
            2.5,
            6.0,
            anchors=[(0, 2.5), (9, 4.0)],
            sentences=[Sentence(0, 36, 2.5, 6.0)],
        ),
        Turn("S2", "Then it grew.", "Then it grew.", 6.0, 7.0, teaser=True),
    ]
    return Source(
        id=source_id,
        title=title,
        format="webvtt",
        sha256=sha,
        transcript=Transcript(turns, [Chapter("Origins", 1, 2.5)], [Speaker("S1"), Speaker("S2", "Ana")]),
        url="https://example.org/v",
        date="2024-05-01",
        path="/tmp/e1.vtt",
    )


class SourceStoreConformance:
    def test_round_trip_keeps_everything(self, store: SourceStore) -> None:
        source = make_source()
        store.add_source(source)
        got = store.get_source(source.id)
        assert got.title == source.title and got.url == source.url and got.date == source.date
        assert got.transcript.turns == source.transcript.turns
        assert got.transcript.chapters == source.transcript.chapters
        assert got.transcript.speakers == source.transcript.speakers

    def test_listing_and_lookup_by_content(self, store: SourceStore) -> None:
        store.add_source(make_source("a1", "1" * 64, "First"))
        store.add_source(make_source("b2", "2" * 64, "Second"))
        summaries = store.sources()
        assert [s.id for s in summaries] == ["a1", "b2"]
        first = summaries[0]
        assert (first.turns, first.chapters, first.words) == (3, 1, 15)
        assert first.speakers == ("S1", "Ana")
        found = store.find_by_sha256("2" * 64)
        assert found is not None and found.id == "b2"
        assert store.find_by_sha256("3" * 64) is None

    def test_duplicate_is_refused_and_changes_nothing(self, store: SourceStore) -> None:
        store.add_source(make_source())
        with pytest.raises(StoreError):
            store.add_source(make_source(sha="e" * 64))
        with pytest.raises(StoreError):
            store.add_source(make_source(source_id="other"))
        assert [s.id for s in store.sources()] == ["abc123"]
        assert len(store.get_source("abc123").transcript.turns) == 3

    def test_failed_write_leaves_no_half_source(self, store: SourceStore) -> None:
        bad = make_source()
        bad.transcript.chapters.append(bad.transcript.chapters[0])  # same key twice: fails mid-write
        bad.transcript.chapters[1] = Chapter("Again", 1, None)
        bad.transcript.speakers.append(Speaker("S1"))  # duplicate label: fails after turns are written
        with pytest.raises(StoreError):
            store.add_source(bad)
        assert store.sources() == []
        with pytest.raises(NotFoundError):
            store.get_source(bad.id)

    def test_remove_takes_everything_derived(self, store: SourceStore) -> None:
        store.add_source(make_source())
        store.remove_source("abc123")
        assert store.sources() == []
        store.add_source(make_source())  # nothing of the old one is left in the way
        with pytest.raises(NotFoundError):
            store.remove_source("nope")

    def test_naming_a_speaker_needs_no_reimport(self, store: SourceStore) -> None:
        store.add_source(make_source())
        store.name_speaker("abc123", "S1", "Host")
        assert store.get_source("abc123").transcript.speakers[0] == Speaker("S1", "Host")
        store.name_speaker("abc123", "S1", None)
        assert store.get_source("abc123").transcript.speakers[0].name is None
        with pytest.raises(NotFoundError, match="S1, S2"):
            store.name_speaker("abc123", "S9", "X")
        with pytest.raises(NotFoundError):
            store.name_speaker("zzz", "S1", "X")

    def test_iter_sources_yields_whole_sources_and_skips_one_removed_meanwhile(self, store: SourceStore) -> None:
        store.add_source(make_source("a1", "1" * 64))
        store.add_source(make_source("b2", "2" * 64))
        store.add_source(make_source("c3", "3" * 64))
        seen = []
        for source in store.iter_sources():
            seen.append((source.id, len(source.transcript.turns)))
            if source.id == "a1":
                store.remove_source("b2")
        assert seen == [("a1", 3), ("c3", 3)]

    def test_speaker_names_prefer_the_owners_name(self, store: SourceStore) -> None:
        store.add_source(make_source())
        assert store.speaker_names("abc123") == {"S1": "S1", "S2": "Ana"}
        assert store.speaker_names("missing") == {}
