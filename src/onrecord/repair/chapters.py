"""Chapter titles that a caption export dropped in as lines of their own.

The first repair step for plain caption text: it takes the title lines out of the spoken
text and says at which cue each chapter starts, before turns are built.

A title is told from a short spoken line by its shape (short for the text's line width,
capitalised, no sentence punctuation at its end) and by evidence that it does not belong
to the speech around it: it interrupts a sentence (the line before is unfinished and the
line after carries on in lower case), or it is set in Title Case between two sentences.
A short line that ends like a sentence ("Go for it.") or sits between finished sentences
("Why?") stays speech: a missed title costs less than a chapter invented from speech.

Export tools place a title before the first caption that starts after the chapter's
moment, which is often in the middle of a sentence. The chapter's moment therefore lies at
or before the title line, and the chapter starts at the start of the sentence the title
interrupted (or, when that is out of reach, right after that sentence), so no sentence is
cut in two; `Title.shift` records how far the start moved.
"""

from __future__ import annotations

import re
import statistics
from dataclasses import dataclass, replace

from onrecord.model import Cue

# A sentence ends at . ! ? or an ellipsis, maybe followed by a closing quote or bracket.
_SENTENCE_END = re.compile(r"[.!?…]+[\"'”’)\]]*(?=\s|$)")
_ENDS_SENTENCE = re.compile(r"[.!?…][\"'”’)\]]*$")
_INNER_SENTENCE_END = re.compile(r"[.!?…][\"'”’)\]]*\s+\S")
# Punctuation that a title does not end with (a question mark it may: "Why VR feels real?").
_NOT_TITLE_END = tuple(".,;:!…-–—")
# Words a finished sentence does not end on: a line ending with one is unfinished.
_OPEN_END_WORDS = (
    "a an the of to in on at for with about from by and or but nor that which who whose whom "
    "is are was were be been am it's its my your our their his her this these those than as "
    "into onto like if so because when while where how what very"
)
_OPEN_ENDS = frozenset(_OPEN_END_WORDS.split())
_MAX_TITLE_WORDS = 12
# A title line is at most this share of the text's typical (median) line length.
_SHORT = 0.6
# How far, in words, a chapter's start may move to reach a sentence boundary.
_REACH = 50


@dataclass(frozen=True, slots=True)
class Title:
    """A chapter title found among the lines.

    `cue` is the index, in the cues `find` returns, of the chapter's first cue; `line` is
    where the title stood in the file; `shift` is how many words the chapter's start was
    moved from the title line to reach a sentence boundary (negative: back, earlier).
    """

    cue: int
    text: str
    line: int | None = None
    shift: int = 0


def find(cues: list[Cue]) -> tuple[list[Cue], list[Title]]:
    """The cues without title lines (a cue may be cut at a sentence boundary), and the titles."""
    spoken = [cue.text.strip() for cue in cues]
    lengths = [len(text) for text in spoken if text]
    if len(lengths) < 3:
        return cues, []
    width = statistics.median(lengths)
    is_title = [_looks_like_title(spoken, i, width) for i in range(len(cues))]
    if not any(is_title):
        return cues, []

    speech: list[Cue] = []
    # (title cue, position in `speech` of the first cue after it); of two titles in a row
    # only the later is kept, since the earlier would be an empty chapter.
    found: list[tuple[Cue, int]] = []
    for cue, text, title in zip(cues, spoken, is_title, strict=True):
        if title:
            if found and found[-1][1] == len(speech):
                found.pop()
            found.append((cue, len(speech)))
        elif text:
            speech.append(cue)
    found = [(title, at) for title, at in found if at < len(speech)]

    starts: list[tuple[tuple[int, int], int]] = []
    floor = 0
    for n, (_, at) in enumerate(found):
        ceiling = found[n + 1][1] if n + 1 < len(found) else len(speech)
        start, shift = _nearest_sentence_start(speech, at, floor, ceiling)
        if starts and start <= starts[-1][0]:
            # Moving would put this chapter before the previous one: keep the title's place.
            start, shift = (at, 0), 0
        starts.append((start, shift))
        floor = start[0]
    return _cut_at(speech, found, starts)


