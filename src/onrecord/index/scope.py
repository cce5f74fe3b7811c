"""Turning an agent, speaker and source filters into a search `Scope`."""

from __future__ import annotations

from collections.abc import Sequence
from fnmatch import fnmatchcase

from onrecord.config import Settings
from onrecord.errors import NotFoundError
from onrecord.store import Scope, SourceSummary, Store


def agent_sources(patterns: Sequence[str], sources: Sequence[SourceSummary]) -> set[str]:
    """Source ids an agent draws on: each pattern is a source id or a title glob."""
    chosen = set()
    for source in sources:
        for pattern in patterns:
            if pattern == source.id or fnmatchcase(source.title.lower(), pattern.lower()):
                chosen.add(source.id)
                break
    return chosen


def resolve(
    store: Store,
    settings: Settings,
    *,
    agent: str | None = None,
    speakers: Sequence[str] = (),
    sources: Sequence[str] = (),
) -> Scope | None:
    """The scope for these filters; NotFoundError names an unknown agent, speaker or source."""
    if agent is None and not speakers and not sources:
        return None
    summaries = store.sources()
    source_ids: set[str] | None = None
    if agent is not None:
        card = settings.agents.get(agent)
        if card is None:
            known = ", ".join(sorted(settings.agents)) or "none are defined in onrecord.toml"
            raise NotFoundError(f"no agent named {agent!r} (agents: {known})")
        source_ids = agent_sources(card.sources, summaries)
    if sources:
        known_ids = {s.id for s in summaries}
        for source_id in sources:
            if source_id not in known_ids:
                raise NotFoundError(f"no source with id {source_id!r}")
        source_ids = set(sources) if source_ids is None else source_ids & set(sources)
    for speaker in speakers:
        if not store.scope_ids(Scope(speakers=frozenset([speaker]))):
            names = sorted({name for s in summaries for name in s.speakers})
            raise NotFoundError(f"no speaker named {speaker!r} (speakers: {', '.join(names) or 'none'})")
    return Scope(
        source_ids=frozenset(source_ids) if source_ids is not None else None,
        speakers=frozenset(speakers) if speakers else None,
    )
