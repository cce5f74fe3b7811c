"""Chapter titles that a caption export dropped in as lines of their own."""

from __future__ import annotations

from onrecord.model import Cue


def find(cues: list[Cue]) -> tuple[list[Cue], list[tuple[int, str]]]:
    """The cues without title lines, and (index of the chapter's first cue, title) pairs."""
    return cues, []
