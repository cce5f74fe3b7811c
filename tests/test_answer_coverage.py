"""Coverage: which of a question's content words an agent's sources use, and the bar it sets."""

from __future__ import annotations

from pathlib import Path

import pytest

from onrecord.answer import coverage
from onrecord.index import passages
from onrecord.model import Sentence, Source, Speaker, Transcript, Turn
from onrecord.store import Scope, SQLiteStore


def _source(source_id: str, speaker: str, text: str) -> Source:
    turn = Turn(speaker, text, text, 0.0, 5.0, sentences=[Sentence(0, len(text), 0.0, 5.0)])
    return Source(source_id, source_id, "webvtt", source_id * 32, Transcript([turn], [], [Speaker(speaker)]))


@pytest.fixture
def store(tmp_path: Path) -> SQLiteStore:
    store = SQLiteStore(tmp_path / "s.db")
    for source in (
        _source("aa", "Noor", "I bake sourdough loaves with rye flour from a mill near the farms."),
        _source("bb", "Ada", "Our football club trains on Saturdays in the park by the river."),
    ):
        store.add_source(source, passages.cut(source))
    return store


def test_content_words_leave_out_function_and_question_words() -> None:
    assert coverage.content_words("What do you think about the loaves you bake, and why rye?") == [
        "loaves",
        "bake",
        "rye",
    ]
    assert coverage.content_words("Why? What do you think?") == []


def test_the_share_used_moves_the_bar(store: SQLiteStore) -> None:
    vocabulary = coverage.Vocabulary(store, Scope(source_ids=frozenset({"aa"})), remember=3)
    assert vocabulary.share_used("Is your rye flour from a mill?") == 1.0
    assert vocabulary.share_used("Is your volcano flour from a mill?") == pytest.approx(2 / 3)
    assert vocabulary.share_used("Why?") is None
    # Past `remember` words it forgets and asks again, with the same answers.
    assert vocabulary.share_used("Do football and rye grow by the river?") == pytest.approx(1 / 4)
    assert len(vocabulary._used) <= 4
    base = 0.5
    assert coverage.bar(base, 1.0) < coverage.bar(base, coverage.TYPICAL) == base < coverage.bar(base, 0.0)
    assert coverage.bar(base, None) == base
