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
    if not isinstance(topics, list):
        return []
    found: dict[int, str] = {}
    for topic in topics:
        if not isinstance(topic, dict) or not isinstance(topic.get("topic"), str):
            continue
        starts = []
        for span in topic.get("relevant_text_span") or ():
            try:
                starts.append(int(span[0]))
            except (TypeError, ValueError, IndexError):
                continue
        if starts and min(starts) in index:
            found.setdefault(index[min(starts)], " ".join(topic["topic"].split()))
    return sorted(found.items())


reader = QMSumJSONReader()
