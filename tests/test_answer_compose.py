"""Choosing quotes over a real store: a speaker cut short is followed into their next turn."""

from __future__ import annotations

from pathlib import Path

from onrecord.answer import compose
from onrecord.answer.compose import Pick
from onrecord.answer.verify import within
from onrecord.index import passages
from onrecord.index.search import Hit
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


def test_a_quote_that_would_start_mid_sentence_starts_where_the_sentence_did(tmp_path: Path) -> None:
    long = " ".join(["we ordered ours from a small workshop in the hills that builds every oven by hand,"] * 5)
    text = f"Ovens are expensive. Honestly, {long} and it arrives in March."
    store, stored = _stored(tmp_path, [_turn("A", "Where is the oven from?"), _turn("B", text)])
    parts = [p for p in stored if p.turn == 1]
    assert len(parts) >= 2 and parts[1].text[0].islower()  # the long sentence is cut
    pick = compose._run_back(Pick([parts[1]], 0.8, True), store)
    assert [p.id for p in pick.passages] == [parts[0].id, parts[1].id]
    assert pick.verbatim.startswith("Honestly, we ordered ours")
    assert pick.verbatim.endswith(parts[1].text.strip())
    assert pick.words == len(pick.verbatim.split())
    assert within(pick.verbatim, text)
    # A pick that starts its turn, or whose sentence start is quoted already, stays as it is.
    assert compose._run_back(Pick([parts[0]], 0.8, True), store).passages == [parts[0]]
    assert compose._run_back(Pick([parts[1]], 0.8, True), store, {parts[0].id}).skip == 0


def test_choose_quotes_from_the_start_of_the_sentence_and_joins_the_passage_before(tmp_path: Path) -> None:
    long = " ".join(["we ordered ours from a small workshop in the hills that builds every oven by hand,"] * 5)
    text = f"Ovens are expensive. Honestly, {long} and it arrives in March."
    store, stored = _stored(tmp_path, [_turn("A", "Where is the oven from?"), _turn("B", text)])
    parts = [p for p in stored if p.turn == 1]
    lead = Hit(parts[1], 0.9, 0.9, 0.9, None)
    picks = compose.choose([lead], [], store, 0.5)
    assert len(picks) == 1 and picks[0].verbatim.startswith("Honestly, we ordered ours")
    # When the passage the sentence starts in answers well too, all of it is quoted.
    picks = compose.choose([lead, Hit(parts[0], 0.85, 0.85, 0.85, None)], [], store, 0.5)
    assert len(picks) == 1 and picks[0].verbatim.startswith("Ovens are expensive.")
