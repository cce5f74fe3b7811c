"""QMSum meetings: `{"meeting_transcripts": [{speaker, content}], "topic_list": [...]}`.

The retrieval evaluation imports meetings this way. Topics with their turn spans
become chapters (QMSum's spans are inclusive turn indices, written as strings).
"""

from __future__ import annotations

from typing import Any

from onrecord.errors import InputError
from onrecord.model import Cue, Reading
from onrecord.readers import jsondoc


class QMSumJSONReader:
    name = "qmsum-json"
    description = "QMSum meeting JSON: meeting_transcripts [{speaker, content}], topics as chapters"

    def sniff(self, text: str, suffix: str) -> float:
        doc = jsondoc.try_load(text)
        return 0.95 if isinstance(doc, dict) and isinstance(doc.get("meeting_transcripts"), list) else 0.0

    def read(self, text: str) -> Reading:
        doc = jsondoc.load(text)
        if not isinstance(doc, dict) or not isinstance(doc.get("meeting_transcripts"), list):
            raise InputError("expected a QMSum object with a 'meeting_transcripts' list")
        cues: list[Cue] = []
        # Turn index in the file -> cue index, as empty turns are dropped.
        index: dict[int, int] = {}
        for n, item in enumerate(doc["meeting_transcripts"]):
            where = f"meeting_transcripts[{n}]"
            if not isinstance(item, dict):
                raise InputError("a turn must be an object", where=where)
            content = " ".join(jsondoc.text_field(item, "content", where).split())
            index[n] = len(cues)
            if content:
                cues.append(Cue(content, speaker=jsondoc.optional_text(item, "speaker", where)))
        if not cues:
            raise InputError("the meeting has no turns with text")
        return Reading(format=self.name, cues=cues, chapters=_chapters(doc.get("topic_list"), index))


def _chapters(topics: Any, index: dict[int, int]) -> list[tuple[int, str]]:
    """(cue index where the topic first starts, topic) in transcript order, one per cue."""
    if topics is None:
        return []
    if not isinstance(topics, list):
        raise InputError("'topic_list' must be a list", where="topic_list")
    found: dict[int, str] = {}
    for n, topic in enumerate(topics):
        if not isinstance(topic, dict) or not isinstance(topic.get("topic"), str):
            continue
        starts = _starts(topic.get("relevant_text_span"), f"topic_list[{n}].relevant_text_span")
        if starts and min(starts) in index:
            found.setdefault(index[min(starts)], " ".join(topic["topic"].split()))
    return sorted(found.items())


def _starts(spans: Any, where: str) -> list[int]:
    """The first turn of each `[first, last]` span (turn numbers, as strings or whole numbers)."""
    if spans is None:
        return []
    if not isinstance(spans, list):
        raise InputError(f"must be a list of [first, last] turn numbers, got {type(spans).__name__}", where=where)
    starts = []
    for k, span in enumerate(spans):
        if not isinstance(span, list) or not span:
            raise InputError("must be a list of [first, last] turn numbers", where=f"{where}[{k}]")
        first = span[0]
        if isinstance(first, str) and first.strip().isdigit() and len(first.strip()) <= 9:
            first = int(first)
        if isinstance(first, bool) or not isinstance(first, int) or not 0 <= first < 10**9:
            raise InputError(f"a turn number must be a whole number, got {str(first)[:40]!r}", where=f"{where}[{k}]")
        starts.append(first)
    return starts


reader = QMSumJSONReader()
