"""The cold open: a montage of later moments before the real start."""

from __future__ import annotations

from pathlib import Path

from onrecord.model import Turn
from onrecord.readers.plain_text import reader
from onrecord.repair import repair, teaser

FIXTURE = Path(__file__).parent / "fixtures" / "captions" / "bakery_interview.txt"
COLD_OPEN_LINES = 2  # the montage fills the fixture's first two lines
STORY = (
    "We opened the shop in a cold spring with one oven and a borrowed mixer. "
    "The first week nobody came in except the postman, who bought a roll every day. "
    "By the summer the queue reached the corner and my wife gave up her job to help. "
    "We learned to shape faster, to bake in two waves and to keep the door shut in winter. "
    "Some mornings the power failed and we baked by torchlight with the radio on batteries. "
    "The neighbours still talk about the year the flour lorry got stuck in the snow. "
    "Every mistake we made went into a notebook that my daughter keeps on the shelf."
)


def _lines() -> list[str]:
    return FIXTURE.read_text(encoding="utf-8").split("\n")


def test_a_cold_open_whose_sentences_come_back_later_is_marked() -> None:
    lines = _lines()
    transcript = repair(reader.read("\n".join(lines)))
    marked = [turn for turn in transcript.turns if turn.teaser]
    assert marked, "the cold open was not found"
    # The cold open is a stretch at the start: nothing after the real start is marked.
    assert all(turn.teaser for turn in transcript.turns[: len(marked)])
    montage = [word for line in lines[:COLD_OPEN_LINES] for word in line.split()]
    assert [word for turn in marked for word in turn.text.split()] == montage
    assert transcript.turns[len(marked)].text.startswith("Welcome to Slow Mornings.")


def test_a_transcript_without_a_cold_open_has_no_teaser() -> None:
    lines = _lines()[COLD_OPEN_LINES:]
    transcript = repair(reader.read("\n".join(lines)))
    assert not any(turn.teaser for turn in transcript.turns)


def test_an_opening_that_is_said_again_once_is_not_a_cold_open() -> None:
    # Greetings and thanks come back at the end of many conversations: not enough evidence.
    turns = [
        Turn("Host", "Thank you so much for coming in. Today we talk about bread and how it is made."),
        Turn("Guest", f"Thanks for having me. {STORY}"),
        Turn("Host", "What is the hardest part of the job for you these days, would you say?"),
        Turn("Guest", "Getting up at three. The dough does not wait for anybody, so neither do I."),
        Turn("Host", "Thank you so much for coming in."),
    ]
    marked = teaser.mark(turns)
    assert not any(turn.teaser for turn in marked)
    assert [turn.text for turn in marked] == [turn.text for turn in turns]


def test_the_turn_where_the_cold_open_ends_is_cut_there() -> None:
    answer = "The starter is older than my kids and it lives in a glass jar by the oven."
    turns = [
        Turn("Host", f"{answer} Why does it take so long?... Welcome to the show, today with a baker."),
        Turn("Guest", STORY),
        Turn("Host", "Why does it take so long?"),
        Turn("Guest", f"Slow yeast. {answer}"),
    ]
    marked = teaser.mark([Turn(t.speaker, t.text) for t in turns])
    assert [turn.teaser for turn in marked] == [True, False, False, False, False]
    assert marked[0].text == f"{answer} Why does it take so long?..."
    assert marked[1].text == "Welcome to the show, today with a baker."
    # Labelled speakers are the file's: they are kept.
    assert [turn.speaker for turn in marked] == ["Host", "Host", "Guest", "Host", "Guest"]


def test_guessed_speakers_of_the_clips_come_from_where_they_reappear() -> None:
    answer = "The starter is older than my kids and it lives in a glass jar by the oven."
    question = "Why does it take so long to make a loaf of sourdough bread?"
    turns = [
        Turn("Speaker A", f"{answer} {question} Welcome to the show, today with a baker."),
        Turn("Speaker B", STORY),
        Turn("Speaker A", question),
        Turn("Speaker B", f"Slow yeast. {answer}"),
    ]
    marked = teaser.mark(turns, attribute=True)
    clips = [turn for turn in marked if turn.teaser]
    assert [(turn.speaker, turn.text) for turn in clips] == [("Speaker B", answer), ("Speaker A", question)]
    assert not marked[len(clips)].teaser


def test_no_turns_and_short_texts_are_left_alone() -> None:
    assert teaser.mark([]) == []
    short = [Turn("Host", "Hello there. Hello there.")]
    assert teaser.mark(short) == short
