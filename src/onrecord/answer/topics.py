"""A card's `topics`: the only subjects an agent talks about, kept to after retrieval.

A question rarely names its subject the way a card does ("When will the bigger model be
ready?" is about AI models without saying so), so the question alone cannot decide. What is
quoted can: a passage is on a topic when its vector is near one of the topic's readings
(its words and two question forms of them). A question that is itself clearly on a topic
may be answered from any passage it finds; otherwise only passages on a topic are quoted,
so an off-topic question finds nothing to quote and gets the no-answer message, and the
archive's off-topic moments (small talk, asides) are never quoted.

The two bars were set on the seeds (docs/quality.md): seed 000 with four AI topics keeps
answering its AI questions, and seed 003 held to AI topics answers its AI questions but
not those on glasses, VR or friendship, which its archive covers too.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from onrecord.rails.avoid import READINGS

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt

Embed = Callable[[Sequence[str]], "npt.NDArray[np.float32]"]

# A question at least this near a topic reading is on the topic, whatever it finds.
QUESTION_ON_TOPIC = 0.40
# A passage at least this near a topic reading may be quoted.
PASSAGE_ON_TOPIC = 0.35


class Topics:
    """The topics of one card; their readings are embedded once, on first use."""

    def __init__(self, topics: Sequence[str], embed: Embed) -> None:
        self.topics = list(topics)
        self.embed = embed
        self._readings: npt.NDArray[np.float32] | None = None

    def _nearness(self, vectors: npt.NDArray[np.float32]) -> npt.NDArray[np.float32]:
        """Each vector's similarity to the nearest topic reading."""
        if self._readings is None:
            texts = [text for topic in self.topics for text in (topic, *(form.format(topic) for form in READINGS))]
            self._readings = self.embed(texts)
        nearness: npt.NDArray[np.float32] = (vectors @ self._readings.T).max(axis=1)
        return nearness

    def allows_any(self, question: npt.NDArray[np.float32]) -> bool:
        """Whether the question is clearly on a topic (and so may be answered from anything)."""
        return not self.topics or bool(self._nearness(question[None, :])[0] >= QUESTION_ON_TOPIC)

    def on_topic(self, passages: npt.NDArray[np.float32]) -> list[bool]:
        """For each passage vector, whether the passage is on a topic."""
        if not self.topics:
            return [True] * len(passages)
        return [bool(x) for x in self._nearness(passages) >= PASSAGE_ON_TOPIC]
