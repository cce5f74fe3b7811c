"""Caption files as blocks of lines (WebVTT, SRT, SBV), each with the line number it starts on."""

from __future__ import annotations

from collections.abc import Iterator


def blocks(lines: list[str], first: int = 0) -> Iterator[tuple[int, list[str]]]:
    """(1-based number of its first line, its lines) for each run of non-blank lines from `first`.

    Lines of only spaces count as blank (Netflix pads with them). A second timing line
    ("-->") in one block starts a new block, as players do when an exporter forgot the
    blank line between cues.
    """
    block: list[str] = []
    start = 0
    timed = False
    for number in range(first, len(lines)):
        line = lines[number]
        if not line.strip():
            if block:
                yield start, block
                block, timed = [], False
            continue
        if "-->" in line:
            if timed:
                yield start, block
                block = []
            timed = True
        if not block:
            start = number + 1
        block.append(line.rstrip())
    if block:
        yield start, block
