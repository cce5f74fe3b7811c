"""OpenAI Whisper's JSON output: `{"text", "segments": [{start, end, text, words?}], "language"}`."""

from __future__ import annotations

from typing import Any

from onrecord.model import Reading
from onrecord.readers import jsondoc, segments


def is_whisper(doc: Any) -> bool:
    items = jsondoc.records(doc, "segments") if isinstance(doc, dict) else None
    return items is not None and jsondoc.has_keys(items, "start", "end", "text")


class WhisperJSONReader:
    name = "whisper-json"
    description = "Whisper JSON: segments with start, end, text and optional word timings"

    def sniff(self, text: str, suffix: str) -> float:
        doc = jsondoc.try_load(text)
        if not is_whisper(doc):
            return 0.0
        return 0.9 if "language" in doc or "seek" in doc["segments"][0] else 0.8

    def read(self, text: str) -> Reading:
        cues = segments.read_segments(text, "Whisper")
        return Reading(format=self.name, cues=cues)


reader = WhisperJSONReader()
