"""Speaker turns from labelled cues: labels, word-level speakers and `>>` voice markers."""

from __future__ import annotations

from onrecord.model import Cue, Turn


def _join(turn: Turn, text: str, start: float | None, end: float | None) -> None:
    if start is not None:
        turn.anchors.append((len(turn.text) + (1 if turn.text else 0), start))
        turn.start = start if turn.start is None else turn.start
    turn.text = f"{turn.text} {text}" if turn.text else text
    if end is not None:
        turn.end = end


def build(cues: list[Cue], *, voice_markers: bool, breaks: set[int]) -> list[Turn]:
    """Consecutive cues with the same label form a turn; a break always starts one."""
    built: list[Turn] = []
    for index, cue in enumerate(cues):
        text = cue.text.replace(">>", " ").strip() if voice_markers else cue.text.strip()
        text = " ".join(text.split())
        if not text:
            continue
        speaker = cue.speaker or (built[-1].speaker if built else "Speaker 1")
        if not built or built[-1].speaker != speaker or index in breaks:
            built.append(Turn(speaker=speaker, text="", cue=index))
        _join(built[-1], text, cue.start, cue.end)
    return built


def paragraphs(cues: list[Cue], speaker: str, breaks: set[int]) -> list[Turn]:
    """A document: each cue (a paragraph) is one turn by the document's author."""
    built = []
    for index, cue in enumerate(cues):
        text = " ".join(cue.text.split())
        if text:
            built.append(Turn(speaker=speaker, text=text, start=cue.start, end=cue.end, cue=index))
    return built
