"""Checks of agent cards against the workspace: what TOML validation cannot know.

Schema errors (an unknown key, a missing or wrongly typed field) stop `config.load`; what
depends on the imported sources (a `speaks_as` name nobody in the sources has, a source
pattern that matches nothing) is only a warning: the sources may simply not be added yet.
So is an avoided topic that is matched by its name alone (no examples); how far each
topic reaches into the sources is rails/reach.py's to tell.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from onrecord.config import AgentCard
from onrecord.index.scope import agent_sources
from onrecord.store import SourceSummary


@dataclass(slots=True)
class CardReport:
    """One agent's sources and speakers as the workspace has them, and its warnings."""

    name: str
    card: AgentCard
    sources: list[str]
    warnings: list[str]


def check(name: str, card: AgentCard, sources: Sequence[SourceSummary]) -> CardReport:
    """What `card` draws on in `sources`, and a warning per pattern or name that finds nothing."""
    warnings = []
    chosen = agent_sources(card.sources, sources)
    for pattern in card.sources:
        if not agent_sources([pattern], sources):
            warnings.append(f"agents.{name}.sources: {pattern!r} matches no source")
    speakers = {speaker.casefold() for s in sources if s.id in chosen for speaker in s.speakers}
    for person in card.speaks_as:
        if person.casefold() not in speakers:
            warnings.append(f"agents.{name}.speaks_as: no source of this agent has a speaker named {person!r}")
    for i, topic in enumerate(card.avoid):
        where = f"agents.{name}.avoid[{i}] ({topic.topic!r})"
        if not topic.examples:
            warnings.append(f"{where}: no examples; a topic is recognised best with a few questions that ask about it")
    return CardReport(name, card, sorted(chosen), warnings)
