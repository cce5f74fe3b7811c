"""Cutting a turn at character offsets and joining turns, with their anchors and times.

Used by repair steps that move turn boundaries after the turns are built: the cold open
(teaser) and the owner's corrections (edits). A piece keeps its turn's speaker, cue and
confidence; its times are bounds from the turn's anchors, never guesses.
"""

from __future__ import annotations

from onrecord.model import Turn


def piece(turn: Turn, begin: int, end: int) -> Turn:
    """The part of `turn` between two character offsets, with its anchors and times."""
    while begin < end and turn.text[begin].isspace():
        begin += 1
    text = turn.text[begin:end].rstrip()
    anchors = [(offset - begin, time) for offset, time in turn.anchors if begin <= offset < begin + len(text)]
    before = [time for offset, time in turn.anchors if offset <= begin]
    start = before[-1] if before else turn.start
    if not anchors and start is not None:
        anchors = [(0, start)]
    after = [time for offset, time in turn.anchors if offset >= begin + len(text)]
    end_time = after[0] if after else turn.end
    return Turn(
        speaker=turn.speaker,
        text=text,
        start=start,
        end=end_time,
        anchors=anchors,
        cue=turn.cue,
        teaser=turn.teaser,
        confidence=turn.confidence,
    )


def append(turn: Turn, other: Turn) -> None:
    """`other`'s words added to the end of `turn` (after a space), anchors shifted to match."""
    shift = len(turn.text) + 1
    turn.text = f"{turn.text} {other.text}"
    turn.anchors.extend((offset + shift, time) for offset, time in other.anchors)
    turn.end = other.end if other.end is not None else turn.end
