"""Sentence boundaries within a turn, timed from the turn's anchors."""

from __future__ import annotations

import bisect
import re

from onrecord.model import Sentence

_END = re.compile(r"[.!?…]+[\"')\]]*(?=\s+\S)")


def split(text: str, anchors: list[tuple[int, float]]) -> list[Sentence]:
    """Sentences of `text` as character spans; times come from the nearest anchor before."""
    spans = []
    begin = 0
    for match in _END.finditer(text):
        spans.append((begin, match.end()))
        begin = match.end()
        while begin < len(text) and text[begin].isspace():
            begin += 1
    if begin < len(text):
        spans.append((begin, len(text)))
    offsets = [offset for offset, _ in anchors]
    result = []
    for b, e in spans:
        start = stop = None
        if anchors:
            i = bisect.bisect_right(offsets, b) - 1
            start = anchors[max(i, 0)][1]
        result.append(Sentence(b, e, start, stop))
    return result
