"""Transcripts written as "Name: text", one turn per line or paragraph, optionally timed.

Covers the shapes people and tools write: `Name: text`, `[00:01:02] Name: text`,
`Name (01:02): text`, Otter's `Name  0:01` on a line of its own with the text below,
and Markdown podcast transcripts (`**Name:** \\[12:34\\] text`, as The Changelog
publishes them). Lines that start no turn continue the previous speaker; a stamp
at the start of a paragraph times it. A cue without an end ends where the next starts.
"""

from __future__ import annotations

import re
from collections import Counter

from onrecord.errors import InputError
from onrecord.model import Cue, Reading
from onrecord.readers import markdown, speaker_prefix, textshape
from onrecord.readers.timecode import clock, parse_clock

_CLOCK = r"(?:\d{1,2}:)?\d{1,2}:\d{2}(?:[.,]\d{1,3})?"
_STAMP = rf"(?:\\?\[\s*{_CLOCK}\s*\\?\]|\(\s*{_CLOCK}\s*\)|{_CLOCK})"
_NAME = r"[^\W\d_][\w.'’-]*(?:[ \t][\w.'’-]+){0,3}"
_TURN = re.compile(
    rf"\s*(?:(?P<pre>{_STAMP})\s*)?(?:[-–—]\s+)?\*{{0,2}}(?P<name>{_NAME})\*{{0,2}}\s*(?P<mid>{_STAMP})?\s*:\*{{0,2}}"
    rf"(?:\s+(?P<post>{_STAMP})(?=\s|$))?\s*(?P<text>.*)$"
)
_HEADER = re.compile(rf"\s*(?:(?P<pre>{_STAMP})\s+)?\*{{0,2}}(?P<name>{_NAME})\*{{0,2}}(?:\s+(?P<post>{_STAMP}))?\s*$")
_LEAD_STAMP = re.compile(rf"\s*(?P<stamp>\\?\[\s*{_CLOCK}\s*\\?\]|\(\s*{_CLOCK}\s*\))\s*(?P<text>.*)$")
_DIGITS = re.compile(_CLOCK)
_HEADING = re.compile(r" {0,3}#{1,6}\s+(.*?)\s*#*\s*$")


def _turn(line: str) -> tuple[str, str | None, str] | None:
    """(name, stamp, text) when `line` starts a turn; a name alone needs a stamp (Otter's header line)."""
    match = _TURN.match(line)
    if match is not None and speaker_prefix.is_name(match["name"]):
        return match["name"].strip(), match["pre"] or match["mid"] or match["post"], match["text"]
    match = _HEADER.match(line)
    if match is not None and (match["pre"] or match["post"]) and speaker_prefix.is_name(match["name"]):
        return match["name"].strip(), match["pre"] or match["post"], ""
    return None


def _seconds(stamp: str | None, where: str) -> float | None:
    if stamp is None:
        return None
    found = _DIGITS.search(stamp)
    return parse_clock(found[0], where) if found else None


class NamedTranscriptReader:
    name = "named-transcript"
    description = (
        'transcript of "Name: text" turns (lines or paragraphs), optional [hh:mm:ss] stamps; Markdown podcast style'
    )

    def sniff(self, text: str, suffix: str) -> float:
        if not textshape.prose_like(text):
            return 0.0
        units = 0
        labels: Counter[str] = Counter()
        for _, lines in textshape.paragraphs(text[:100_000]):
            turns = [found[0] for line in lines if (found := _turn(line)) is not None]
            labels.update(turns)
            units += max(1, len(turns))
        turns_total = sum(labels.values())
        if turns_total < 2 or max(labels.values()) < 2 or turns_total < 0.4 * units:
            return 0.0
        # Many different "names" each used once are headings or labels, not speakers.
        return 0.85 if len(labels) <= max(4, turns_total // 2) else 0.0

    def read(self, text: str) -> Reading:
        lines = text.lstrip("\ufeff").split("\n")
        first, title = markdown.front_matter(lines)
        cues: list[Cue] = []
        chapters: dict[int, str] = {}
        speaker: str | None = None
        current: Cue | None = None
        pending: float | None = None  # a stamp given on a line of its own, for the text below it
        for number in range(first, len(lines)):
            line = lines[number]
            where = f"line {number + 1}"
            if not line.strip():
                current = None
                continue
            if heading := _HEADING.match(line):
                words = markdown.inline(heading[1])
                if words and title is None and not cues and not chapters:
                    title = words
                elif words:
                    chapters[len(cues)] = words
                current = None
                continue
            turn = _turn(line)
            if turn is not None:
                speaker, stamp, rest = turn
                start = _seconds(stamp, where)
                words = markdown.inline(rest)
                current = Cue(words, start, None, speaker, line=number + 1) if words else None
                if current is not None:
                    cues.append(current)
                    pending = None
                else:
                    pending = start
                    _end_at(cues, start)  # a timed marker with no words ("**Break**: [32:13]")
                continue
            lead = _LEAD_STAMP.match(line)
            start = _seconds(lead["stamp"], where) if lead else None
            words = markdown.inline(lead["text"] if lead else line)
            if not words:
                continue
            if current is None or start is not None:
                current = Cue(words, start if start is not None else pending, None, speaker, line=number + 1)
                cues.append(current)
                pending = None
            else:
                current.text = f"{current.text} {words}"
        if not cues:
            raise InputError('no "Name: text" turns with text')
        _fill_ends(cues)
        return Reading(
            format=self.name,
            cues=cues,
            title=title,
            chapters=list(chapters.items()),
        )


def _end_at(cues: list[Cue], when: float | None) -> None:
    if when is not None and cues and cues[-1].end is None and (cues[-1].start or 0.0) <= when:
        cues[-1].end = when


def _fill_ends(cues: list[Cue]) -> None:
    """A cue without an end ends where the cue after it starts; stamps must not go backwards."""
    latest: float | None = None
    latest_line: int | None = None
    for cue, following in zip(cues, [*cues[1:], None], strict=True):
        if cue.start is None:
            continue
        if latest is not None and cue.start + 1.0 < latest:
            raise InputError(
                f"time goes backwards: this turn is stamped {clock(cue.start)}, after one stamped {clock(latest)}"
                f" (line {latest_line})",
                where=f"line {cue.line}",
            )
        latest, latest_line = cue.start, cue.line
        if cue.end is None and following is not None and following.start is not None and following.start >= cue.start:
            cue.end = following.start


reader = NamedTranscriptReader()
