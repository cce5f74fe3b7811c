"""Repair turns a `Reading` into a `Transcript` a reader would trust.

The steps run in this order, each in its own module:
chapters (titles dropped in as lines) -> turns (who really speaks; or voices, for
unlabelled speech) -> teaser (the cold open) -> sentences -> clean (clean verbatim).
"""

from __future__ import annotations

from onrecord.model import Chapter, Reading, Speaker, Transcript, Turn
from onrecord.repair import chapters, clean, sentences, teaser, turns, voices

DOCUMENT_SPEAKER = "Author"


def repair(reading: Reading) -> Transcript:
    """Every repair step over one reading."""
    cues = reading.cues
    titles: list[tuple[int, str]] = list(reading.chapters)
    if reading.format == "caption-text":
        cues, found = chapters.find(cues)
        titles = sorted(titles + found)
    breaks = {index for index, _ in titles}

    if reading.kind == "document":
        built = turns.paragraphs(cues, DOCUMENT_SPEAKER, breaks)
    elif any(cue.speaker for cue in cues) or any(w.speaker for cue in cues for w in cue.words or ()):
        built = turns.build(cues, voice_markers=reading.voice_markers, breaks=breaks)
    else:
        built = voices.split(cues, breaks)

    if reading.kind == "speech":
        teaser.mark(built)
    for turn in built:
        turn.sentences = sentences.split(turn.text, turn.anchors)
        turn.clean_text = clean.clean(turn.text)

    return Transcript(
        turns=built,
        chapters=_place(titles, built),
        speakers=[Speaker(label) for label in _labels(built)],
    )


def _labels(built: list[Turn]) -> list[str]:
    return list(dict.fromkeys(turn.speaker for turn in built))


def _place(titles: list[tuple[int, str]], built: list[Turn]) -> list[Chapter]:
    """A chapter starts at the first turn that starts at or after its title's cue."""
    placed: list[Chapter] = []
    for cue_index, title in titles:
        first = next((i for i, turn in enumerate(built) if turn.cue >= cue_index), None)
        if first is not None and not any(c.turn == first for c in placed):
            placed.append(Chapter(title, first, built[first].start))
    return placed
