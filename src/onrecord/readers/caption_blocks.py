"""Caption files as blocks of lines (WebVTT, SRT, SBV), each with the line number it starts on."""

from __future__ import annotations

from collections.abc import Iterator


def blocks(lines: list[str], first: int = 0, *, spaces_end_block: bool = True) -> Iterator[tuple[int, list[str]]]:
    """(1-based number of its first line, its lines) for each run of non-blank lines from `first`.

    In WebVTT only an empty line ends a block (`spaces_end_block=False`): YouTube writes a
    line of one space as an empty caption line. Spaces before a block's first line of text
    are dropped (Netflix pads between cues with them). A second timing line ("-->") in one
    block starts a new block, as players do when an exporter forgot the blank line.
    """
    block: list[str] = []
    start = 0
    timed = False
    for number in range(first, len(lines)):
        line = lines[number]
        if not line or (spaces_end_block and not line.strip()):
            if block:
                yield start, block
                block, timed = [], False
            continue
        if "-->" in line:
            if timed:
                # A number just before the timing line is the next cue's (SRT's counter, a
                # numbered WebVTT id), not the last word of this one's text.
                carried = block[-1:] if len(block) > 2 and block[-1].strip().isdigit() else []
                yield start, block[: len(block) - len(carried)]
                block = carried
                start = number + 1 - len(carried)
            timed = True
        if not block:
            if not line.strip():
                continue
            start = number + 1
        block.append(line.rstrip())
    if block:
        yield start, block
