"""Choosing quotes over a real store: a speaker cut short is followed into their next turn."""

from __future__ import annotations

from pathlib import Path

from onrecord.answer import compose
from onrecord.answer.compose import Pick
from onrecord.index import passages
from onrecord.model import Passage, Sentence, Source, Speaker, Transcript, Turn
from onrecord.store import SQLiteStore


def _turn(speaker: str, text: str) -> Turn:
    return Turn(speaker, text, text, None, None, sentences=[Sentence(0, len(text), None, None)])


def _stored(tmp_path: Path, turns: list[Turn]) -> tuple[SQLiteStore, list[Passage]]:
    tmp_path.mkdir(exist_ok=True)
    store = SQLiteStore(tmp_path / "s.db")
    source = Source("s1", "Interview", "json", "1" * 64, Transcript(turns, [], [Speaker("A"), Speaker("B")]))
    store.add_source(source, passages.cut(source))
    stored = store.passages(list(range(1, 20)))
    return store, stored


def _of_turn(stored: list[Passage], turn: int) -> Passage:
    return next(p for p in stored if p.turn == turn)


def test_a_speaker_cut_short_is_followed_past_a_short_interjection(tmp_path: Path) -> None:
    store, stored = _stored(
        tmp_path,
        [
            _turn("A", "When will the new oven arrive at the bakery?"),
            _turn("B", "We are in the process of ordering the"),
            _turn("A", "[laughter] Sorry, go on."),
            _turn("B", "The oven arrives in March, once the floor is fixed."),
        ],
    )
    cut = _of_turn(stored, 1)
    resumed = compose._resumed(Pick([cut], 0.8, True), store, set())
    assert resumed is not None and resumed.first.turn == 3 and resumed.own
    assert compose._resumed(Pick([cut], 0.8, True), store, {resumed.first.id}) is None  # already quoted
    # A finished sentence needs no continuation.
    assert compose._resumed(Pick([resumed.first], 0.8, True), store, set()) is None


def test_a_long_interruption_or_another_voice_is_not_a_continuation(tmp_path: Path) -> None:
    store, stored = _stored(
        tmp_path,
        [
            _turn("A", "When will the new oven arrive at the bakery?"),
            _turn("B", "We are in the process of ordering the"),
            _turn("A", " ".join(["Before you answer that, let me tell our listeners about the oven market."] * 3)),
            _turn("B", "The oven arrives in March, once the floor is fixed."),
        ],
    )
    assert compose._resumed(Pick([_of_turn(stored, 1)], 0.8, True), store, set()) is None
    store, stored = _stored(
        tmp_path / "other",
        [_turn("B", "We are in the process of ordering the"), _turn("A", "And the flour, where is it from?")],
    )
    assert compose._resumed(Pick([_of_turn(stored, 0)], 0.8, True), store, set()) is None
