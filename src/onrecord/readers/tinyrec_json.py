"""Recorded work sessions as TreeSeg's tinyrec JSON: timed `entries` with topic annotations.

`entries` mix utterances (`kind: "utterance"`, with speaker and text) and screen actions
(skipped: nobody said them); the `annotation.coarse` topic segments, given as inclusive
entry indices with a title, become chapters.
"""

from __future__ import annotations

from typing import Any

from onrecord.errors import InputError
from onrecord.model import Cue, Reading
from onrecord.readers import jsondoc


def _is_tinyrec(doc: Any) -> bool:
    if not isinstance(doc, dict) or not isinstance(doc.get("entries"), list):
        return False
    entries = [e for e in doc["entries"][:50] if isinstance(e, dict)]
    return bool(entries) and all("kind" in e and "text" in e for e in entries)


class TinyrecJSONReader:
    name = "tinyrec-json"
    description = "TreeSeg/tinyrec session JSON: entries (utterances, actions) and topic annotations"

    def sniff(self, text: str, suffix: str) -> float:
        return 0.95 if _is_tinyrec(jsondoc.try_load(text)) else 0.0

    def read(self, text: str) -> Reading:
        doc = jsondoc.load(text)
        if not _is_tinyrec(doc):
            raise InputError("expected an object with 'entries' [{kind, start, end, speaker, text}]")
        cues: list[Cue] = []
        index: dict[int, int] = {}
        for n, entry in enumerate(doc["entries"]):
            where = f"entries[{n}]"
            if not isinstance(entry, dict):
                raise InputError("an entry must be an object", where=where)
            position = entry.get("idx", n)
            index[position if isinstance(position, int) else n] = len(cues)
            if entry.get("kind") != "utterance":
                continue
            words = " ".join(jsondoc.text_field(entry, "text", where).split())
            start, end = jsondoc.span(entry, "start", "end", where)
            if words:
                cues.append(Cue(words, start, end, jsondoc.optional_text(entry, "speaker", where)))
        if not cues:
            raise InputError("the session has no utterances with text")
        return Reading(format=self.name, cues=cues, title=_title(doc), chapters=_chapters(doc, index, len(cues)))


def _title(doc: dict[str, Any]) -> str | None:
    title = doc.get("title")
    return title.strip() or None if isinstance(title, str) else None


def _chapters(doc: dict[str, Any], index: dict[int, int], count: int) -> list[tuple[int, str]]:
    annotation = doc.get("annotation")
    coarse = annotation.get("coarse") if isinstance(annotation, dict) else None
    if not isinstance(coarse, list):
        return []
    found: dict[int, str] = {}
    for segment in coarse:
        if isinstance(segment, list) and len(segment) >= 3 and isinstance(segment[2], str):
            first = index.get(segment[0]) if isinstance(segment[0], int) else None
            if first is not None and first < count:
                found.setdefault(first, " ".join(segment[2].split()))
    return sorted(found.items())


reader = TinyrecJSONReader()
