"""A stored source as people and players read it: JSON, Markdown, text, WebVTT, SRT."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from onrecord.errors import InputError
from onrecord.model import Source


def as_dict(source: Source) -> dict[str, Any]:
    """The shape `onrecord show --as json` prints (see INTERFACE.md)."""
    transcript = source.transcript
    return {
        "source": {"id": source.id, "title": source.title, "url": source.url, "format": source.format},
        "speakers": [{"label": s.label, "name": s.name} for s in transcript.speakers],
        "turns": [
            {
                "id": i,
                "speaker": transcript.speaker_name(t.speaker),
                "text": t.text,
                "clean_text": t.clean_text,
                "start": t.start,
                "end": t.end,
                "teaser": t.teaser,
            }
            for i, t in enumerate(transcript.turns)
        ],
        "chapters": [{"title": c.title, "turn_id": c.turn, "start": c.start} for c in transcript.chapters],
    }


def to_json(source: Source) -> str:
    return json.dumps(as_dict(source), ensure_ascii=False, indent=2)


EXPORTERS: dict[str, Callable[[Source], str]] = {"json": to_json}


def export(source: Source, as_: str) -> str:
    """`source` rendered in the named format."""
    try:
        exporter = EXPORTERS[as_]
    except KeyError:
        raise InputError(f"unknown export format {as_!r} (known: {', '.join(EXPORTERS)})", path="--as") from None
    return exporter(source)
