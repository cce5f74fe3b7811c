"""YouTube's older SubViewer captions (.sbv): `0:00:01.000,0:00:04.000` then the text."""

from __future__ import annotations

import re

from onrecord.errors import InputError
from onrecord.model import Cue, Reading
from onrecord.readers import cue_text, speaker_prefix
from onrecord.readers.caption_blocks import blocks
from onrecord.readers.timecode import check_span, parse_clock

_TIMING = re.compile(r"\s*(\d+:\d+:\d+(?:\.\d+)?),(\d+:\d+:\d+(?:\.\d+)?)\s*$")
_SNIFF = re.compile(r"\A\s*\d+:\d{2}:\d{2}\.\d{3},\d+:\d{2}:\d{2}\.\d{3}\s*$", re.M)


class SBVReader:
    name = "sbv"
    description = "YouTube SubViewer captions (.sbv): 0:00:01.000,0:00:04.000 lines"

    def sniff(self, text: str, suffix: str) -> float:
        if _SNIFF.match(text[:200].lstrip("\ufeff")):
            return 0.95
        return 0.35 if suffix == ".sbv" else 0.0

    def read(self, text: str) -> Reading:
        timed: list[tuple[Cue, str]] = []
        for number, block in blocks(text.lstrip("\ufeff").split("\n")):
            where = f"line {number}, cue {len(timed) + 1}"
            match = _TIMING.match(block[0])
            if match is None:
                if "," in block[0] and ":" in block[0] and " " not in block[0].strip():
                    raise InputError(f"not a valid SBV timing line: {block[0].strip()[:60]!r}", where=where)
                if timed:
                    raise InputError(f"caption text without a timing line: {block[0].strip()[:60]!r}", where=where)
                raise InputError(
                    f"not an SBV timing line (expected 0:00:01.000,0:00:04.000): {block[0].strip()[:60]!r}", where=where
                )
            start, end = parse_clock(match[1], where), parse_clock(match[2], where)
            check_span(start, end, where)
            timed.append((Cue("", start, end, None, None, number), cue_text.plain("\n".join(block[1:]))))
        if not timed:
            raise InputError("no captions")
        cues = speaker_prefix.named_cues(timed)
        if not cues:
            raise InputError("the captions have no text")
        return Reading(format=self.name, cues=cues, voice_markers=any(">>" in cue.text for cue in cues))


reader = SBVReader()
