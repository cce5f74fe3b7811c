"""Checks of agent cards against the workspace: what TOML validation cannot know.

Schema errors (an unknown key, a missing or wrongly typed field) stop `config.load`. What
depends on the imported sources: a `speaks_as` name that no speaker of the agent's sources
has is an error (every answer would quote someone else, or no one); a source pattern that
matches nothing is a warning (the sources may simply not be added yet), and so is an owner
whose words are under a tenth of the agent's sources (the agent mostly has others' words)
or whose words are partly in turns whose speaker is uncertain, and an avoided topic matched
by its name alone (no examples). How far each topic reaches into the sources is
rails/reach.py's to tell.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field

from onrecord.config import AgentCard, Settings
from onrecord.index.scope import agent_sources
from onrecord.store import SourceSummary, Store

# Under this share of the agent's sources, the owner's words are too few to speak with.
OWNER_SHARE = 0.1


@dataclass(slots=True)
class CardReport:
    """One agent's sources and speakers as the workspace has them, its errors and warnings."""

    name: str
    card: AgentCard
    sources: list[str]
    warnings: list[str]
    errors: list[str] = field(default_factory=list)


@dataclass(slots=True)
class Voices:
    """Words per speaker (display name, folded case) in some sources, and how many of them
    are in turns whose speaker is uncertain."""

    words: Counter[str] = field(default_factory=Counter)
    uncertain: Counter[str] = field(default_factory=Counter)

    @property
    def total(self) -> int:
        return sum(self.words.values())


def voices(store: Store, source_ids: Sequence[str], bar: float) -> Voices:
    """Who speaks how much in these sources (reads each transcript once)."""
    found = Voices()
    for source_id in source_ids:
        transcript = store.get_source(source_id).transcript
        for turn in transcript.turns:
            who = transcript.speaker_name(turn.speaker).casefold()
            words = len(turn.text.split())
            found.words[who] += words
            if turn.confidence < bar:
                found.uncertain[who] += words
    return found


def check(name: str, card: AgentCard, sources: Sequence[SourceSummary], spoken: Voices | None = None) -> CardReport:
    """What `card` draws on in `sources`: an error per `speaks_as` name that no speaker of its
    sources has, a warning per pattern that finds nothing; with `spoken` (the words of its
    sources by speaker, see `voices`), a warning when the owner's words are few or uncertain."""
    warnings, errors = [], []
    chosen = agent_sources(card.sources, sources)
    for pattern in card.sources:
        if not agent_sources([pattern], sources):
            warnings.append(f"agents.{name}.sources: {pattern!r} matches no source")
    speakers = {speaker.casefold() for s in sources if s.id in chosen for speaker in s.speakers}
    for person in card.speaks_as:
        if person.casefold() not in speakers:
            errors.append(f"agents.{name}.speaks_as: no source of this agent has a speaker named {person!r}")
    owners = [person.casefold() for person in card.speaks_as if person.casefold() in speakers]
    if spoken is not None and owners and spoken.total:
        own = sum(spoken.words[person] for person in owners)
        if own < OWNER_SHARE * spoken.total:
            warnings.append(
                f"agents.{name}.speaks_as: {', '.join(card.speaks_as)} said {own:,} of the {spoken.total:,} words"
                f" of this agent's sources ({own / spoken.total:.0%}): most of what it could quote is someone else's"
            )
        doubtful = sum(spoken.uncertain[person] for person in owners)
        if doubtful:
            warnings.append(
                f"agents.{name}.speaks_as: {doubtful:,} of the owner's {own:,} words are in turns whose speaker is"
                " uncertain and are not quoted; check them with `onrecord speakers SOURCE --uncertain`"
            )
    for i, topic in enumerate(card.avoid):
        where = f"agents.{name}.avoid[{i}] ({topic.topic!r})"
        if not topic.examples:
            warnings.append(f"{where}: no examples; a topic is recognised best with a few questions that ask about it")
    return CardReport(name, card, sorted(chosen), warnings, errors)


def check_all(store: Store, settings: Settings, *, words: bool = False) -> list[CardReport]:
    """Every agent card of `settings` checked against the store's sources, by name; with
    `words`, also against what the speakers of each agent's sources said (reads them)."""
    sources = store.sources()
    bar = settings.speakers.min_confidence
    reports = []
    for name, card in sorted(settings.agents.items()):
        spoken = voices(store, sorted(agent_sources(card.sources, sources)), bar) if words else None
        reports.append(check(name, card, sources, spoken))
    return reports
