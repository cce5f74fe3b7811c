"""YouTube's json3 captions: `{"events": [{tStartMs, dDurationMs, segs: [{utf8, tOffsetMs}]}]}`.

Auto-captions give each word a seg with its offset; events that only append a line
break (`aAppend`) or define a window (no segs) carry no words and are skipped.
"""

from __future__ import annotations

from typing import Any

from onrecord.errors import InputError
from onrecord.model import Cue, Reading, Word
from onrecord.readers import jsondoc


def _is_json3(doc: Any) -> bool:
    if not isinstance(doc, dict) or not isinstance(doc.get("events"), list):
        return False
    events = [e for e in doc["events"][:50] if isinstance(e, dict)]
    return bool(events) and all("tStartMs" in e for e in events)


class YouTubeJSON3Reader:
    name = "youtube-json3"
    description = "YouTube json3 captions: events with tStartMs and segs (word offsets)"

    def sniff(self, text: str, suffix: str) -> float:
        return 0.95 if _is_json3(jsondoc.try_load(text)) else 0.0

    def read(self, text: str) -> Reading:
        doc = jsondoc.load(text)
        if not isinstance(doc, dict) or not isinstance(doc.get("events"), list):
            raise InputError("expected a json3 object with an 'events' list")
        cues = [cue for n, event in enumerate(doc["events"]) if (cue := _cue(event, f"events[{n}]")) is not None]
        if not cues:
            raise InputError("the captions have no text")
        return Reading(format=self.name, cues=cues, voice_markers=any(">>" in cue.text for cue in cues))


def _cue(event: Any, where: str) -> Cue | None:
    if not isinstance(event, dict):
        raise InputError("an event must be an object", where=where)
    segs = event.get("segs")
    if segs is None:
        return None
    if not isinstance(segs, list):
        raise InputError("'segs' must be a list", where=where)
    start_ms = jsondoc.seconds(event, "tStartMs", where, per_second=1000)
    if start_ms is None:
        raise InputError("an event needs 'tStartMs'", where=where)
    duration_ms = jsondoc.seconds(event, "dDurationMs", where, per_second=1000)
    end = (start_ms + duration_ms) / 1000 if duration_ms is not None else None
    words: list[Word] = []
    offsets = False
    for n, seg in enumerate(segs):
        seg_where = f"{where}.segs[{n}]"
        if not isinstance(seg, dict) or not isinstance(seg.get("utf8"), str):
            raise InputError("a seg must be an object with a string 'utf8'", where=seg_where)
        offset_ms = jsondoc.seconds(seg, "tOffsetMs", seg_where, per_second=1000)
        offsets = offsets or offset_ms is not None
        at = (start_ms + (offset_ms or 0.0)) / 1000
        for k, token in enumerate(seg["utf8"].split()):
            words.append(Word(token, at if k == 0 else None))
    if not words:
        return None  # a line break ("\n") or an empty event
    # Auto-captions time every word (a seg each); a manual caption is one seg of many words.
    timed = offsets or len(words) == len(segs)
    if timed:
        stamped = [w for w in words if w.start is not None]
        for word, following in zip(stamped, [*stamped[1:], None], strict=True):
            word.end = following.start if following is not None else end
    return Cue(" ".join(w.text for w in words), start_ms / 1000, end, None, words if timed else None)


reader = YouTubeJSON3Reader()
