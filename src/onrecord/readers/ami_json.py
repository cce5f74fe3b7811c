"""AMI meeting dialogue acts as JSON: `[{id, speaker, starttime, endtime, text, attributes}]`.

This is how the AMI corpus is shared in JSON (e.g. by DialogStudio): one record per
dialogue act, timed in seconds written as strings, speakers as letters A-D, in order
of the speaker's channel rather than of time, so the acts are sorted by start.
"""

from __future__ import annotations

from typing import Any

from onrecord.errors import InputError
from onrecord.model import Cue, Reading
from onrecord.readers import jsondoc


def _acts(doc: Any) -> list[dict[str, Any]] | None:
    items = jsondoc.records(doc, "dialogue_acts", "dialog_acts")
    if items is None or not jsondoc.has_keys(items, "starttime", "endtime", "text"):
        return None
    return items


class AMIJSONReader:
    name = "ami-json"
    description = "AMI dialogue acts JSON [{speaker, starttime, endtime, text}]"

    def sniff(self, text: str, suffix: str) -> float:
        return 0.95 if _acts(jsondoc.try_load(text)) is not None else 0.0

    def read(self, text: str) -> Reading:
        items = _acts(jsondoc.load(text))
        if items is None:
            raise InputError("expected a list of dialogue acts {speaker, starttime, endtime, text}")
        timed: list[tuple[float, int, Cue]] = []
        for n, item in enumerate(items):
            where = f"[{n}]"
            if not isinstance(item, dict):
                raise InputError("a dialogue act must be an object", where=where)
            words = " ".join(jsondoc.text_field(item, "text", where).split())
            start, end = jsondoc.span(item, "starttime", "endtime", where)
            if words:
                cue = Cue(words, start, end, jsondoc.optional_text(item, "speaker", where))
                timed.append((start if start is not None else float("inf"), n, cue))
        if not timed:
            raise InputError("the meeting has no dialogue acts with text")
        timed.sort(key=lambda entry: (entry[0], entry[1]))
        return Reading(format=self.name, cues=[cue for _, _, cue in timed])


reader = AMIJSONReader()
