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
it, and its examples). A question near enough to a reading is on the topic unless the
agent's own archive holds a clearly closer reading of it: the archive is what the agent is
for, so a question it answers well ("how much is Meta investing in AI?") is not taken for
a neighbouring avoided one ("how much is Meta paying you?") on a small margin.
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
# The best cosine similarity between a question vector and the agent's own passages.
Archive = Callable[["npt.NDArray[np.float32]"], float]

REFUSAL = "I can't help with that."
SELF_HARM = (
    "I can't help with that. If you are thinking about hurting yourself, please talk to someone you trust "
    "or call your local emergency number or a crisis line now."
)
# A question this similar to a reading of an avoided topic is on it, whatever the archive holds.
AVOID_CERTAIN = 0.65
# Below this it is never on the topic.
AVOID_FLOOR = 0.38
# With no archive to compare with, the similarity that counts as on the topic.
AVOID_ALONE = 0.45
# Between the two, it is on the topic unless the archive's best passage is more similar by
# more than this (question-to-passage similarities run lower than question-to-question ones).
ARCHIVE_MARGIN = 0.10
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

    def __init__(self, card: AgentCard, embed: Embed, archive: Archive | None = None) -> None:
        self.card = card
        self.embed = embed
        self.archive = archive
        self.safety = Safety(embed)
        self._readings: npt.NDArray[np.float32] | None = None
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

    def _topic_readings(self) -> npt.NDArray[np.float32]:
        if self._readings is None:
            texts: list[str] = []
            for i, topic in enumerate(self.card.avoid):
                phrasings = [topic.topic, *(form.format(topic.topic) for form in READINGS), *topic.examples]
                texts.extend(phrasings)
                self._topic_of.extend([i] * len(phrasings))
            self._readings = self.embed(texts)
        return self._readings

    def avoided(self, question: str, vector: npt.NDArray[np.float32]) -> Verdict | None:
        """The deflection for an avoided topic `question` (embedded as `vector`) is on, or None."""
        if not self.card.avoid:
            return None
        similarity = self._topic_readings() @ vector
        best = int(similarity.argmax())
        score = float(similarity[best])
        if score < AVOID_FLOOR:
            return None
        if score < AVOID_CERTAIN:
            if self.archive is None and score < AVOID_ALONE:
                return None
            if self.archive is not None and self.archive(vector) > score + ARCHIVE_MARGIN:
                return None
        topic = self.card.avoid[self._topic_of[best]]
        return Verdict("deflected", topic.reply, f"an avoided topic: {topic.topic} ({score:.2f})", topic.topic)
