"""Caption segments as a JSON list of `{i, speaker, text}` objects, cut at a fixed width.

This is how seed 000 arrives: labels that lag or lead the real voice change, with
`>>` inline where the voice really changes (repair/turns.py uses both).
"""

from __future__ import annotations

from typing import Any

from onrecord.errors import InputError
from onrecord.model import Cue, Reading
from onrecord.readers import jsondoc


def _segments(doc: Any) -> list[dict[str, Any]] | None:
    items = jsondoc.records(doc)
    if items is None or not jsondoc.has_keys(items, "text"):
        return None
    return items


class CaptionSegmentsReader:
    name = "caption-segments"
    description = "JSON list of caption segments {i, speaker, text} (optionally start/end)"

    def sniff(self, text: str, suffix: str) -> float:
        items = _segments(jsondoc.try_load(text))
        if items is None:
            return 0.0
        # Numbered segments are this format; {speaker, text} alone is shared with other lists.
        return 0.9 if jsondoc.has_keys(items, "i") else 0.6 if jsondoc.has_keys(items, "speaker") else 0.0

    def read(self, text: str) -> Reading:
        data = jsondoc.load(text)
        if not isinstance(data, list):
            raise InputError("expected a JSON list of caption segments")
        cues = []
        for n, item in enumerate(data):
            where = f"segment {n}"
            if not isinstance(item, dict) or not isinstance(item.get("text"), str):
                raise InputError("a segment must be an object with a string 'text'", where=where)
            speaker = item.get("speaker")
            if speaker is not None and not isinstance(speaker, str):
                raise InputError("'speaker' must be a string", where=where)
            start, end = jsondoc.span(item, "start", "end", where)
            cues.append(Cue(item["text"], start=start, end=end, speaker=speaker or None, line=n))
        if not cues:
            raise InputError("no caption segments")
        return Reading(
            format=self.name,
            cues=cues,
            voice_markers=any(">>" in cue.text for cue in cues),
        )


reader = CaptionSegmentsReader()
