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


def _said(sentences: list[str]) -> Turn:
    """Speaker B's turn of these sentences, each a sentence of the turn."""
    text = " ".join(sentences)
    bounds = [text.index(s) for s in sentences]
    return Turn(
        "B",
        text,
        text,
        None,
        None,
        sentences=[Sentence(b, b + len(s), None, None) for b, s in zip(bounds, sentences, strict=True)],
    )


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


def test_a_sentence_begun_too_far_back_is_quoted_from_the_next_sentence_start(tmp_path: Path) -> None:
    # Caption text: one "sentence" of 201 words, then the answer; running back to the sentence
    # start would pass the quote's length, so the quote starts at the answer's sentence instead.
    rambling = " ".join(["and so we kept talking about the ovens and the flour and the bakery"] * 14)
    rambling += " and then the rest again."
    answer = "The new oven arrives in March once the floor is fixed and dry."
    turn = _said([rambling, answer])
    text = turn.text
    store, stored = _stored(tmp_path, [_turn("A", "When does the oven arrive?"), turn])
    last = [p for p in stored if p.turn == 1][-1]
    assert last.text[0].islower() and answer in last.text  # it starts inside the long sentence

    def starts(passage: Passage) -> list[int]:
        return [0, *(s.begin for s in turn.sentences)]

    pick = compose._run_back(Pick([last], 0.8, True), store, starts=starts)
    assert pick.verbatim == answer
    # Too few words after the next start: the pick stays as it was.
    short = compose._forward(Pick([last], 0.8, True), [0, len(text) - 10])
    assert short.skip == 0


def test_a_passage_joined_before_a_quote_still_starts_it_at_a_sentence_start(tmp_path: Path) -> None:
    long = " ".join(["we ordered ours from a small workshop in the hills that builds every oven by hand,"] * 5)
    said = [
        "Ovens are expensive.",
        f"Honestly, {long} and it arrives in March.",
        "The floor is fixed first and then the oven comes in on a truck from the hills.",
    ]
    turn = _said(said)
    bounds = [s.begin for s in turn.sentences]
    store, stored = _stored(tmp_path, [_turn("A", "Where is the oven from?"), turn])
    parts = [p for p in stored if p.turn == 1]
    lead = next(p for p in parts if p.begin == bounds[2] or p.text.startswith("The floor"))
    before = parts[parts.index(lead) - 1]
    assert before.text[0].islower()  # it starts inside the long sentence

    def starts(passage: Passage) -> list[int]:
        return [0, *bounds]

    hits = [Hit(lead, 0.9, 0.9, 0.9, None), Hit(before, 0.8, 0.8, 0.8, None)]
    picks = compose.choose(hits, list, store, 0.5, starts=starts)
    assert len(picks) == 1
    assert picks[0].verbatim.startswith("Honestly, we ordered ours") or picks[0].verbatim.startswith("The floor")
    assert compose._from_sentence_start(picks[0], starts)


def test_a_passage_next_to_the_lead_joins_it_under_the_floor_when_it_scores_near_the_lead(tmp_path: Path) -> None:
    first = (
        "I price by the hours and the wood, and I keep a log of every hour I spend on a piece of furniture"
        " so that the price follows the work."
    )
    second = (
        "I never price by what I think people will pay, because that is how makers burn out and stop"
        " enjoying the work in the shop."
    )
    store, stored = _stored(
        tmp_path,
        [
            _turn("A", "How do you price a table?"),
            _said([first, second]),
            _turn("A", "And the wood?"),
            _turn("B", "Oak mostly, from a mill near the town where I grew up and learned the trade."),
        ],
    )
    before, lead = [p for p in stored if p.turn == 1]
    other = _of_turn(stored, 3)
    hits = [Hit(lead, 0.65, 0.65, 0.65, None), Hit(before, 0.6, 0.6, 0.6, None), Hit(other, 0.6, 0.6, 0.6, None)]
    picks = compose.choose(hits, list, store, 0.62)
    assert len(picks) == 1 and [p.id for p in picks[0].passages] == [before.id, lead.id]
    # Far under the lead, the passage before stays out.
    hits[1] = Hit(before, 0.3, 0.3, 0.3, None)
    assert [p.id for p in compose.choose(hits, list, store, 0.62)[0].passages] == [lead.id]
