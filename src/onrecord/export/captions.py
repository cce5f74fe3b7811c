"""A source as captions for players: WebVTT (with `<v Speaker>` voice tags) and SRT.

One cue per sentence; a sentence longer than two caption lines is cut at word breaks into
cues of at most MAX_CUE_CHARS, its time shared out by length. Times come from the
sentences (which repair timed from the input's own times); a source without any time gets
an error rather than made-up times.
"""

from __future__ import annotations

import html
from dataclasses import dataclass
from datetime import timedelta

import srt
import webvtt

from onrecord.errors import InputError
from onrecord.model import Source, Transcript, Turn
from onrecord.readers.timecode import clock

# Two lines of 42 characters: the usual limit for readable captions.
MAX_LINE_CHARS = 42
MAX_CUE_CHARS = 2 * MAX_LINE_CHARS
# A cue whose end is unknown stays up as long as it takes to read it, at least this long.
MIN_CUE_SECONDS = 1.0
READING_CHARS_PER_SECOND = 15.0


@dataclass(slots=True)
class Cue:
    """One caption on screen: who speaks, what they say (at most two lines), when."""

    start: float
    end: float
    speaker: str
    lines: list[str]


def cues(source: Source) -> list[Cue]:
    """The timed cues of a source, in time order; InputError when it has no times at all."""
    transcript = source.transcript
    built: list[Cue] = []
    for turn in transcript.turns:
        if turn.start is not None:
            built.extend(_turn_cues(transcript, turn))
    if not built:
        raise InputError("this source has no timings; use --as md or txt", path=source.id)
    built.sort(key=lambda cue: cue.start)
    for n, cue in enumerate(built):
        if cue.end > cue.start:
            continue
        # No known end: up as long as reading it takes, but not past the next cue.
        end = cue.start + max(MIN_CUE_SECONDS, sum(map(len, cue.lines)) / READING_CHARS_PER_SECOND)
        if n + 1 < len(built) and built[n + 1].start > cue.start:
            end = min(end, built[n + 1].start)
        cue.end = round(end, 3)
    return built


def to_vtt(source: Source) -> str:
    """WebVTT with a voice tag per cue; the title and link in a NOTE."""
    captions = [
        webvtt.Caption(
            clock(cue.start),
            clock(cue.end),
            f"<v {_vtt_escape(cue.speaker)}>" + "\n".join(_vtt_escape(line) for line in cue.lines),
        )
        for cue in cues(source)
    ]
    note = " ".join(" ".join(part.split()) for part in (source.title, source.url) if part).replace("-->", "->")
    return str(webvtt.WebVTT(captions=captions, header_comments=[note] if note else []).content)


def to_srt(source: Source) -> str:
    """SRT, each cue's text opening with "Speaker: "."""
    subtitles = [
        srt.Subtitle(
            index,
            timedelta(seconds=cue.start),
            timedelta(seconds=cue.end),
            f"{cue.speaker}: " + "\n".join(cue.lines),
        )
        for index, cue in enumerate(cues(source), start=1)
    ]
    return str(srt.compose(subtitles))


def _turn_cues(transcript: Transcript, turn: Turn) -> list[Cue]:
    assert turn.start is not None
    text = turn.text
    speaker = transcript.speaker_name(turn.speaker)
    spans = [(s.begin, s.end, s.start, s.stop) for s in turn.sentences] or [(0, len(text), turn.start, turn.end)]
    out: list[Cue] = []
    for n, (begin, end, start, stop) in enumerate(spans):
        if start is None:
            start = _time_within(turn, begin)
        if stop is None:
            stop = spans[n + 1][2] if n + 1 < len(spans) else turn.end
            if stop is None:
                stop = _time_within(turn, end) if turn.end is not None else start
        words = text[begin:end].split()
        if not words:
            continue
        chunks = _chunks(words)
        total = sum(len(chunk) for chunk in chunks)
        at = start
        for chunk in chunks:
            # Time is shared out by length: longer pieces take longer to say.
            share = (stop - start) * len(chunk) / total if total else 0.0
            out.append(Cue(round(at, 3), round(at + share, 3), speaker, _lines(chunk)))
            at += share
    return out


def _time_within(turn: Turn, offset: int) -> float:
    """A time for a character offset of a turn that has no sentence times: its share of the turn."""
    assert turn.start is not None
    if turn.end is None or not turn.text:
        return turn.start
    return turn.start + (turn.end - turn.start) * offset / len(turn.text)


def _chunks(words: list[str]) -> list[str]:
    """The words as pieces of at most MAX_CUE_CHARS, of even length (a word longer stays whole)."""
    text = " ".join(words)
    if len(text) <= MAX_CUE_CHARS:
        return [text]
    count = -(-len(text) // MAX_CUE_CHARS)
    target = len(text) / count
    pieces: list[str] = []
    current: list[str] = []
    length = 0
    for word in words:
        grown = length + len(word) + (1 if current else 0)
        if current and (grown > MAX_CUE_CHARS or (length >= target and len(pieces) < count - 1)):
            pieces.append(" ".join(current))
            current, length = [], 0
            grown = len(word)
        current.append(word)
        length = grown
    if current:
        pieces.append(" ".join(current))
    return pieces


def _lines(chunk: str) -> list[str]:
    """A piece on one line, or two lines broken at the space nearest the middle."""
    if len(chunk) <= MAX_LINE_CHARS or " " not in chunk:
        return [chunk]
    middle = len(chunk) // 2
    spaces = [i for i, ch in enumerate(chunk) if ch == " "]
    cut = min(spaces, key=lambda i: abs(i - middle))
    return [chunk[:cut], chunk[cut + 1 :]]


def _vtt_escape(text: str) -> str:
    # Cue text may not hold "<", "&" or "-->" raw; html.escape covers all three.
    return html.escape(text, quote=False)
