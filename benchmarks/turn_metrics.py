"""Measures of a speaker-turn split against the truth, word by word (used by quality_*.py).

Both sides are a speaker label per word of the same word sequence. A turn boundary is a word
where the label differs from the word before. Boundaries match one-to-one when they lie
within `tolerance` words of each other. The word-level speaker error is the share of words
whose predicted label, mapped to a true speaker, is wrong; the mapping is either
one-to-one (each predicted label its own true speaker, the best such assignment) or
many-to-one (each predicted label to the true speaker it overlaps most).
"""

from __future__ import annotations

import itertools
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass


def changes(labels: Sequence[str]) -> list[int]:
    return [i for i in range(1, len(labels)) if labels[i] != labels[i - 1]]


@dataclass
class Boundaries:
    predicted: int
    true: int
    matched: int

    @property
    def precision(self) -> float:
        return self.matched / self.predicted if self.predicted else 1.0 if not self.true else 0.0

    @property
    def recall(self) -> float:
        return self.matched / self.true if self.true else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


def boundaries(predicted: Sequence[str], true: Sequence[str], tolerance: int) -> Boundaries:
    """Turn-boundary matches within `tolerance` words (greedy, nearest first, one-to-one)."""
    pred, gold = changes(predicted), changes(true)
    used: set[int] = set()
    matched = 0
    j = 0
    for g in gold:
        while j < len(pred) and pred[j] < g - tolerance:
            j += 1
        best = None
        for k in range(j, len(pred)):
            if pred[k] > g + tolerance:
                break
            if k not in used and (best is None or abs(pred[k] - g) < abs(pred[best] - g)):
                best = k
        if best is not None:
            used.add(best)
            matched += 1
    return Boundaries(len(pred), len(gold), matched)


def speaker_error(predicted: Sequence[str], true: Sequence[str], many_to_one: bool) -> float:
    """Share of words attributed to the wrong speaker after the best mapping of labels."""
    if not true:
        return 0.0
    counts = Counter(zip(predicted, true, strict=True))
    pred_labels = sorted(set(predicted))
    true_labels = sorted(set(true))
    if many_to_one:
        correct = sum(max(counts[(p, t)] for t in true_labels) for p in pred_labels)
    else:
        correct = 0
        k = min(len(pred_labels), len(true_labels))
        for chosen in itertools.combinations(pred_labels, k):
            for target in itertools.permutations(true_labels, k):
                correct = max(correct, sum(counts[(p, t)] for p, t in zip(chosen, target, strict=True)))
    return 1 - correct / len(true)


def best_mapping(predicted: Sequence[str], true: Sequence[str]) -> dict[str, str]:
    """Each predicted label's true label under the best one-to-one mapping (by words)."""
    counts = Counter(zip(predicted, true, strict=True))
    pred_labels, true_labels = sorted(set(predicted)), sorted(set(true))
    k = min(len(pred_labels), len(true_labels))
    best: dict[str, str] = {}
    best_right = -1
    for chosen in itertools.combinations(pred_labels, k):
        for target in itertools.permutations(true_labels, k):
            right = sum(counts[(p, t)] for p, t in zip(chosen, target, strict=True))
            if right > best_right:
                best, best_right = dict(zip(chosen, target, strict=True)), right
    return best


_QUESTION = re.compile(r"\?[\"'”’)\]]*$")


def question_baseline(words: Sequence[str]) -> list[str]:
    """The trivial split: the voice changes after every sentence that ends with '?'."""
    labels, current = [], "A"
    for word in words:
        labels.append(current)
        if _QUESTION.search(word):
            current = "B" if current == "A" else "A"
    return labels


def one_speaker(words: Sequence[str]) -> list[str]:
    return ["A"] * len(words)


def sides(words: Sequence[str], true: Sequence[str]) -> list[str]:
    """The truth folded into two parties: a speaker is on the asking side when more of their
    words end a question than of the transcript as a whole, else on the answering side."""
    asked: Counter[str] = Counter()
    said: Counter[str] = Counter()
    for word, speaker in zip(words, true, strict=True):
        said[speaker] += 1
        asked[speaker] += bool(_QUESTION.search(word))
    rate = sum(asked.values()) / max(len(true), 1)
    askers = {speaker for speaker in said if asked[speaker] > rate * said[speaker]}
    return ["asks" if speaker in askers else "answers" for speaker in true]


def report(predicted: Sequence[str], true: Sequence[str], words: Sequence[str] | None = None) -> dict[str, float]:
    """The figures printed for one transcript.

    `errRole` is the one-to-one error against the truth folded into two roles: whoever speaks
    first (the host, in a podcast) and everyone else. With `words`, `F1side` and `role` are
    the boundary F1 and the share of words right against the two sides (see `sides`): the
    two-party view of a transcript, which is what a two-role split can get.
    """
    near, exact = boundaries(predicted, true, 3), boundaries(predicted, true, 0)
    two = sides(words, true) if words is not None else list(true)
    side = boundaries(predicted, two, 3)
    roles = ["host" if label == true[0] else "other" for label in true] if true else []
    return {
        "P@3": near.precision,
        "R@3": near.recall,
        "F1@3": near.f1,
        "F1@0": exact.f1,
        "F1side": side.f1,
        "role": 1 - speaker_error(predicted, two, many_to_one=False),
        "err1:1": speaker_error(predicted, true, many_to_one=False),
        "errN:1": speaker_error(predicted, true, many_to_one=True),
        "errRole": speaker_error(predicted, roles, many_to_one=False),
        "turns": float(len(changes(predicted)) + 1),
        "true_turns": float(len(changes(true)) + 1),
    }
