"""The storage contract as tests: every Store backend must pass all of these.

A backend's test module subclasses `StoreConformance` and provides a `store` fixture.
"""

from __future__ import annotations

import pytest

from onrecord.errors import ConflictError, NotFoundError, StoreError
from onrecord.index import passages
from onrecord.model import Chapter, Edit, Sentence, Source, Speaker, Transcript, Turn
from onrecord.store import CitedMoment, LoggedQuestion, Scope, Store


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
            confidence=0.62,
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


class StoreConformance:
    def test_round_trip_keeps_everything(self, store: Store) -> None:
        source = make_source()
        store.add_source(source)
        got = store.get_source(source.id)
        assert got.title == source.title and got.url == source.url and got.date == source.date
        assert got.transcript.turns == source.transcript.turns
        assert got.transcript.chapters == source.transcript.chapters
        assert got.transcript.speakers == source.transcript.speakers

    def test_listing_and_lookup_by_content(self, store: Store) -> None:
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

    def test_duplicate_is_refused_and_changes_nothing(self, store: Store) -> None:
        store.add_source(make_source())
        with pytest.raises(StoreError):
            store.add_source(make_source(sha="e" * 64))
        with pytest.raises(StoreError):
            store.add_source(make_source(source_id="other"))
        assert [s.id for s in store.sources()] == ["abc123"]
        assert len(store.get_source("abc123").transcript.turns) == 3

    def test_failed_write_leaves_no_half_source(self, store: Store) -> None:
        bad = make_source()
        bad.transcript.chapters.append(bad.transcript.chapters[0])  # same key twice: fails mid-write
        bad.transcript.chapters[1] = Chapter("Again", 1, None)
        bad.transcript.speakers.append(Speaker("S1"))  # duplicate label: fails after turns are written
        with pytest.raises(StoreError):
            store.add_source(bad)
        assert store.sources() == []
        with pytest.raises(NotFoundError):
            store.get_source(bad.id)

    def test_remove_takes_everything_derived(self, store: Store) -> None:
        store.add_source(make_source())
        store.remove_source("abc123")
        assert store.sources() == []
        store.add_source(make_source())  # nothing of the old one is left in the way
        with pytest.raises(NotFoundError):
            store.remove_source("nope")

    def test_used_terms_are_stemmed_and_kept_to_the_scope(self, store: Store) -> None:
        source = make_source()
        store.add_source(source, passages.cut(source))
        # "starting" matches "start" as the lexical index stems it; the cold open is not indexed.
        assert store.used_terms(["starting", "mother", "grew", "volcano"]) == {"starting", "mother"}
        assert store.used_terms(["start", "mother"], Scope(speakers=frozenset({"Ana"}))) == {"start", "mother"}
        assert store.used_terms(["start", "mother"], Scope(speakers=frozenset({"S1"}))) == {"start"}
        assert store.used_terms(["start"], Scope(source_ids=frozenset({"other"}))) == set()
        assert store.used_terms(['"start" OR x', ""]) == set()  # not words: never a query of their own

    def test_replacing_passages_takes_the_old_ones_with_their_vectors(self, store: Store) -> None:
        import numpy as np

        source = make_source()
        store.add_source(source, passages.cut(source))
        old = [pid for pid, _, _ in store.missing_embeddings("m")]
        store.add_embeddings("m", old, np.ones((len(old), 3), dtype=np.float32))
        fresh = passages.cut(source)
        fresh[0].asks = not fresh[0].asks
        store.replace_passages(source, fresh)
        assert store.embeddings("m")[0] == [] and len(store.passage_layout()) == len(fresh)
        ids = [p.id for p in fresh if p.id is not None]
        assert len(ids) == len(fresh) and [p.asks for p in store.passages(ids)] == [p.asks for p in fresh]
        assert [pid for pid, _ in store.lexical_search("mother", 5)] == [p.id for p in fresh if "mother" in p.text]
        with pytest.raises(NotFoundError):
            store.replace_passages(make_source("nope", "9" * 64), fresh)
        assert store.passages(ids) != []  # a failed replace changes nothing

    def test_meta_records_one_value_a_key(self, store: Store) -> None:
        assert store.meta("passage_rules") is None
        store.set_meta("passage_rules", "a")
        store.set_meta("passage_rules", "b")
        assert store.meta("passage_rules") == "b" and store.meta("other") is None

    def test_naming_a_speaker_needs_no_reimport(self, store: Store) -> None:
        store.add_source(make_source())
        store.name_speaker("abc123", "S1", "Host")
        assert store.get_source("abc123").transcript.speakers[0] == Speaker("S1", "Host")
        store.name_speaker("abc123", "S1", None)
        assert store.get_source("abc123").transcript.speakers[0].name is None
        with pytest.raises(NotFoundError, match="S1, S2"):
            store.name_speaker("abc123", "S9", "X")
        with pytest.raises(NotFoundError):
            store.name_speaker("zzz", "S1", "X")

    def test_iter_sources_yields_whole_sources(self, store: Store) -> None:
        store.add_source(make_source("a1", "1" * 64))
        store.add_source(make_source("b2", "2" * 64))
        assert [len(s.transcript.turns) for s in store.iter_sources()] == [3, 3]

    def test_speaker_names_prefer_the_owners_name(self, store: Store) -> None:
        store.add_source(make_source())
        assert store.speaker_names("abc123") == {"S1": "S1", "S2": "Ana"}
        assert store.speaker_names("missing") == {}

    def test_question_log_round_trip_in_time_order(self, store: Store) -> None:
        later = LoggedQuestion(
            "2026-01-02T10:00:00+00:00",
            "ana",
            "Why bread?",
            "answered",
            0.81,
            cited=(CitedMoment("abc123", 1, 2.5), CitedMoment("abc123", 2, None)),
        )
        earlier = LoggedQuestion("2026-01-01T09:00:00+00:00", "ana", "Are you married?", "deflected", None, "family")
        other = LoggedQuestion("2026-01-03T08:00:00+00:00", "bo", "Hi?", "no_answer", 0.1)
        ids = [store.log_question(q) for q in (later, earlier, other)]
        assert len(set(ids)) == 3
        logged = store.logged_questions()
        assert [q.question for q in logged] == ["Are you married?", "Why bread?", "Hi?"]
        got = logged[1]
        assert (got.agent, got.status, got.score, got.topic) == ("ana", "answered", 0.81, None)
        assert got.cited == later.cited and got.id == ids[0]
        assert logged[0].topic == "family" and logged[0].score is None

    def test_question_log_filters_and_forgets(self, store: Store) -> None:
        for day in range(1, 6):
            store.log_question(
                LoggedQuestion(f"2026-01-0{day}T12:00:00+00:00", "ana" if day % 2 else "bo", f"q{day}", "answered")
            )
        assert [q.question for q in store.logged_questions(agent="ana")] == ["q1", "q3", "q5"]
        assert [q.question for q in store.logged_questions(since="2026-01-04")] == ["q4", "q5"]
        assert [q.question for q in store.logged_questions(limit=2)] == ["q4", "q5"]
        assert store.forget_questions(before="2026-01-03") == 2
        assert [q.question for q in store.logged_questions()] == ["q3", "q4", "q5"]
        assert store.forget_questions() == 3
        assert store.logged_questions() == []

    def test_question_log_outlives_a_removed_source(self, store: Store) -> None:
        store.add_source(make_source())
        store.log_question(
            LoggedQuestion("2026-01-01T00:00:00+00:00", "ana", "q", "answered", cited=(CitedMoment("abc123", 1),))
        )
        store.remove_source("abc123")
        assert store.logged_questions()[0].cited == (CitedMoment("abc123", 1),)

    def test_a_transcript_is_replaced_whole_with_its_edit_and_a_new_revision(self, store: Store) -> None:
        import numpy as np

        source = make_source()
        store.add_source(source, passages.cut(source))
        old = [pid for pid, _, _ in store.missing_embeddings("m")]
        store.add_embeddings("m", old, np.ones((len(old), 3), dtype=np.float32))
        read = store.get_source("abc123")
        assert read.revision == 0 and read.transcript.turns[1].confidence == 0.62
        read.title, read.url, read.date = "Episode one", None, "2024-06-01"
        read.transcript.turns[1].speaker, read.transcript.turns[1].confidence = "S1", 1.0
        read.transcript.speakers.append(Speaker("Guest", "Gil"))
        store.replace_transcript(read, passages.cut(read), Edit("speaker", {"first": 4, "last": 11, "speaker": "S1"}))
        assert read.revision == 1
        got = store.get_source("abc123")
        assert (got.title, got.url, got.date, got.revision) == ("Episode one", None, "2024-06-01", 1)
        assert got.transcript.turns == read.transcript.turns and got.transcript.speakers[-1] == Speaker("Guest", "Gil")
        assert store.embeddings("m")[0] == []  # the old passages went, with their vectors
        assert {p.speaker for p in store.passages([pid for pid, _, _ in store.missing_embeddings("m")])} == {"S1"}
        [edit] = store.edits("abc123")
        assert (edit.kind, edit.data) == ("speaker", {"first": 4, "last": 11, "speaker": "S1"}) and edit.made
        assert store.sources()[0].title == "Episode one"

    def test_a_replace_from_an_old_read_is_refused_and_changes_nothing(self, store: Store) -> None:
        store.add_source(make_source())
        first, second = store.get_source("abc123"), store.get_source("abc123")
        first.title = "By the first writer"
        store.replace_transcript(first, passages.cut(first), Edit("source", {"title": first.title}))
        second.title = "By the second writer"
        with pytest.raises(ConflictError, match="changed by another process"):
            store.replace_transcript(second, passages.cut(second), Edit("source", {"title": second.title}))
        assert store.get_source("abc123").title == "By the first writer"
        assert [e.data for e in store.edits("abc123")] == [{"title": "By the first writer"}]
        with pytest.raises(NotFoundError):
            store.replace_transcript(make_source("nope", "9" * 64), [])
        assert store.edits("nope") == []

    def test_a_scope_can_leave_out_turns_whose_speaker_is_uncertain(self, store: Store) -> None:
        source = make_source()
        store.add_source(source, passages.cut(source))
        every = store.scope_ids(Scope(sure=0.0))
        sure = store.scope_ids(Scope(sure=0.8))
        assert every is not None and sure is not None and sure < every
        assert {p.turn for p in store.passages(sorted(every - sure))} == {1}  # the turn at 0.62
        ana = Scope(speakers=frozenset({"Ana"}), sure=0.8)
        assert store.scope_ids(ana) == set() and store.lexical_search("mother", 5, ana) == []
        assert store.lexical_search("mother", 5, Scope(speakers=frozenset({"Ana"}))) != []
