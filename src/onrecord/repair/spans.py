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
    # Per turn: its texts, and (offset of the span in the turn, the span's anchors).
    pieces: list[list[str]] = []
    placed: list[list[tuple[int, list[tuple[int, float]]]]] = []
    length = 0
    for span in spans:
        crossed = False
        while next_break < len(pending) and pending[next_break] <= span.cue:
            crossed = True
            next_break += 1
        if not built or crossed or built[-1].speaker != span.speaker:
            turn = Turn(speaker=span.speaker, text="", cue=span.cue, start=span.start)
            built.append(turn)
            pieces.append([])
            placed.append([])
            if span.start is not None and not (span.anchors and span.anchors[0][0] == 0):
                placed[-1].append((0, [(0, span.start)]))
            offset = length = 0
        else:
            turn = built[-1]
            offset = length + 1
        if span.anchors:
            placed[-1].append((offset, span.anchors))
        pieces[-1].append(span.text)
        length = offset + len(span.text)
        if turn.start is None:
            turn.start = span.start
        if span.end is not None:
            turn.end = span.end
    for turn, texts, anchors in zip(built, pieces, placed, strict=True):
        turn.text = " ".join(texts)
        turn.anchors = _ordered(anchors)
    return built


def _ordered(placed: list[tuple[int, list[tuple[int, float]]]]) -> list[tuple[int, float]]:
    """The anchors in turn offsets, one per offset (the first), ascending: what `sentences` looks up."""
    out: list[tuple[int, float]] = []
    last = -1
    for offset, anchors in placed:
        for at, time in anchors:
            if at + offset > last:
                last = at + offset
                out.append((last, time))
    return out
