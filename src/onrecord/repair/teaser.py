"""The cold open: a montage of later moments played before the real start."""

from __future__ import annotations

from onrecord.model import Turn


def mark(turns: list[Turn]) -> None:
    """Set `teaser` on the turns of a cold open."""
