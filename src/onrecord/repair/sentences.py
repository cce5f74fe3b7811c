"""Sentence boundaries within a turn, timed from the turn's anchors (repair's fourth step).

Boundaries come from sentencex (Wikimedia's rule-based segmenter, compiled, ~1 µs a call):
it knows abbreviations ("Mr.", "U.S.", "e.g."), decimals, "?!", quotes, and that "..."
before a lowercase word joins caption fragments. On top of it we glue list numbers ("1.")
to their item and cut long unpunctuated runs (auto captions) at a likely clause start, so
that no sentence (and so no quote or passage built from sentences) runs on for minutes.
"""

from __future__ import annotations

import bisect
import re

from sentencex import get_sentence_boundaries

from onrecord.model import Sentence

LANGUAGE = "en"
# A run without sentence-final punctuation is cut when longer than this many words...
MAX_WORDS = 40
# ...and any sentence at all when longer than this (run-on auto captions with a stray ".").
HARD_MAX_WORDS = 80
# A cut never leaves a piece shorter than this.
MIN_WORDS = 12

_FINAL = re.compile(r"[.!?…。！？][\"'”’)\]]*$")
# A span that is only a list marker ("1.", "2)", "a.", "-") belongs to the item after it.
_MARKER = re.compile(r"(?:\d{1,3}|[a-zA-Z]|[ivx]{1,4})[.)]|[-*•–—]")
# A list marker that the segmenter left at the end of the sentence before its item
# ("Three things: 1." + "Speed."): punctuation, then a lone number.
_TRAILING_MARKER = re.compile(r"([.!?:;][\"')\]]*)\s+(\d{1,3}[.)])$")
_WORD = re.compile(r"\S+")
_PAUSE = re.compile(r"[,;:]$|^[-–—]+$")
# Words that usually open a new clause in unpunctuated speech; a cut goes before them.
# fmt: off
_STRONG_OPENERS = frozenset(
    {
        "so", "but", "because", "okay", "ok", "now", "well", "anyway", "actually", "basically", "yeah",
        "right", "um", "uh", "alright",
    }
)
_WEAK_OPENERS = frozenset(
    {
        "and", "then", "or", "i", "we", "you", "they", "he", "she", "it", "that's", "there's", "which",
        "when", "if",
    }
)
# fmt: on


def split(text: str, anchors: list[tuple[int, float]], turn_end: float | None = None) -> list[Sentence]:
    """Sentences of `text` as character spans, timed from `anchors` (sorted (offset, seconds)).

    A sentence's `start` is the time at its first character and its `stop` the time at the
    next sentence's first character, interpolated linearly between the anchors around them
    (exact for word-timed input, where every word starts at an anchor). After the last
    anchor the turn's end (`turn_end`) closes the interpolation; without it the last
    sentence has no `stop`.
    """
    spans = _spans(text)
    if not anchors or not spans:
        return [Sentence(b, e) for b, e in spans]
    offsets = [offset for offset, _ in anchors]
    times = [time for _, time in anchors]
    clock = _Clock(offsets, times, len(text), turn_end)
    starts: list[float | None] = [clock.at(b) for b, _ in spans]
    # A sentence stops where the next one starts; the last one where the turn ends.
    stops = [*starts[1:], turn_end]
    result = []
    for (b, e), start, stop in zip(spans, starts, stops, strict=True):
        if start is not None and stop is not None and stop < start:
            stop = start
        result.append(Sentence(b, e, start, stop))
    return result


def _spans(text: str) -> list[tuple[int, int]]:
    """(begin, end) of each sentence, trimmed of surrounding whitespace."""
    spans: list[tuple[int, int]] = []
    pending: int | None = None  # begin of a list marker waiting for its item
    for boundary in get_sentence_boundaries(LANGUAGE, text):
        b, e = boundary["start_index"], boundary["end_index"]
        while b < e and text[b].isspace():
            b += 1
        while e > b and text[e - 1].isspace():
            e -= 1
        if b == e:
            continue
        piece = text[b:e]
        trailing = _TRAILING_MARKER.search(piece) if piece[-2:-1].isdigit() else None
        if trailing is not None and pending is None:
            spans.append((b, b + trailing.end(1)))
            pending = b + trailing.start(2)
            continue
        if _MARKER.fullmatch(piece):
            pending = b if pending is None else pending
            continue
        if pending is not None:
            b, pending = pending, None
        if not any(ch.isalnum() for ch in piece) and spans:
            # A lone "..." or "—" is a pause, not a sentence: it ends the one before.
            spans[-1] = (spans[-1][0], e)
            continue
        spans.append((b, e))
    if pending is not None:
        spans.append((pending, len(text.rstrip())))
    out: list[tuple[int, int]] = []
    for b, e in spans:
        out.extend(_cut_long(text, b, e))
    return out


def _cut_long(text: str, begin: int, end: int) -> list[tuple[int, int]]:
    """The span, cut into pieces of at most MAX_WORDS words when it is an unpunctuated run."""
    piece = text[begin:end]
    # Cheap test first: most sentences are far shorter than any limit.
    if piece.count(" ") < MAX_WORDS:
        return [(begin, end)]
    words = [(m.start() + begin, m.end() + begin) for m in _WORD.finditer(piece)]
    limit = HARD_MAX_WORDS if _FINAL.search(piece) else MAX_WORDS
    if len(words) <= limit:
        return [(begin, end)]
    cuts: list[tuple[int, int]] = []
    first = 0
    while len(words) - first > limit:
        cut = _best_cut(text, words, first, limit)
        cuts.append((words[first][0], words[cut - 1][1]))
        first = cut
    cuts.append((words[first][0], end))
    return cuts


def _best_cut(text: str, words: list[tuple[int, int]], first: int, limit: int) -> int:
    """Index of the word that starts the next piece: the likeliest clause start in reach."""
    best, best_score = first + limit, 0
    # Leave at least MIN_WORDS for the remainder too, so the last piece is not a stub.
    last = min(first + limit, len(words) - MIN_WORDS)
    for i in range(first + MIN_WORDS, last + 1):
        before = text[words[i - 1][0] : words[i - 1][1]]
        word = text[words[i][0] : words[i][1]].lower().strip(",.;:!?\"'")
        if _PAUSE.search(before):
            score = 3
        elif word in _STRONG_OPENERS:
            score = 2
        elif word in _WEAK_OPENERS:
            score = 1
        else:
            continue
        # Ties go to the later cut: fewer, fuller sentences.
        if score >= best_score:
            best, best_score = i, score
    return best


class _Clock:
    """Time at a character offset, interpolated between the anchors around it."""

    __slots__ = ("end", "length", "offsets", "times")

    def __init__(self, offsets: list[int], times: list[float], length: int, end: float | None) -> None:
        self.offsets, self.times, self.length, self.end = offsets, times, length, end

    def at(self, offset: int) -> float:
        offsets, times = self.offsets, self.times
        i = bisect.bisect_right(offsets, offset) - 1
        if i < 0:
            return times[0]
        if offsets[i] == offset:
            return times[i]
        if i + 1 < len(offsets):
            o0, o1, t0, t1 = offsets[i], offsets[i + 1], times[i], times[i + 1]
        elif self.end is not None and self.length > offsets[i]:
            o0, o1, t0, t1 = offsets[i], self.length, times[i], self.end
        else:
            # Past the last anchor with no end to aim for: the last anchor's time.
            return times[i]
        return round(t0 + (t1 - t0) * (offset - o0) / (o1 - o0), 3)
