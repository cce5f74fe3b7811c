"""Speaker turns for unlabelled speech: who says each sentence, and how surely.

Runs in repair in place of `turns` when the file names no speakers (plain caption text,
WebVTT or SRT without voices). Caption lines do not follow turns, so the cues are joined
into one text and cut into sentences (at sentence ends, and where a sentence breaks off or
a sound tag closes: a caption line often holds the end of one voice and the start of the
next). `voice_model` gives each sentence a role, the host who asks or the guest who
answers, and the probability that the role is right; a turn is a run of sentences with
one role, and its confidence is the share of its words the model expects to be right.
Roles are labelled `Speaker A`, `Speaker B` in order of appearance. Two guests are not told
apart, and a change inside a sentence is not found.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Sequence

from onrecord.model import Cue, Turn
from onrecord.repair import dialogue, voice_model
from onrecord.repair import markers as markers_

_SENTENCE_END = re.compile(r"(?:[.!?…]+[\"'”’)\]]*|\]|--|—)(?= )")
HOST, GUEST = voice_model.HOST, voice_model.GUEST
# Fewer exchanges than one per this many words: a monologue (see _monologue).
MONOLOGUE_WORDS = 1000


def split(
    cues: list[Cue], breaks: set[int], model: voice_model.VoiceModel = voice_model.MODEL, *, markers: bool = False
) -> list[Turn]:
    """Turns over `cues`, one voice each; a turn starts at every cue index in `breaks`. With
    `markers`, a `>>` in the text is where the voice likely changes (and is not a word)."""
    marks: set[tuple[int, int]] = set()
    if markers:
        cues, marks = _unmarked(cues)
    texts = [" ".join(cue.text.split()) for cue in cues]
    owners = [i for i, text in enumerate(texts) if text]
    if not owners:
        return []
    starts = []
    position = 0
    for i in owners:
        starts.append(position)
        position += len(texts[i]) + 1
    flat = " ".join(texts[i] for i in owners)

    forced = set()
    for cue_index in breaks:
        j = bisect.bisect_left(owners, cue_index)
        if j < len(owners):
            forced.add(starts[j])
    # Each marker's place in the joined text: (cue, offset in its cleaned text).
    marked = {starts[owners.index(cue)] + offset for cue, offset in marks if cue in owners}
    bounds = {0, *forced, *(m for m in marked if m < len(flat))}
    bounds.update(match.end() + 1 for match in _SENTENCE_END.finditer(flat))
    cuts = sorted(bounds)
    spans = list(zip(cuts, [*cuts[1:], len(flat) + 1], strict=True))
    signs = [dialogue.read(flat[b:e]) for b, e in spans]
    monologue = _monologue(signs)
    if monologue:
        roles, sure = [HOST] * len(spans), [1.0] * len(spans)
    else:
        chapters = {n for n, (b, _) in enumerate(spans) if b in forced}
        at_markers = {n for n, (b, _) in enumerate(spans) if b in marked} if markers else None
        roles, sure = voice_model.roles(signs, chapters, model, at_markers)

    built: list[Turn] = []
    labels: dict[int, str] = {}
    begin = 0
    right = total = 0.0
    for n, ((_, e), role) in enumerate(zip(spans, roles, strict=True)):
        right += sure[n] * signs[n].words
        total += signs[n].words
        last = n + 1 == len(spans)
        if last or roles[n + 1] != role or spans[n + 1][0] in forced:
            label = labels.setdefault(role, _label(len(labels)))
            turn = _turn(label, flat, begin, e - 1, cues, owners, starts)
            raw = right / total if total else sure[n]
            turn.confidence = 1.0 if monologue else round(voice_model.calibrated(raw, model), 3)
            built.append(turn)
            begin = e
            right = total = 0.0
    return built


def _unmarked(cues: list[Cue]) -> tuple[list[Cue], set[tuple[int, int]]]:
    """The cues without their `>>` markers, and where each marker was: (cue index, character
    offset in the cue's text as cleaned)."""
    cleaned = []
    marks: set[tuple[int, int]] = set()
    for index, cue in enumerate(cues):
        kept: list[str] = []
        length = 0
        for token in cue.text.split():
            if token == markers_.MARKER:
                marks.add((index, length + (1 if kept else 0)))
                continue
            length += len(token) + (1 if kept else 0)
            kept.append(token)
        cleaned.append(Cue(" ".join(kept), cue.start, cue.end, cue.speaker, cue.words, cue.line))
    return cleaned, marks


def _monologue(signs: Sequence[dialogue.Signs]) -> bool:
    """A conversation has questions and backchannels: with none, or fewer than one
    per MONOLOGUE_WORDS words, the text is one voice (a talk, a reading) and is not split."""
    exchanges = sum(sign.question or sign.backchannel for sign in signs)
    return exchanges < max(1, sum(sign.words for sign in signs) / MONOLOGUE_WORDS)


def name_in_order(turns: list[Turn]) -> None:
    """Relabel `Speaker A`, `Speaker B`... in the order the voices first speak."""
    order: dict[str, str] = {}
    for turn in turns:
        turn.speaker = order.setdefault(turn.speaker, _label(len(order)))


def _label(n: int) -> str:
    return f"Speaker {chr(ord('A') + n)}" if n < 26 else f"Speaker {n + 1}"


def _turn(label: str, flat: str, begin: int, end: int, cues: list[Cue], owners: list[int], starts: list[int]) -> Turn:
    """The turn over `flat[begin:end]`, with the cue it starts in and its times, if any."""
    first = bisect.bisect_right(starts, begin) - 1
    turn = Turn(speaker=label, text=flat[begin:end].strip(), cue=owners[first])
    last = bisect.bisect_right(starts, max(begin, end - 1)) - 1
    for j in range(first, last + 1):
        cue = cues[owners[j]]
        if cue.start is None:
            continue
        offset = max(starts[j] - begin, 0)
        time = _time_at(cue, begin - starts[j]) if starts[j] < begin else cue.start
        if time is not None:
            turn.anchors.append((offset, time))
    if turn.anchors:
        turn.start = turn.anchors[0][1]
    tail = cues[owners[last]]
    tail_text_end = starts[last] + len(" ".join(tail.text.split()))
    # A turn cut inside a cue ends where the next one starts (after the space between them).
    turn.end = tail.end if end >= tail_text_end else _time_at(tail, end + 1 - starts[last])
    return turn


def _time_at(cue: Cue, offset: int) -> float | None:
    """The time at character `offset` of a cue: its word's start, else by proportion."""
    text = " ".join(cue.text.split())
    if cue.words:
        k = len(text[:offset].split())
        if len(cue.words) == len(text.split()) and k < len(cue.words) and cue.words[k].start is not None:
            return cue.words[k].start
    if cue.start is not None and cue.end is not None and text:
        return cue.start + (cue.end - cue.start) * min(max(offset, 0), len(text)) / len(text)
    return cue.start
