"""Export, the way out of the store: a source as people and players read it.

One module per kind of output: `document` (JSON, Markdown, plain text: every turn, for
reading) and `captions` (WebVTT, SRT: timed cues, for players). `EXPORTERS` maps the
`show --as` names to them.
"""

from __future__ import annotations

from collections.abc import Callable

from onrecord.errors import InputError
from onrecord.export.captions import to_srt, to_vtt
from onrecord.export.document import as_dict, summary_dict, to_json, to_markdown, to_text
from onrecord.model import Source

EXPORTERS: dict[str, Callable[[Source], str]] = {
    "json": to_json,
    "md": to_markdown,
    "txt": to_text,
    "vtt": to_vtt,
    "srt": to_srt,
}
# The exporters for people to read, which can say which turns' speakers are uncertain.
MARKING: dict[str, Callable[[Source, float | None], str]] = {"json": to_json, "md": to_markdown, "txt": to_text}

__all__ = ["EXPORTERS", "as_dict", "export", "summary_dict", "to_json", "to_markdown", "to_srt", "to_text", "to_vtt"]


def export(source: Source, as_: str, *, bar: float | None = None) -> str:
    """`source` rendered in the named format; with `bar`, turns whose speaker confidence is
    under it are marked as uncertain (in the formats people read)."""
    if as_ in MARKING:
        return MARKING[as_](source, bar)
    try:
        exporter = EXPORTERS[as_]
    except KeyError:
        raise InputError(f"unknown export format {as_!r} (known: {', '.join(EXPORTERS)})", path="--as") from None
    return exporter(source)
