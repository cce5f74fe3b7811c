"""Rails, avoided topics by meaning: which avoided topic a question, or a passage, is on.

Each topic is read several ways (its words, two question forms of it, its examples),
embedded once per agent. What all of the archive's passages share (the owner's company,
their trade) says nothing about which topic a text is on, so the archive's mean direction
is taken out of every vector first.

A question near enough to a reading is on the topic only when it is clearly nearer to it
than to the agent's archive (less the passages the topics keep out): a question the archive
answers ("what is Meta building?") is not taken for a neighbouring avoided one ("why did
Meta cut jobs?"). A passage is kept out of answers when its vector (as embedded, not
projected) is nearer a topic's readings than PASSAGE_BAR: what the owner said about an
avoided topic is not quoted, whatever was asked. The bars were set on our own development
questions (benchmarks/questions/avoid_dev.jsonl, docs/quality.md).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from onrecord.config import AvoidTopic

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt

Embed = Callable[[Sequence[str]], "npt.NDArray[np.float32]"]
# The vectors of the agent's own passages (unit rows), loaded when first needed.
Passages = Callable[[], "npt.NDArray[np.float32]"]

# A question this similar to a reading of an avoided topic is on it, whatever the archive holds.
AVOID_CERTAIN = 0.65
# Below this it is never on the topic.
AVOID_FLOOR = 0.40
# Between the two, it is on the topic only when it is closer to the topic than to anything
# the archive holds by this much.
ARCHIVE_MARGIN = 0.06
# With no archive to compare with, the similarity that counts as on the topic.
AVOID_ALONE = 0.45
# For a question the archive does not cover: its only other answer is the no-answer message,
# so a nearer miss is better deflected.
AVOID_UNCOVERED = 0.35
# A passage this similar to a reading of an avoided topic is kept out of answers.
PASSAGE_BAR = 0.60
# Question forms of a topic, so that a bare noun phrase compares like a question.
READINGS = ("What do you think about {}?", "Can you tell me about {}?")


@dataclass(slots=True, frozen=True)
class Match:
    """The avoided topic a text is on (its index in the card's list) and how near it is."""

    topic: int
    score: float


class AvoidedTopics:
    """The avoided topics of one card; the readings (and the archive) are embedded once, on first use."""

    def __init__(self, topics: Sequence[AvoidTopic], embed: Embed, archive: Passages | None = None) -> None:
        self.topics = list(topics)
        self.embed = embed
        self.archive = archive
        self._readings: npt.NDArray[np.float32] | None = None
        self._contrast: npt.NDArray[np.float32] | None = None
        self._common: npt.NDArray[np.float32] | None = None
        self._topic_of: list[int] = []
        self._raw: npt.NDArray[np.float32] | None = None

    def _prepare(self) -> npt.NDArray[np.float32]:
        """Embed the readings once; with an archive, take its mean direction out of everything."""
        import numpy as np

        if self._readings is not None:
            return self._readings
        texts: list[str] = []
        for i, topic in enumerate(self.topics):
            phrasings = [topic.topic, *(form.format(topic.topic) for form in READINGS), *topic.examples]
            texts.extend(phrasings)
            self._topic_of.extend([i] * len(phrasings))
        readings = raw_readings = self.embed(texts)
        archive = self.archive() if self.archive is not None else None
        if archive is not None and len(archive):
            raw_archive = archive
            mean = archive.mean(axis=0)
            self._common = (mean / np.linalg.norm(mean)).astype(np.float32)
            readings = self._specific(readings)
            archive = self._specific(archive)
            # What the topics keep out is no contrast: the agent will not answer from it.
            kept = [match is None for match in self._kept_out(raw_archive, raw_readings)]
            self._contrast = archive[kept] if any(kept) else None
        self._raw = raw_readings
        self._readings = readings
        return readings

    def _specific(self, vectors: npt.NDArray[np.float32]) -> npt.NDArray[np.float32]:
        """`vectors` less their component along the archive's mean direction, at unit length."""
        import numpy as np

        if self._common is None:
            return vectors
        rest = vectors - np.outer(vectors @ self._common, self._common)
        unit: npt.NDArray[np.float32] = (rest / np.maximum(np.linalg.norm(rest, axis=-1, keepdims=True), 1e-6)).astype(
            np.float32
        )
        return unit

    def question(self, vector: npt.NDArray[np.float32], *, contrast: bool = True) -> Match | None:
        """The avoided topic a question (embedded as `vector`) is on, or None. Without
        `contrast` the archive is not compared with (for a question it does not cover)."""
        if not self.topics:
            return None
        readings = self._prepare()
        vector = self._specific(vector[None, :])[0]
        similarity = readings @ vector
        best = int(similarity.argmax())
        score = float(similarity[best])
        if not contrast:
            return Match(self._topic_of[best], score) if score >= AVOID_UNCOVERED else None
        if score < AVOID_FLOOR:
            return None
        if score < AVOID_CERTAIN:
            archive = self._contrast
            if archive is None and score < AVOID_ALONE:
                return None
            if archive is not None and float((archive @ vector).max()) + ARCHIVE_MARGIN > score:
                return None
        return Match(self._topic_of[best], score)

    def passages(self, vectors: npt.NDArray[np.float32]) -> list[Match | None]:
        """For each passage vector, the avoided topic that keeps it out of answers, or None."""
        if not self.topics or not len(vectors):
            return [None] * len(vectors)
        self._prepare()
        assert self._raw is not None
        return self._kept_out(vectors, self._raw)

    def _kept_out(self, vectors: npt.NDArray[np.float32], readings: npt.NDArray[np.float32]) -> list[Match | None]:
        """Passages against the readings as embedded: a passage is a statement, not a question,
        and the archive's own mean says most about a small archive's passages."""
        similarity = vectors @ readings.T
        best = similarity.argmax(axis=1)
        return [
            Match(self._topic_of[int(b)], float(row[b])) if row[b] >= PASSAGE_BAR else None
            for row, b in zip(similarity, best, strict=True)
        ]
