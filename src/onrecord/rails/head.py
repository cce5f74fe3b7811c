"""Rails, the bundled classifier's arithmetic: a question's vector and words in, label probabilities out.

The head reads a question two ways and adds up what each says (logits): a small network
over the bundled encoder's sentence vector (meaning), and a linear layer over its hashed
word pairs and character runs (wording: "kill a process" is not "kill a person", which
a sentence vector of 384 numbers blurs). Both are learned from data: no word list is
written by hand. The arrays ship as numpy files; training/rails/train.py fits them, and
both sides compute probabilities here, so what was measured is what runs.
"""

from __future__ import annotations

import itertools
import re
import zlib
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt

# What a boundary judgement can say about a question, in the order of the head's outputs.
LABELS = ("safe", "harmful", "self_harm", "attack", "identity")
# The labels that make the agent refuse.
UNSAFE = ("harmful", "self_harm", "attack")
# A text is read in windows of this many words (the encoder cuts at 256 tokens, about 190
# words of English), each starting this many words after the one before.
WINDOW_WORDS = 160
WINDOW_STEP = 120
# ... and, when it is longer than one window, in short windows too.
SHORT_WORDS = 30
SHORT_STEP = 20
# Hashed features: word pairs and character runs land in this many buckets.
BUCKETS = 1 << 15
# Characters per run inside a word (a run of Chinese or Japanese is a word to \w+).
CHARS = 4
_WORD = re.compile(r"\w+")


def features(text: str) -> tuple[list[int], list[float]]:
    """The hashed features of `text` (words, word pairs, character runs) and their weights,
    each 1/sqrt(count) so that no single repeated word decides."""
    words = _WORD.findall(text.casefold())
    grams = [f"w {w}" for w in words]
    grams += [f"p {a} {b}" for a, b in itertools.pairwise(words)]
    for w in words:
        padded = f"<{w}>"
        grams += [f"c {padded[i : i + CHARS]}" for i in range(max(1, len(padded) - CHARS + 1))]
    counts: dict[int, int] = {}
    for gram in grams:
        bucket = zlib.crc32(gram.encode()) % BUCKETS
        counts[bucket] = counts.get(bucket, 0) + 1
    ids = list(counts)
    norm = sum(counts.values()) ** 0.5 or 1.0
    return ids, [counts[i] / norm for i in ids]


@dataclass(slots=True)
class Head:
    """Layers over the sentence vector as (weights, bias) pairs, ReLU between them; `words`
    (BUCKETS x labels) over the hashed features; the summed logits are divided by `temperature`."""

    layers: list[tuple[npt.NDArray[np.float32], npt.NDArray[np.float32]]]
    words: npt.NDArray[np.float32]
    temperature: float

    def probabilities(self, vectors: npt.NDArray[np.float32], texts: list[str]) -> npt.NDArray[np.float32]:
        """One row of label probabilities (in LABELS order) per text, embedded as `vectors`."""
        import numpy as np

        x = vectors
        for i, (weights, bias) in enumerate(self.layers):
            x = x @ weights + bias
            if i < len(self.layers) - 1:
                x = np.maximum(x, 0)
        for row, text in enumerate(texts):
            ids, counts = features(text)
            x[row] += np.asarray(counts, dtype=np.float32) @ self.words[ids]
        logits = x / self.temperature
        logits = logits - logits.max(axis=1, keepdims=True)
        exp = np.exp(logits)
        probabilities: npt.NDArray[np.float32] = (exp / exp.sum(axis=1, keepdims=True)).astype(np.float32)
        return probabilities


def windows(text: str) -> list[str]:
    """`text` in overlapping windows of words; a short text is one window, itself.

    A long text is also read in short windows (about a sentence or two), so that one
    instruction hidden in a long paste is not averaged away by the words around it."""
    words = text.split()
    if len(words) <= WINDOW_WORDS:
        return [text]
    parts = []
    for size, step in ((WINDOW_WORDS, WINDOW_STEP), (SHORT_WORDS, SHORT_STEP)):
        starts = range(0, len(words) - size + step, step)
        parts += [" ".join(words[start : start + size]) for start in starts]
    return parts


def combine(rows: npt.NDArray[np.float32]) -> npt.NDArray[np.float32]:
    """One text's probabilities from those of its windows: the window most likely to be
    unsafe speaks for the text (an instruction hidden in a long paste is in one window)."""
    unsafe = rows[:, [LABELS.index(label) for label in UNSAFE]].sum(axis=1)
    chosen: npt.NDArray[np.float32] = rows[int(unsafe.argmax())]
    return chosen
