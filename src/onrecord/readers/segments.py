"""Timed segments with optional words and speakers (Whisper, WhisperX, pyannote-style JSON) as cues."""

from __future__ import annotations

from typing import Any

from onrecord.errors import InputError
from onrecord.model import Cue, Word
from onrecord.readers import jsondoc
from onrecord.readers.timecode import MAX_SECONDS


def cue(item: Any, where: str, *, text_key: str = "text") -> Cue:
    """One segment `{start, end, text, speaker?, words?}`; `where` names it (e.g. "segments[3]")."""
    if not isinstance(item, dict):
        raise InputError("a segment must be an object", where=where)
    text = jsondoc.text_field(item, text_key, where)
    start, end = jsondoc.span(item, "start", "end", where)
    speaker = jsondoc.optional_text(item, "speaker", where)
    raw_words = item.get("words")
    words = None
    if raw_words is not None:
        if not isinstance(raw_words, list):
            raise InputError("'words' must be a list", where=where)
        words = [w for n, raw in enumerate(raw_words) if (w := _word(raw, f"{where}.words[{n}]")) is not None]
        if words and not text.strip():
            text = " ".join(w.text for w in words)
    return Cue(" ".join(text.split()), start, end, speaker, words or None)


def _word(raw: Any, where: str) -> Word | None:
    # Checked inline, not through jsondoc's helpers: files hold a word object per spoken word.
    if not isinstance(raw, dict):
        raise InputError("a word must be an object", where=where)
    token = raw.get("word", raw.get("text"))
    if not isinstance(token, str):
        raise InputError("a word needs a string 'word'", where=where)
    token = token.strip()
    if not token:
        return None
    start, end, speaker = raw.get("start"), raw.get("end"), raw.get("speaker")
    if (start is not None and not _time(start)) or (end is not None and not _time(end)):
        raise InputError(f"'start' and 'end' must be numbers of seconds between 0 and {MAX_SECONDS:,}", where=where)
    if start is not None and end is not None and end < start:
        raise InputError(f"ends ({end:g} s) before it starts ({start:g} s)", where=where)
    if speaker is not None and not isinstance(speaker, str):
        speaker = str(speaker)
    return Word(token, start, end, speaker or None)


def _time(value: Any) -> bool:
    # Compared before any float(): a huge int (10**400) would overflow it.
    return isinstance(value, int | float) and not isinstance(value, bool) and 0 <= value <= MAX_SECONDS


def read_segments(text: str, what: str) -> list[Cue]:
    """The cues of a JSON object whose `segments` list holds {start, end, text, ...} items."""
    doc = jsondoc.load(text)
    if not isinstance(doc, dict) or not isinstance(doc.get("segments"), list):
        raise InputError(f"expected a {what} JSON object with a 'segments' list")
    cues = [cue(item, f"segments[{n}]") for n, item in enumerate(doc["segments"])]
    cues = [c for c in cues if c.text]
    if not cues:
        raise InputError("the transcript has no segments with text")
    return cues
