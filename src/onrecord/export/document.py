"""A source as a document to read: JSON (the interface shape), Markdown and plain text."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Any

from onrecord.model import Source, Transcript, Turn
from onrecord.store import SourceSummary

COLD_OPEN = "Cold open"


def as_dict(source: Source, bar: float | None = None) -> dict[str, Any]:
    """The shape `onrecord show --as json` prints (see INTERFACE.md), and each turn's speaker
    `confidence`; with `bar`, `uncertain` marks the turns whose confidence is under it."""
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
                "confidence": t.confidence,
                **({"uncertain": t.confidence < bar} if bar is not None else {}),
            }
            for i, t in enumerate(transcript.turns)
        ],
        "chapters": [{"title": c.title, "turn_id": c.turn, "start": c.start} for c in transcript.chapters],
    }


def summary_dict(summary: SourceSummary) -> dict[str, Any]:
    """A source without its transcript: the shape `onrecord sources --json` lists."""
    return {
        "id": summary.id,
        "title": summary.title,
        "format": summary.format,
        "speakers": list(summary.speakers),
        "turns": summary.turns,
        "words": summary.words,
        "chapters": summary.chapters,
        "url": summary.url,
        "date": summary.date,
    }


def to_json(source: Source, bar: float | None = None) -> str:
    return json.dumps(as_dict(source, bar), ensure_ascii=False, indent=2)


def uncertainty(turn: Turn, bar: float | None) -> str:
    """What a reader is told about a turn whose speaker is uncertain ("" when it is not)."""
    if bar is None or turn.confidence >= bar:
        return ""
    return f"speaker uncertain, {turn.confidence:.0%}"


def to_markdown(source: Source, bar: float | None = None) -> str:
    """Title, source link, chapters as headings, each turn as `**Speaker** [hh:mm:ss]` and its
    text; with `bar`, a turn whose speaker is less sure than it says so after its speaker."""
    transcript = source.transcript
    lines = [f"# {_md(source.title)}", ""]
    if source.url:
        lines += [f"Source: <{source.url}>", ""]
    for kind, value, turn in _layout(transcript):
        if kind == "chapter":
            lines += [f"## {_md(value)}", ""]
        elif kind == "cold open":
            lines += [f"## {COLD_OPEN}", "", "_Moments from later in the recording, played before it starts._", ""]
        elif kind == "end cold open":
            lines += ["---", ""]
        elif turn is not None:
            stamp = f" [{clock(turn.start)}]" if turn.start is not None else ""
            doubt = uncertainty(turn, bar)
            mark = f" _({doubt})_" if doubt else ""
            lines += [f"**{_md(value)}**{stamp}{mark}", _md_paragraph(" ".join(turn.text.split())), ""]
    return "\n".join(lines).rstrip("\n")


def to_text(source: Source, bar: float | None = None) -> str:
    """`Speaker: text` lines, one a turn, with a line for each chapter; with `bar`, a turn
    whose speaker is less sure than it reads `Speaker (speaker uncertain, 62%): text`."""
    transcript = source.transcript
    lines = [source.title]
    if source.url:
        lines.append(source.url)
    for kind, value, turn in _layout(transcript):
        if kind == "chapter":
            lines += ["", f"== {value} =="]
        elif kind == "cold open":
            lines += ["", f"== {COLD_OPEN} =="]
        elif kind == "end cold open":
            lines += ["", "---"]
        elif turn is not None:
            doubt = uncertainty(turn, bar)
            who = f"{value} ({doubt})" if doubt else value
            lines.append(f"{who}: {' '.join(turn.text.split())}")
    return "\n".join(lines)


def clock(seconds: float) -> str:
    """hh:mm:ss, as a person reads a timestamp."""
    whole = int(seconds)
    return f"{whole // 3600:02d}:{whole % 3600 // 60:02d}:{whole % 60:02d}"


def plural(count: int, noun: str) -> str:
    """`1 turn`, `2 turns`, `1,200 words`."""
    return f"{count:,} {noun}{'' if count == 1 else 's'}"


def player_time(seconds: float | None) -> str:
    """A moment as a player shows it: 1:24, or 1:02:03 past the hour ("" when untimed)."""
    if seconds is None:
        return ""
    whole = max(0, int(seconds))
    hours, rest = divmod(whole, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"


def _layout(transcript: Transcript) -> Iterator[tuple[str, str, Turn | None]]:
    """The transcript in reading order: chapter titles, the cold open's edges, and turns."""
    titles: dict[int, list[str]] = {}
    for chapter in transcript.chapters:
        titles.setdefault(chapter.turn, []).append(chapter.title)
    in_cold_open = False
    for index, turn in enumerate(transcript.turns):
        chapter_here = index in titles
        if in_cold_open and not turn.teaser and not chapter_here:
            yield "end cold open", "", None
        for title in titles.get(index, ()):
            yield "chapter", title, None
        if turn.teaser and not in_cold_open:
            yield "cold open", "", None
        in_cold_open = turn.teaser
        yield "turn", transcript.speaker_name(turn.speaker), turn


_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>|])")
# What would turn a line into a heading, list item or rule even inside a paragraph.
_MD_BLOCK_START = re.compile(r"^(?:(#|[-+](?=\s)|=+$|-+$)|\d+([.)])(?=\s))")


def _md(text: str) -> str:
    return _MD_SPECIAL.sub(r"\\\1", text)


def _md_paragraph(text: str) -> str:
    escaped = _md(text)
    start = _MD_BLOCK_START.match(escaped)
    if start is None:
        return escaped
    if start.group(2):  # "1. " -> "1\. "
        at = start.start(2)
        return escaped[:at] + "\\" + escaped[at:]
    return "\\" + escaped
