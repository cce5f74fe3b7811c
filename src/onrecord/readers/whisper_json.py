"""OpenAI Whisper's JSON output: `{"text", "segments": [{start, end, text, words?}], "language"}`."""

from __future__ import annotations

from typing import Any

from onrecord.errors import InputError
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
        doc = jsondoc.load(text)
        if not isinstance(doc, dict) or not isinstance(doc.get("segments"), list):
            raise InputError("expected a Whisper JSON object with a 'segments' list")
        cues = [segments.cue(item, f"segments[{n}]") for n, item in enumerate(doc["segments"])]
        cues = [cue for cue in cues if cue.text]
        if not cues:
            raise InputError("the transcript has no segments with text")
        return Reading(format=self.name, cues=cues)


reader = WhisperJSONReader()
