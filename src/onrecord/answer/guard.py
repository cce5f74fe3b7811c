"""Boundaries, decided in code before retrieval: what the agent will not answer, and how.

`Guard.screen` returns a `Verdict` for a question the agent must not answer from its
sources, or None when the question may go on to retrieval. In order:
1. an attempt to subvert the agent (attacks.py): `refused`; told to pass as the human or to
   drop its card, the refusal carries the card's disclosure;
2. a request for dangerous help (safety.py): `refused`;
3. a question about what the agent is: the card's disclosure, status `answered` with no
   citations (it is a true answer about the agent, not a refusal, and it rests on the card);
4. an avoided topic, matched by meaning: `deflected` with that topic's reply.

Avoided topics are matched against readings of each topic (its words, two question forms of
it, and its examples). A question near enough to a reading is on the topic only when it is
clearly nearer to it than to the agent's own archive: the archive is what the agent is for,
so a question it answers ("what is Meta building?") is not taken for a neighbouring avoided
one ("why did Meta cut jobs?"). Both comparisons are made with the archive's mean direction
projected out of every vector: what all of an owner's passages share (their company, their
trade) says nothing about which topic a question is on.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from onrecord.answer import attacks
from onrecord.answer.result import Status
from onrecord.answer.safety import Safety
from onrecord.config import AgentCard

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt

Embed = Callable[[Sequence[str]], "npt.NDArray[np.float32]"]
# The vectors of the agent's own passages (unit rows), loaded when first needed.
Passages = Callable[[], "npt.NDArray[np.float32]"]

REFUSAL = "I can't help with that."
SELF_HARM = (
    "I can't help with that. If you are thinking about hurting yourself, please talk to someone you trust "
    "or call your local emergency number or a crisis line now."
)
# A question this similar to a reading of an avoided topic is on it, whatever the archive holds.
AVOID_CERTAIN = 0.65
# Below this it is never on the topic.
AVOID_FLOOR = 0.40
# Between the two, it is on the topic only when it is closer to the topic than to anything
# the archive holds by this much.
ARCHIVE_MARGIN = 0.06
# With no archive to compare with, the similarity that counts as on the topic.
AVOID_ALONE = 0.45
# Question forms of a topic, so that a bare noun phrase compares like a question.
READINGS = ("What do you think about {}?", "Can you tell me about {}?")

_REASONS = {
    "override": "an attempt to change the agent's instructions",
    "extraction": "an attempt to reveal the agent's card, configuration or secrets",
    "impersonation": "an attempt to make the agent pass as the human",
    "script": "an attempt to put words in the owner's mouth",
}


@dataclass(slots=True)
class Verdict:
    """What to say instead of answering from the sources, and why (`reason` is for logs)."""

    status: Status
    answer: str
    reason: str
    topic: str | None = None


class Guard:
    """The boundaries of one agent card; the card's vectors are embedded once, on first use."""

    def __init__(self, card: AgentCard, embed: Embed, passages: Passages | None = None) -> None:
        self.card = card
        self.embed = embed
        self.passages = passages
        self.safety = Safety(embed)
        self._readings: npt.NDArray[np.float32] | None = None
        self._archive: npt.NDArray[np.float32] | None = None
        self._common: npt.NDArray[np.float32] | None = None
        self._topic_of: list[int] = []

    def screen(self, question: str) -> Verdict | None:
        tactic = attacks.attack(question)
        if tactic in ("impersonation", "override"):
            # Told to be someone else or to drop its card, it says again what it is.
            return Verdict("refused", f"{REFUSAL} {self.card.disclosure}", _REASONS[tactic])
        if tactic is not None:
            return Verdict("refused", REFUSAL, _REASONS[tactic])
        vector = self.embed([question])[0]
        danger = self.safety.danger(question, vector)
        if danger is not None:
            reply = SELF_HARM if danger.category == "self-harm" else REFUSAL
            return Verdict("refused", reply, f"a dangerous request ({danger.category}, by {danger.how})")
        if attacks.asks_what_it_is(question):
            return Verdict("answered", self.card.disclosure, "asked what the agent is")
        return self.avoided(question, vector)

    def _prepare(self) -> None:
        """Embed the readings once; with an archive, take its mean direction out of everything."""
        import numpy as np

        texts: list[str] = []
        for i, topic in enumerate(self.card.avoid):
            phrasings = [topic.topic, *(form.format(topic.topic) for form in READINGS), *topic.examples]
            texts.extend(phrasings)
            self._topic_of.extend([i] * len(phrasings))
        readings = self.embed(texts)
        archive = self.passages() if self.passages is not None else None
        if archive is not None and len(archive):
            mean = archive.mean(axis=0)
            self._common = (mean / np.linalg.norm(mean)).astype(np.float32)
            self._archive = self._specific(archive)
            readings = self._specific(readings)
        self._readings = readings

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

    def uncovered(self, question: str) -> Verdict | None:
        """The deflection for a question the archive does not cover but that is near an
        avoided topic: with nothing in the archive to answer it, the archive is no contrast,
        and the bar is the one for an agent without an archive."""
        return self.avoided(question, self.embed([question])[0], contrast=False)

    def avoided(self, question: str, vector: npt.NDArray[np.float32], *, contrast: bool = True) -> Verdict | None:
        """The deflection for an avoided topic `question` (embedded as `vector`) is on, or None."""
        if not self.card.avoid:
            return None
        if self._readings is None:
            self._prepare()
        assert self._readings is not None
        vector = self._specific(vector[None, :])[0]
        similarity = self._readings @ vector
        best = int(similarity.argmax())
        score = float(similarity[best])
        if score < AVOID_FLOOR:
            return None
        if score < AVOID_CERTAIN:
            archive = self._archive if contrast else None
            if archive is None and score < AVOID_ALONE:
                return None
            if archive is not None and float((archive @ vector).max()) + ARCHIVE_MARGIN > score:
                return None
        topic = self.card.avoid[self._topic_of[best]]
        return Verdict("deflected", topic.reply, f"an avoided topic: {topic.topic} ({score:.2f})", topic.topic)
