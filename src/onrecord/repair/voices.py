"""Speaker turns for unlabelled speech: split where the voice plainly changes."""

from __future__ import annotations

from onrecord.model import Cue, Turn
from onrecord.repair.turns import _join


def split(cues: list[Cue], breaks: set[int]) -> list[Turn]:
    """One voice per section until the voice detector lands: label `Speaker A`."""
    built: list[Turn] = []
    for index, cue in enumerate(cues):
        text = " ".join(cue.text.split())
        if not text:
            continue
        if not built or index in breaks:
            built.append(Turn(speaker="Speaker A", text="", cue=index))
        _join(built[-1], text, cue.start, cue.end)
    return built
