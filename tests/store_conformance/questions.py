"""QuestionLog conformance: questions in time order, filters, vectors, forgetting."""

from __future__ import annotations

import numpy as np

from onrecord.store import CitedMoment, LoggedQuestion, Store
from tests.store_conformance.sources import make_source


class QuestionLogConformance:
    def test_question_log_round_trip_in_time_order(self, store: Store) -> None:
        later = LoggedQuestion(
            "2026-01-02T10:00:00+00:00",
            "ana",
            "Why bread?",
            "answered",
            0.81,
            cited=(CitedMoment("abc123", 1, 2.5, "Bread is patience."), CitedMoment("abc123", 2, None)),
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

    def test_a_question_keeps_its_vector(self, store: Store) -> None:
        vector = np.asarray([0.6, 0.8, 0.0], dtype=np.float32)
        with_vector = store.log_question(
            LoggedQuestion("2026-01-01T00:00:00+00:00", "ana", "q", "answered"), ("m", vector)
        )
        without = store.log_question(LoggedQuestion("2026-01-01T00:00:01+00:00", "ana", "r", "answered"))
        got = store.question_vectors("m", [with_vector, without])
        assert list(got) == [with_vector] and np.allclose(got[with_vector], vector)
        assert store.question_vectors("other", [with_vector]) == {}
        store.forget_questions()
        assert store.question_vectors("m", [with_vector]) == {}

    def test_question_log_outlives_a_removed_source(self, store: Store) -> None:
        store.add_source(make_source())
        store.log_question(
            LoggedQuestion("2026-01-01T00:00:00+00:00", "ana", "q", "answered", cited=(CitedMoment("abc123", 1),))
        )
        store.remove_source("abc123")
        assert store.logged_questions()[0].cited == (CitedMoment("abc123", 1),)
