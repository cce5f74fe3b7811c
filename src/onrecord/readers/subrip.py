"""SubRip subtitles (.srt): numbered cues, `00:00:01,000 --> 00:00:04,000`, names in the text.

Read with its own small parser rather than the `srt` library: `srt` accepts impossible
times (75 seconds becomes 1:15), folds a cue whose timing line is missing into the cue
before it (its number becoming a word of the text), and reports errors as character
offsets; here every error names its line and cue.
"""

from __future__ import annotations

import re

from onrecord.errors import InputError
from onrecord.model import Cue, Reading
from onrecord.readers import cue_text, speaker_prefix
from onrecord.readers.caption_blocks import blocks
from onrecord.readers.timecode import check_span, parse_clock

_TIMING = re.compile(r"\s*(\d+:\d+:\d+(?:[,.]\d+)?)\s*-->\s*(\d+:\d+:\d+(?:[,.]\d+)?)(?:\s.*)?$")
_SNIFF_NUMBERED = re.compile(r"\A\s*\d+\s*\n\s*\d+:\d{1,2}:\d{1,2}[,.]\d+\s*-->", re.M)
_SNIFF_TIMING = re.compile(r"^\s*\d+:\d{1,2}:\d{1,2},\d+\s*-->", re.M)


class SubRipReader:
    name = "srt"
    description = "SubRip subtitles (.srt); speaker names at line starts become speakers"

    def sniff(self, text: str, suffix: str) -> float:
        head = text[:4000].lstrip("\ufeff")
        if _SNIFF_NUMBERED.match(head):
            return 0.95
        if _SNIFF_TIMING.search(head):
            return 0.8
        if suffix == ".srt":
            return 0.7 if "-->" in head else 0.35
        return 0.0

    def read(self, text: str) -> Reading:
        lines = text.lstrip("\ufeff").split("\n")
        found: list[tuple[Cue, list[str]]] = []
        for number, block in blocks(lines):
            timing = 0 if "-->" in block[0] else 1 if len(block) > 1 and "-->" in block[1] else -1
            cue_number = len(found) + 1
            if timing < 0:
                if found and not block[0].strip().isdigit():
                    # A blank line inside a cue's text: the text goes on.
                    found[-1][1].extend(block)
                    continue
                raise InputError(
                    f"cue without a timing line (expected 00:00:01,000 --> 00:00:04,000): {block[0].strip()[:60]!r}",
                    where=f"line {number}, cue {cue_number}",
                )
            if timing == 1 and not block[0].strip().lstrip("\ufeff").isdigit():
                raise InputError(f"expected a cue number, got {block[0].strip()[:60]!r}", where=f"line {number}")
            where = f"line {number + timing}, cue {cue_number}"
            match = _TIMING.match(block[timing])
            if match is None:
                raise InputError(f"not a cue timing line: {block[timing].strip()[:60]!r}", where=where)
            start, end = parse_clock(match[1], where), parse_clock(match[2], where)
            check_span(start, end, where)
            found.append((Cue("", start, end, None, None, number), block[timing + 1 :]))
        if not found:
            raise InputError("no subtitles (expected a number, then a line like 00:00:01,000 --> 00:00:04,000)")
        cues = speaker_prefix.named_cues([(cue, cue_text.plain("\n".join(text_lines))) for cue, text_lines in found])
        if not cues:
            raise InputError("the subtitles have no text")
        return Reading(format=self.name, cues=cues, voice_markers=any(">>" in cue.text for cue in cues))


reader = SubRipReader()
