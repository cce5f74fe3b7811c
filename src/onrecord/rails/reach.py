"""Rails, what an owner sees before publishing: the passages each avoided topic keeps out of answers.

`reach(agent)` runs the avoided-topic rail (avoid.py) over every passage of the agent's
sources, as answering would, and reports per topic the passages it keeps out (nearest
first) and their share of the agent's passages. A topic that keeps out more than BROAD of
them is flagged: it would leave the agent little to say.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from onrecord.model import Passage

if TYPE_CHECKING:
    from onrecord.answer.agent import Agent

# A topic that keeps out more than this share of the agent's passages is too broad.
BROAD = 0.5


@dataclass(slots=True)
class KeptOut:
    """One passage an avoided topic keeps out, who said it, and how near the topic it is."""

    passage: Passage
    speaker: str
    source_title: str
    score: float


@dataclass(slots=True)
class TopicReach:
    """An avoided topic's reach over the agent's passages (`total` of them)."""

    topic: str
    total: int
    passages: list[KeptOut] = field(default_factory=list)

    @property
    def share(self) -> float:
        return len(self.passages) / self.total if self.total else 0.0

    @property
    def too_broad(self) -> bool:
        return self.share > BROAD


def reach(agent: Agent) -> list[TopicReach]:
    """For each of `agent`'s avoided topics, the passages of its sources it keeps out of answers."""
    import numpy as np

    workspace = agent.workspace
    searcher = workspace.searcher
    ids, matrix = workspace.store.embeddings(searcher.key)
    allowed = workspace.store.scope_ids(agent.scope) if agent.scope is not None else None
    rows = [i for i, pid in enumerate(ids) if allowed is None or pid in allowed]
    topics = [TopicReach(topic.topic, len(rows)) for topic in agent.card.avoid]
    if not topics or not rows:
        return topics
    matches = agent.guard.keeps_out(np.asarray(matrix, dtype=np.float32)[rows])
    kept = [(ids[row], match) for row, match in zip(rows, matches, strict=True) if match is not None]
    passages = {p.id: p for p in workspace.store.passages([pid for pid, _ in kept])}
    titles = {s.id: s.title for s in workspace.store.sources()}
    for pid, match in kept:
        passage = passages[pid]
        topics[match.topic].passages.append(
            KeptOut(passage, agent.speaker(passage), titles.get(passage.source_id, passage.source_id), match.score)
        )
    for topic in topics:
        topic.passages.sort(key=lambda kept_out: -kept_out.score)
    return topics
