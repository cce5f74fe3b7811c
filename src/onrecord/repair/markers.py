"""Who speaks between `>>` voice markers: the `turns` step for captions that mark voice changes.

The stream of cues is cut at every `>>` into pieces. A marker is where the voice really
changes, but the cue labels lag or lead it by a cue, so a Viterbi pass over the pieces weighs
the two: a `>>` strongly favours a change of speaker, a label is strong evidence away from any
marker and weak evidence in a cue at a marker (where the lag happens). Short pieces then follow
the alternation of the markers and long pieces follow their labels. A piece that is only
non-speech (`>> [laughter] >>`) has no speaker of its own and says nothing about a change.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

from onrecord.model import Cue
from onrecord.repair.spans import Span

MARKER = ">>"
# Sound descriptions and music notes: not words, nobody's turn.
NON_SPEECH = re.compile(r"\[[^\]]*\]|\([^)]*\)|♪+")


@dataclass(frozen=True, slots=True)
class MarkerModel:
    """The probabilities the Viterbi pass weighs; chosen, not fitted (see docs/decisions.md).

    `change`: a `>>` between two pieces of speech is a change of speaker.
    `interior`: the label of a cue with no marker in it or at its edges is right.
    `boundary`: the label of a cue at a marker is right (it lags or leads there).
    """

    change: float = 0.95
    interior: float = 0.95
    boundary: float = 0.6


@dataclass(slots=True)
class _Part:
    cue: int
    text: str
    words: int
    starts_cue: bool


def spans(cues: list[Cue], model: MarkerModel | None = None) -> list[Span]:
    """Every piece of text between markers as spans, each with the speaker the pass chose."""
    model = model or MarkerModel()
    pieces = _pieces(cues)
    speakers = list(dict.fromkeys(cue.speaker for cue in cues if cue.speaker))
    chosen = _choose(pieces, cues, speakers, model) if len(speakers) > 1 else [0] * len(pieces)
    labels = speakers or ["Speaker 1"]
    out = []
    for piece, state in zip(pieces, chosen, strict=True):
        for part in piece:
            cue = cues[part.cue]
            anchors = [(0, cue.start)] if part.starts_cue and cue.start is not None else []
            out.append(Span(part.cue, part.text, labels[state], cue.start, cue.end, anchors))
    return out


def _pieces(cues: list[Cue]) -> list[list[_Part]]:
    """The text between markers, in order; a piece may run over several cues."""
    pieces: list[list[_Part]] = []
    marked = True
    for index, cue in enumerate(cues):
        starts_cue = True
        for n, chunk in enumerate(cue.text.split(MARKER)):
            marked = marked or n > 0
            text = " ".join(chunk.split())
            if not text:
                continue
            if marked or not pieces:
                pieces.append([])
                marked = False
            pieces[-1].append(_Part(index, text, len(NON_SPEECH.sub(" ", text).split()), starts_cue))
            starts_cue = False
    return pieces


def _at_marker(cues: list[Cue]) -> list[bool]:
    """Cues whose label may lag or lead: a marker inside them or at either edge."""
    texts = [cue.text.strip() for cue in cues]
    inside = [MARKER in text for text in texts]
    opens = [text.startswith(MARKER) for text in texts]
    closes = [text.endswith(MARKER) for text in texts]
    last = len(cues) - 1
    return [inside[i] or (i < last and opens[i + 1]) or (i > 0 and closes[i - 1]) for i in range(len(cues))]


def _choose(pieces: list[list[_Part]], cues: list[Cue], speakers: list[str], model: MarkerModel) -> list[int]:
    """The most likely speaker (index into `speakers`) of every piece."""
    n = len(speakers)
    state = {label: s for s, label in enumerate(speakers)}
    words_in_cue = [0] * len(cues)
    for piece in pieces:
        for part in piece:
            words_in_cue[part.cue] += part.words
    at_marker = _at_marker(cues)
    # Per cue: log P(label | that speaker) and log P(label | any other speaker).
    right, wrong = [], []
    for q in (model.interior, model.boundary):
        right.append(math.log(q))
        wrong.append(math.log((1 - q) / (n - 1)))
    stay, move = math.log(1 - model.change), math.log(model.change / (n - 1))
    neutral = -math.log(n)

    speech = [i for i, piece in enumerate(pieces) if any(part.words for part in piece)]
    back: list[list[int]] = []
    score: list[float] = []
    previous = -1
    for i in speech:
        emit = [0.0] * n
        for part in pieces[i]:
            cue = cues[part.cue]
            if not cue.speaker or not part.words:
                continue
            share = part.words / words_in_cue[part.cue]
            kind = 1 if at_marker[part.cue] else 0
            emit = [e + share * wrong[kind] for e in emit]
            emit[state[cue.speaker]] += share * (right[kind] - wrong[kind])
        # A non-speech piece between two speech pieces hides whether the voice changed.
        after_gap = previous >= 0 and i - previous > 1
        if not score:
            score = emit
            back.append(list(range(n)))
        else:
            new, pointers = [], []
            for t in range(n):
                best, arg = -math.inf, 0
                for s in range(n):
                    step = neutral if after_gap else (stay if s == t else move)
                    value = score[s] + step
                    if value > best:
                        best, arg = value, s
                new.append(best + emit[t])
                pointers.append(arg)
            score = new
            back.append(pointers)
        previous = i

    path = [0] * len(speech)
    if speech:
        path[-1] = max(range(n), key=lambda s: score[s])
        for k in range(len(speech) - 1, 0, -1):
            path[k - 1] = back[k][path[k]]
    # A non-speech piece joins the speaker before it (the one after, at the very start).
    chosen = [-1] * len(pieces)
    for i, s in zip(speech, path, strict=True):
        chosen[i] = s
    for i in range(len(pieces)):
        if chosen[i] < 0 and i > 0:
            chosen[i] = chosen[i - 1]
    for i in range(len(pieces) - 1, -1, -1):
        if chosen[i] < 0:
            chosen[i] = chosen[i + 1] if i + 1 < len(pieces) else 0
    return chosen
