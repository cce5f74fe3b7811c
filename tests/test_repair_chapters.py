"""Chapter titles dropped into plain caption text as lines of their own."""

from __future__ import annotations

from pathlib import Path

from onrecord.model import Cue
from onrecord.readers.plain_text import reader
from onrecord.repair import chapters, repair

FIXTURE = Path(__file__).parent / "fixtures" / "captions" / "bakery_interview.txt"
TITLES = {"Where the starter came from", "A day in the bakery"}


def _text() -> str:
    return FIXTURE.read_text(encoding="utf-8")


def _cues(lines: list[str]) -> list[Cue]:
    return [Cue(line, line=n) for n, line in enumerate(lines, start=1)]


def test_title_lines_are_found_and_taken_out_of_the_speech() -> None:
    reading = reader.read(_text())
    cues, titles = chapters.find(reading.cues)
    assert {title.text for title in titles} == TITLES
    assert [title.line for title in titles] == [
        n for n, line in enumerate(_text().split("\n"), start=1) if line in TITLES
    ]
    assert not any(cue.text in TITLES for cue in cues)

    transcript = repair(reading)
    assert [chapter.title for chapter in transcript.chapters] == [title.text for title in titles]
    assert not any(title in turn.text for turn in transcript.turns for title in TITLES)


def test_a_chapter_starts_at_the_start_of_the_sentence_its_title_cut() -> None:
    transcript = repair(reader.read(_text()))
    first = transcript.turns[transcript.chapters[0].turn]
    # The title stood between "I'd love to start" and "with the starter.".
    assert first.text.startswith("I'd love to start with the starter.")
    second = transcript.turns[transcript.chapters[1].turn]
    assert second.text.startswith("I switch on the ovens first, then the radio, then the kettle.")
    _, titles = chapters.find(reader.read(_text()).cues)
    assert [title.shift for title in titles] == [-4, -6]


def test_the_start_moves_forward_when_no_sentence_starts_within_reach() -> None:
    run_on = " ".join(["and then we kept on going"] * 12)
    lines = [
        "So that was the plan. " + run_on,
        "and we went on going and then",
        "Opening the second shop",
        "we opened it. The second shop was bigger and the rent was much higher too",
        "than anything we had paid before in all the years of the first one.",
    ]
    cues, titles = chapters.find(_cues(lines))
    assert [title.text for title in titles] == ["Opening the second shop"]
    assert cues[titles[0].cue].text.startswith("The second shop was bigger")
    assert cues[titles[0].cue - 1].text == "we opened it."
    assert titles[0].shift == 3


def test_short_spoken_lines_stay_speech() -> None:
    transcript = repair(reader.read(_text()))
    spoken = " ".join(turn.text for turn in transcript.turns)
    for line in ("Go for it.", "Why?", "What is the future of the bakery?"):
        assert line in spoken
    assert {chapter.title for chapter in transcript.chapters} == TITLES


def test_a_short_capitalised_line_inside_speech_is_not_a_title() -> None:
    lines = [
        "We sell about four hundred loaves on a Saturday and most of them are gone",
        "by ten. The best seller is the one my grandmother named.",
        "Grandma's Rye Bread.",
        "It has caraway in it and people drive from the next town over for it,",
        "which still surprises me after all these years of baking it every week.",
    ]
    cues, titles = chapters.find(_cues(lines))
    assert titles == []
    assert cues == _cues(lines)


def test_a_title_case_heading_between_sentences_is_a_title() -> None:
    lines = [
        "We sell about four hundred loaves on a Saturday and most of them are gone",
        "by ten, and the shelves are empty before the market even opens outside.",
        "Baking Through The Night",
        "The night shift starts at two. I have two bakers and an apprentice who is",
        "learning the ovens this year and already better at shaping than I am.",
    ]
    cues, titles = chapters.find(_cues(lines))
    assert [(title.text, title.line, title.shift) for title in titles] == [("Baking Through The Night", 3, 0)]
    assert cues[titles[0].cue].text.startswith("The night shift")


def test_text_without_titles_gives_no_chapters() -> None:
    text = "\n".join(line for line in _text().split("\n") if line not in TITLES)
    reading = reader.read(text)
    cues, titles = chapters.find(reading.cues)
    assert titles == []
    assert cues == reading.cues
    assert repair(reading).chapters == []


def test_every_spoken_word_is_kept_once_in_order() -> None:
    text = _text()
    transcript = repair(reader.read(text))
    spoken = [word for line in text.split("\n") if line not in TITLES for word in line.split()]
    assert [word for turn in transcript.turns for word in turn.text.split()] == spoken