def _looks_like_title(spoken: list[str], i: int, width: float) -> bool:
    text = spoken[i]
    words = text.split()
    if not words or len(words) > _MAX_TITLE_WORDS or len(text) > _SHORT * width:
        return False
    if not (text[0].isupper() or text[0].isdigit()):
        return False
    if text.endswith(_NOT_TITLE_END) or _INNER_SENTENCE_END.search(text):
        return False
    before = next((spoken[j] for j in range(i - 1, -1, -1) if spoken[j]), None)
    after = next((spoken[j] for j in range(i + 1, len(spoken)) if spoken[j]), None)
    if after is None:
        return False
    before_open = before is not None and not _ENDS_SENTENCE.search(before)
    if before_open:
        assert before is not None
        last_word = before.split()[-1].lower().strip("\"'”’,;:")
        # The title cut a sentence: the line after carries it on.
        return after[0].islower() or last_word in _OPEN_ENDS
    return _title_case(words) and after[0].isupper() and not text.endswith("?")


def _title_case(words: list[str]) -> bool:
    """Every word of four letters or more is capitalised, and there are at least two."""
    long_words = [w for w in words if len(w.strip("\"'“”‘’()")) >= 4]
    return len(long_words) >= 2 and all(w.strip("\"'“”‘’()")[:1].isupper() for w in long_words)


def _nearest_sentence_start(speech: list[Cue], at: int, floor: int, ceiling: int) -> tuple[tuple[int, int], int]:
    """Where the chapter whose title stood before `speech[at]` starts, as ((cue, offset), shift).

    The start of the sentence the title interrupted, found within `_REACH` words back (not
    before `floor`, the previous chapter); failing that, the end of that sentence, within
    `_REACH` words forward (not past `ceiling`); failing both, the title's own place.
    """
    back: tuple[int, tuple[int, int]] | None = None
    words = 0
    for k in range(at - 1, floor - 1, -1):
        text = speech[k].text.rstrip()
        ends = list(_SENTENCE_END.finditer(text))
        if ends:
            last = ends[-1]
            rest = text[last.end() :]
            offset = last.end() + len(rest) - len(rest.lstrip())
            back = (words + len(rest.split()), (k, offset) if rest.strip() else (k + 1, 0))
            break
        words += len(text.split())
        if words > _REACH:
            break
    forward: tuple[int, tuple[int, int]] | None = None
    words = 0
    for k in range(at, ceiling):
        text = speech[k].text
        match = _SENTENCE_END.search(text)
        if match is not None:
            upto = words + len(text[: match.end()].split())
            forward = (upto, (k, match.end()) if text[match.end() :].strip() else (k + 1, 0))
            break
        words += len(text.split())
        if words > _REACH:
            break
    if back is not None and back[0] <= _REACH:
        return back[1], -back[0]
    if forward is not None and forward[0] <= _REACH:
        return forward[1], forward[0]
    return (at, 0), 0


def _cut_at(
    speech: list[Cue], found: list[tuple[Cue, int]], starts: list[tuple[tuple[int, int], int]]
) -> tuple[list[Cue], list[Title]]:
    """Cut the cues where chapters start inside them; index the titles into the result."""
    cuts: dict[int, list[int]] = {}
    for (k, offset), _ in starts:
        if offset and k < len(speech):
            cuts.setdefault(k, []).append(offset)
    out: list[Cue] = []
    # Where each (cue, offset) start lands in `out`.
    index: dict[tuple[int, int], int] = {}
    for k, cue in enumerate(speech):
        index[(k, 0)] = len(out)
        rest, done = cue, 0
        for offset in sorted(set(cuts.get(k, []))):
            head, rest = _cut(rest, offset - done)
            done = offset
            out.append(head)
            index[(k, offset)] = len(out)
        out.append(rest)
    index[(len(speech), 0)] = len(out)
    titles = []
    for (title, _), (start, shift) in zip(found, starts, strict=True):
        if start[0] < len(speech):
            titles.append(Title(index[start], title.text.strip(), title.line, shift))
    return out, titles


def _cut(cue: Cue, offset: int) -> tuple[Cue, Cue]:
    """`cue` cut in two at `offset`; times are shared out in proportion to the characters."""
    text = cue.text
    head_text, tail_text = text[:offset].rstrip(), text[offset:].lstrip()
    middle = None
    if cue.start is not None and cue.end is not None and text:
        middle = cue.start + (cue.end - cue.start) * offset / len(text)
    head_words = tail_words = None
    if cue.words is not None:
        n = len(head_text.split())
        head_words, tail_words = cue.words[:n], cue.words[n:]
        if tail_words and tail_words[0].start is not None:
            middle = tail_words[0].start
    head = replace(cue, text=head_text, end=middle if middle is not None else cue.end, words=head_words)
    tail = replace(cue, text=tail_text, start=middle if middle is not None else cue.start, words=tail_words)
    return head, tail
