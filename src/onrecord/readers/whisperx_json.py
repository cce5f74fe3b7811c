"""WhisperX JSON: Whisper segments aligned to words, with diarised speakers on segments and words.

Words keep their speakers so that repair can split a segment where the voice changes
inside it.
"""

from __future__ import annotations

from typing import Any

from onrecord.model import Reading
from onrecord.readers import jsondoc, segments


def _is_whisperx(doc: Any) -> bool:
    if not isinstance(doc, dict):
        return False
    items = jsondoc.records(doc, "segments")
    if items is None or not jsondoc.has_keys(items, "start", "end", "text"):
        return False
    if "word_segments" in doc:
        return True
    words: list[Any] = next(
        (item["words"] for item in items[:20] if isinstance(item.get("words"), list) and item["words"]), []
    )
    # Whisper's own words carry "probability"; WhisperX's carry "score" and, diarised, "speaker".
    return any(isinstance(w, dict) and ("score" in w or "speaker" in w) for w in words[:20])


class WhisperXJSONReader:
    name = "whisperx-json"
    description = "WhisperX JSON: segments with speakers and word timings (word_segments)"

    def sniff(self, text: str, suffix: str) -> float:
        return 0.95 if _is_whisperx(jsondoc.try_load(text)) else 0.0

    def read(self, text: str) -> Reading:
        cues = segments.read_segments(text, "WhisperX")
        return Reading(format=self.name, cues=cues)


reader = WhisperXJSONReader()
