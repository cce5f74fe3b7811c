"""Turns at word level, from diarised words (WhisperX, pyannote): the `turns` step for them.

A turn changes where the word's speaker changes, even inside a segment. One exception:
a single word of one speaker between words of another is a diarisation slip at a turn's edge
unless it is a word people say on its own ("yeah", "uh-huh", "right"); in telephone data
(DiarizationLM's examples) such lone backchannels are usually real, lone ordinary words
("but", "so", "the") usually not. Cues without words keep their label for all their words.
"""

from __future__ import annotations

import bisect
import itertools
import re

from onrecord.model import Cue
from onrecord.repair.spans import Span

_TOKEN = re.compile(r"\S+")
_EDGES = ".,!?;:\"'“”‘’…()[]-–—"

# Words that make an utterance on their own: backchannels and short answers.
RESPONSES = frozenset(
    (
        *("yeah", "yes", "yep", "yup", "yea", "no", "nope", "nah", "okay", "ok", "right", "sure"),
        *("uh-huh", "mhm", "mm-hmm", "mm-mm", "mm", "hmm", "hm", "huh", "oh", "ah", "wow", "really"),
        *("exactly", "true", "alright", "cool", "nice", "great", "thanks", "absolutely", "definitely"),
        *("totally", "indeed", "correct"),
    )
)


def spans(cues: list[Cue], *, markers: bool = False, smooth: bool = True) -> list[Span]:
    """Spans cut where the speaker changes; with `markers`, the `>>` markers leave the text."""
    texts: list[str] = []
    owner: list[int] = []
    said_by: list[str | None] = []
    diarised: list[bool] = []
    starts: list[float | None] = []
    ends: list[float | None] = []
    for index, cue in enumerate(cues):
        words = cue.words or []
        text = cue.text if cue.text.strip() or not words else " ".join(w.text for w in words)
        if markers:
            text = text.replace(">>", " ")
        tokens = text.split()
        if not tokens:
            continue
        first = len(texts)
        texts.extend(tokens)
        owner.extend([index] * len(tokens))
        if words and len(words) == len(tokens) and [w.text.strip() for w in words] == tokens:
            # The usual case (WhisperX, json3): one word per token, in order.
            said_by.extend([w.speaker or None for w in words])
            diarised.extend([bool(w.speaker) for w in words])
            starts.extend([w.start for w in words])
            ends.extend([w.end for w in words])
            continue
        said_by.extend([cue.speaker] * len(tokens))
        diarised.extend([False] * len(tokens))
        starts.extend([None] * len(tokens))
        ends.extend([None] * len(tokens))
        if words:
            offsets = [m.start() for m in _TOKEN.finditer(text)]
            _place_words(cue, text, offsets, first, said_by, diarised, starts, ends)

    speaker = _fill(said_by)
    if smooth:
        speaker = _smooth(texts, speaker, diarised)
    return _spans(cues, texts, owner, speaker, starts, ends)


def _place_words(
    cue: Cue,
    text: str,
    offsets: list[int],
    first: int,
    said_by: list[str | None],
    diarised: list[bool],
    starts: list[float | None],
    ends: list[float | None],
) -> None:
    """Give each token of the cue the speaker and start of the first word found in it."""
    cursor = 0
    current = 0
    claimed = [False] * len(offsets)
    for word in cue.words or ():
        needle = word.text.strip()
        at = text.find(needle, cursor) if needle else -1
        if at >= 0:
            current = max(bisect.bisect_right(offsets, at) - 1, 0)
            cursor = at + len(needle)
        # A word that the text spells differently stays with the token before it.
        slot = first + current
        if not claimed[current]:
            claimed[current] = True
            starts[slot] = word.start
            # A word without a speaker takes the one of the word before it (see _fill).
            said_by[slot] = word.speaker or None
            diarised[slot] = bool(word.speaker)
        if word.end is not None:
            ends[slot] = word.end
    for n, was in enumerate(claimed):
        if not was:
            said_by[first + n] = None


def _fill(said_by: list[str | None]) -> list[str]:
    """Tokens with no speaker of their own take the one before (the first known, at the start)."""
    known = next((s for s in said_by if s), "Speaker 1")
    out = []
    for label in said_by:
        known = label or known
        out.append(known)
    return out


def _smooth(texts: list[str], speaker: list[str], diarised: list[bool]) -> list[str]:
    """A lone diarised word between two words of another speaker joins them, unless it stands alone."""
    out = list(speaker)
    for i in range(1, len(speaker) - 1):
        here, before = speaker[i], speaker[i - 1]
        lone = here != before and before == speaker[i + 1] and diarised[i]
        if lone and texts[i].strip(_EDGES).lower() not in RESPONSES:
            out[i] = before
    return out


def _spans(
    cues: list[Cue],
    texts: list[str],
    owner: list[int],
    speaker: list[str],
    starts: list[float | None],
    ends: list[float | None],
) -> list[Span]:
    out: list[Span] = []
    n = len(texts)
    if not n:
        return out
    cuts = [k for k in range(1, n) if owner[k] != owner[k - 1] or speaker[k] != speaker[k - 1]]
    for i, j in zip([0, *cuts], [*cuts, n], strict=True):
        cue = cues[owner[i]]
        anchors: list[tuple[int, float]] = []
        if (i == 0 or owner[i - 1] != owner[i]) and starts[i] is None and cue.start is not None:
            anchors.append((0, cue.start))
        offsets = itertools.accumulate((len(t) + 1 for t in texts[i : j - 1]), initial=0)
        anchors.extend((at, time) for at, time in zip(offsets, starts[i:j], strict=True) if time is not None)
        start = starts[i] if starts[i] is not None else cue.start
        end = ends[j - 1] if ends[j - 1] is not None else cue.end
        out.append(Span(owner[i], " ".join(texts[i:j]), speaker[i], start, end, anchors))
    return out
