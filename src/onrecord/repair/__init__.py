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
    # Chapters the file itself marks come first; title lines are looked for only without them.
    titles = sorted((chapters.Title(index, name) for index, name in reading.chapters), key=lambda t: t.cue)
    if reading.format == "caption-text" and not titles:
        cues, titles = chapters.find(cues)
    breaks = {title.cue for title in titles}

    guessed = False  # speakers guessed by `voices`, not given by the file
    labelled = any(cue.speaker or any(w.speaker for w in cue.words or ()) for cue in cues)
    if reading.kind == "document":
        built = turns.paragraphs(cues, DOCUMENT_SPEAKER, breaks)
    elif reading.voice_markers and not labelled:
        # `>>` says where the voice changes, not who speaks: the voices model decides that.
        built = voices.split(cues, breaks, markers=True)
        guessed = True
    elif reading.voice_markers or labelled:
        built = turns.build(cues, voice_markers=reading.voice_markers, breaks=breaks)
    else:
        built = voices.split(cues, breaks)
        guessed = True

    if reading.kind == "speech":
        built = teaser.mark(built, attribute=guessed)
        if guessed:
            voices.name_in_order(built)
    for turn in built:
        turn.sentences = sentences.split(turn.text, turn.anchors, turn_end=turn.end)
        turn.clean_text = clean.clean(turn.text)

    return Transcript(
        turns=built,
        chapters=_place(titles, built),
        speakers=[Speaker(label) for label in _labels(built)],
    )


def _labels(built: list[Turn]) -> list[str]:
    return list(dict.fromkeys(turn.speaker for turn in built))


def _place(titles: list[chapters.Title], built: list[Turn]) -> list[Chapter]:
    """A chapter starts at the first turn that starts at or after its title's cue."""
    placed: list[Chapter] = []
    first = 0
    # Titles come in cue order, so one walk over the turns places them all.
    for title in titles:
        while first < len(built) and built[first].cue < title.cue:
            first += 1
        if first < len(built) and not (placed and placed[-1].turn == first):
            placed.append(Chapter(title.text, first, built[first].start))
    return placed
