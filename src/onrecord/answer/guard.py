"""Boundaries, decided in code before retrieval: what the agent will not answer, and how.

`Guard.screen` returns a `Verdict` for a question the agent must not answer from its
sources (a request to subvert the agent, dangerous help, an avoided topic, a question
about what it is), or None when the question may go on to retrieval.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from onrecord.answer.result import Status
from onrecord.config import AgentCard

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt

Embed = Callable[[Sequence[str]], "npt.NDArray[np.float32]"]

REFUSAL = "I can't help with that."
# Cosine similarity to an avoided topic (or one of its examples) that counts as on it.
AVOID_SIMILARITY = 0.6

_SUBVERT = re.compile(
    r"\b(?:ignore|disregard|forget)\b.{0,40}\b(?:instructions|rules|prompt|card|guidelines)\b"
    r"|\bsystem prompt\b|\byour (?:instructions|configuration|config|card)\b",
    re.IGNORECASE | re.DOTALL,
)
_WHAT_ARE_YOU = re.compile(
    r"\bare you (?:a |an |the )?(?:real|human|person|bot|robot|ai|machine|actually|really)\b"
    r"|\bam i (?:talking|speaking|chatting) (?:to|with)\b",
    re.IGNORECASE,
)


@dataclass(slots=True)
class Verdict:
    """What to say instead of answering from the sources, and why."""

    status: Status
    answer: str
    reason: str
    topic: str | None = None


class Guard:
    """The boundaries of one agent card."""

    def __init__(self, card: AgentCard, embed: Embed) -> None:
        self.card = card
        self.embed = embed

    def screen(self, question: str) -> Verdict | None:
        if _SUBVERT.search(question):
            return Verdict("refused", REFUSAL, "an attempt to change or reveal the agent's instructions")
        if _WHAT_ARE_YOU.search(question):
            return Verdict("answered", self.card.disclosure, "asked what the agent is")
        return self._avoided(question)

    def _avoided(self, question: str) -> Verdict | None:
        if not self.card.avoid:
            return None
        phrasings = [(i, text) for i, topic in enumerate(self.card.avoid) for text in [topic.topic, *topic.examples]]
        vectors = self.embed([question, *(text for _, text in phrasings)])
        similarity = vectors[1:] @ vectors[0]
        best = int(similarity.argmax())
        if float(similarity[best]) < AVOID_SIMILARITY:
            return None
        topic = self.card.avoid[phrasings[best][0]]
        return Verdict("deflected", topic.reply, f"an avoided topic: {topic.topic}", topic.topic)
