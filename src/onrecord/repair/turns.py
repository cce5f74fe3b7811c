"""Speaker turns from labelled cues: the repair step that decides who really speaks each word.

The strongest evidence present wins: speakers on the words (diarised ASR) cut turns at word
level; else `>>` voice markers, weighed against labels that lag or lead them (markers.py);
else the labels, trusted, so that consecutive cues with one label form a turn.
"""

from __future__ import annotations

from onrecord.model import Cue, Turn
from onrecord.repair import markers, spans, word_speakers
from onrecord.repair.markers import MarkerModel


def build(
    cues: list[Cue],
    *,
    voice_markers: bool,
    breaks: set[int],
    marker_model: MarkerModel | None = None,
) -> list[Turn]:
    """Turns in order; a turn starts at the first cue at or after every break."""
    if any(word.speaker for cue in cues for word in cue.words or ()):
        found = word_speakers.spans(cues, markers=voice_markers)
    elif voice_markers:
        found = markers.spans(cues, marker_model)
    elif any(cue.words for cue in cues):
        found = word_speakers.spans(cues, smooth=False)
    else:
        found = _labelled(cues)
    return spans.join(found, breaks)


def _labelled(cues: list[Cue]) -> list[spans.Span]:
    """One span per cue with its label; an unlabelled cue continues the speaker before it."""
    speaker = next((cue.speaker for cue in cues if cue.speaker), "Speaker 1")
    out = []
    for index, cue in enumerate(cues):
        text = " ".join(cue.text.split())
        if not text:
            continue
        speaker = cue.speaker or speaker
        anchors = [(0, cue.start)] if cue.start is not None else []
        out.append(spans.Span(index, text, speaker, cue.start, cue.end, anchors))
    return out


def paragraphs(cues: list[Cue], speaker: str, breaks: set[int]) -> list[Turn]:
    """A document: each cue (a paragraph) is one turn by the document's author."""
    built = []
    for index, cue in enumerate(cues):
        text = " ".join(cue.text.split())
        if text:
            built.append(Turn(speaker=speaker, text=text, start=cue.start, end=cue.end, cue=index))
    return built
