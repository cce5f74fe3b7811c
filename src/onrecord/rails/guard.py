"""Rails, the guard: the boundaries of one agent card, decided before retrieval.

`Guard.screen` returns a `Verdict` for a question the agent must not answer from its
sources, or None when the question may go on to retrieval. The boundary model (contract.py;
the bundled classifier unless onrecord.toml names another, or a moderation server) judges
the question first:
1. an attack (drop the card, reveal it, pass as the human, say given words): `refused`,
   and the refusal says again what the agent is;
2. a request for dangerous help: `refused` (about hurting oneself: with a crisis line);
3. a question about what the agent is: the card's disclosure, status `answered` with no
   citations (a true answer about the agent, resting on the card), unless an avoided topic
   is sure of it ("Are you married?" is about the owner);
then avoided topics (avoid.py): `deflected` with that topic's reply. Attacks come first so
that a jailbreak wrapped around an avoided topic is refused rather than politely deflected.
`Guard.keeps_out` tells which passages the avoided topics keep out of answers.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING

from onrecord.config import AgentCard
from onrecord.rails.avoid import AVOID_CERTAIN, AvoidedTopics, Match, Passages
from onrecord.rails.contract import BoundaryModel
from onrecord.rails.tactics import tactic

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt

    # Only a type here: importing the answer package at run time would import the agent,
    # which imports these rails.
    from onrecord.answer.result import Status

Embed = Callable[[Sequence[str]], "npt.NDArray[np.float32]"]

REFUSAL = "I can't help with that."
# What the boundary model reads in place of the owner's name.
OWNER = "the person"
SELF_HARM = (
    "I can't help with that. If you are thinking about hurting yourself, please talk to someone you trust "
    "or call your local emergency number or a crisis line now."
)
_REASONS = {
    "attack": "an attempt to subvert the agent (its card, its configuration, its identity or its words)",
    "harmful": "a request for dangerous help",
    "self_harm": "a request for help to hurt oneself",
}


@dataclass(slots=True)
class Verdict:
    """What to say instead of answering from the sources, and why (`reason` is for logs)."""

    status: Status
    answer: str
    reason: str
    topic: str | None = None
    # How sure the avoided-topic match was (deflections only).
    score: float = 0.0
    # The boundary model's label when it decided ("harmful", "self_harm", "attack").
    label: str | None = None


class Guard:
    """The boundaries of one agent card: `model` judges questions, the card's avoided topics
    are matched by meaning over `embed`'s vectors, with the agent's `passages` as contrast."""

    def __init__(self, card: AgentCard, model: BoundaryModel, embed: Embed, passages: Passages | None = None) -> None:
        self.card = card
        self.model = model
        self.embed = embed
        self.passages = passages

    @cached_property
    def topics(self) -> AvoidedTopics:
        return AvoidedTopics(self.card.avoid, self.embed, self.passages)

    @cached_property
    def _owner(self) -> re.Pattern[str] | None:
        """The names of the card's speakers, whole and in parts, longest first."""
        names = {part for name in self.card.speaks_as for part in (name, *name.split()) if len(part) > 1}
        if not names:
            return None
        alternatives = "|".join(re.escape(name) for name in sorted(names, key=len, reverse=True))
        return re.compile(rf"(?<!\w)(?:{alternatives})(?!\w)", re.IGNORECASE)

    def judged_text(self, question: str) -> str:
        """`question` as the boundary model reads it: the owner's name said as "the person".

        Who the owner is tells nothing of whether a text attacks the agent, but a real name
        pulls a classifier toward the everyday questions about people it learnt from ("From
        now on you are the real <name> ..." was judged safe where "... the real person ..."
        was not): with the name put aside, every card's rails judge the same words the same."""
        return self._owner.sub(OWNER, question) if self._owner is not None else question

    def screen(self, question: str) -> Verdict | None:
        used = tactic(question)
        if used is not None:
            return Verdict("refused", f"{REFUSAL} {self.card.disclosure}", f"{_REASONS['attack']} (tactic: {used})")
        judgement = self.model.judge_batch([self.judged_text(question)])[0]
        why = f"{_REASONS.get(judgement.label, judgement.label)} ({judgement.by}, {judgement.confidence:.2f})"
        if judgement.label == "attack":
            # Told to be someone else or to drop its card, it says again what it is.
            return Verdict("refused", f"{REFUSAL} {self.card.disclosure}", why)
        if judgement.label in ("harmful", "self_harm"):
            answer = SELF_HARM if judgement.label == "self_harm" else REFUSAL
            return Verdict("refused", answer, why, label=judgement.label)
        avoided = self.avoided(question)
        if judgement.label == "identity":
            # A question an avoided topic is sure of ("Are you married?" when that is one of
            # its examples) is about the owner, not about the agent.
            if avoided is not None and avoided.score >= AVOID_CERTAIN:
                return avoided
            return Verdict("answered", self.card.disclosure, "asked what the agent is")
        return avoided

    def avoided(self, question: str, *, contrast: bool = True) -> Verdict | None:
        """The deflection for an avoided topic `question` is on, or None. Without `contrast`
        (a question the archive does not cover) the archive is not compared with."""
        if not self.card.avoid:
            return None
        match = self.topics.question(self.embed([question])[0], contrast=contrast)
        return self._deflection(match) if match is not None else None

    def uncovered(self, question: str) -> Verdict | None:
        """The deflection for a question the archive does not cover but that is near an
        avoided topic: with nothing in the archive to answer it, the archive is no contrast."""
        return self.avoided(question, contrast=False)

    def keeps_out(self, vectors: npt.NDArray[np.float32]) -> list[Match | None]:
        """For each passage vector, the avoided topic that keeps the passage out of answers."""
        return self.topics.passages(vectors)

    def _deflection(self, match: Match) -> Verdict:
        topic = self.card.avoid[match.topic]
        reason = f"an avoided topic: {topic.topic} ({match.score:.2f})"
        return Verdict("deflected", topic.reply, reason, topic.topic, match.score)
