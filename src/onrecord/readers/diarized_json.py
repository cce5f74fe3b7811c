"""Diarised segments as pyannote-style pipelines write them: `[{start, end, speaker, text}]`.

Either a bare list or an object holding it under "segments", "turns" or "transcript".
RTTM files, which have speaker times but no words, are refused by readers/rttm.py.
"""

from __future__ import annotations

from typing import Any

from onrecord.errors import InputError
from onrecord.model import Reading
from onrecord.readers import jsondoc, segments

_KEYS = ("segments", "turns", "transcript")


def _items(doc: Any) -> list[dict[str, Any]] | None:
    items = jsondoc.records(doc, *_KEYS)
    if items is None or not jsondoc.has_keys(items, "start", "end", "text"):
        return None
    return items if any("speaker" in item for item in items[:20]) else None


class DiarizedJSONReader:
    name = "diarized-json"
    description = "diarised segments [{start, end, speaker, text}] (pyannote-style), a list or under 'segments'"

    def sniff(self, text: str, suffix: str) -> float:
        return 0.85 if _items(jsondoc.try_load(text)) is not None else 0.0

    def read(self, text: str) -> Reading:
        doc = jsondoc.load(text)
        items = jsondoc.records(doc, *_KEYS)
        if items is None:
            raise InputError("expected a list of segments {start, end, speaker, text}")
        prefix = "" if isinstance(doc, list) else next(f"{k}" for k in _KEYS if doc.get(k) is items)
        cues = [segments.cue(item, f"{prefix}[{n}]") for n, item in enumerate(items)]
        cues = [cue for cue in cues if cue.text]
        if not cues:
            raise InputError("the transcript has no segments with text")
        return Reading(format=self.name, cues=cues)


reader = DiarizedJSONReader()
