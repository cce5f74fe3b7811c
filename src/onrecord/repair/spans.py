"""Spans (a stretch of one cue said by one speaker) joined into turns; the last step of `turns`.

Times on a span are bounds, never guesses: `start` is no later than its first word and `end`
no earlier than its last, so a turn that starts inside a cue without word timings starts at
that cue's start. An anchor's time is likewise never later than the character it points at.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from onrecord.model import Turn


@dataclass(slots=True)
class Span:
    """Part of cue `cue`'s text (whitespace normalised) said by `speaker`."""

    cue: int
    text: str
    speaker: str
    start: float | None = None
    end: float | None = None
    # (character offset in `text`, time) pairs, offsets ascending.
    anchors: list[tuple[int, float]] = field(default_factory=list)


def join(spans: list[Span], breaks: set[int]) -> list[Turn]:
    """Consecutive spans of one speaker form a turn; the first span at or after a break starts one."""
    pending = sorted(breaks)
    next_break = 0
    built: list[Turn] = []
    pieces: list[list[str]] = []
    length = 0
    for span in spans:
        crossed = False
        while next_break < len(pending) and pending[next_break] <= span.cue:
            crossed = True
            next_break += 1
        if not built or crossed or built[-1].speaker != span.speaker:
            turn = Turn(speaker=span.speaker, text="", cue=span.cue, start=span.start)
            if span.start is not None and not (span.anchors and span.anchors[0][0] == 0):
                turn.anchors.append((0, span.start))
            built.append(turn)
            pieces.append([])
            offset = length = 0
        else:
            turn = built[-1]
            offset = length + 1
        turn.anchors.extend((offset + at, time) for at, time in span.anchors)
        pieces[-1].append(span.text)
        length = offset + len(span.text)
        if turn.start is None:
            turn.start = span.start
        if span.end is not None:
            turn.end = span.end
    for turn, texts in zip(built, pieces, strict=True):
        turn.text = " ".join(texts)
        turn.anchors = _ordered(turn.anchors)
    return built


def _ordered(anchors: list[tuple[int, float]]) -> list[tuple[int, float]]:
    """One anchor per offset (the first), offsets ascending: what `sentences` looks up."""
    out: list[tuple[int, float]] = []
    for at, time in anchors:
        if not out or at > out[-1][0]:
            out.append((at, time))
    return out
