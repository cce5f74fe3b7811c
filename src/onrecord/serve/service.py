"""What every request handler shares: the workspace and its agents, opened once per process."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from onrecord import export, insights
from onrecord.answer import Agent, Answer, followup
from onrecord.config import AgentCard, ServeSettings
from onrecord.errors import NotFoundError
from onrecord.index import scope as scopes
from onrecord.index.hits import HitFormatter
from onrecord.index.search import MAX_QUERY_CHARS, check_query
from onrecord.model import Source
from onrecord.store import Scope, SourceSummary, Store
from onrecord.workspace import Workspace

log = logging.getLogger("onrecord.serve")


class Service:
    """The workspace behind an app; agents are built on first use and kept."""

    def __init__(self, root: str | Path) -> None:
        self.root = Path(root)
        self.workspace = Workspace.open(root)
        self._agents: dict[str, Agent] = {}
        # One SQLite connection and one set of agents serve every request: work that touches
        # them runs one request at a time (a question takes a few milliseconds). Embedding has
        # its own locks and is done before taking this one where it can be.
        self._lock = threading.Lock()
        # The store's version when the agents and the search index in memory were made.
        self._seen = self.workspace.store.version()

    def _refresh(self) -> None:
        """After another process changed the store (`onrecord add`, `remove`, `index`), bring
        the index up to date and rebuild the agents: what is in memory describes the old
        store, and a passage id may since name another passage. Called under the lock."""
        version = self.workspace.store.version()
        if version == self._seen:
            return
        self.workspace.update_index()
        self.workspace.searcher.forget()
        self._agents.clear()
        self._seen = self.workspace.store.version()

    @property
    def cards(self) -> dict[str, AgentCard]:
        return self.workspace.settings.agents

    @property
    def settings(self) -> ServeSettings:
        return self.workspace.settings.serve

    def agent(self, name: str) -> Agent:
        """The agent `name`; NotFoundError (HTTP 404) when the workspace has none by that name."""
        if name not in self._agents:
            if name not in self.cards:
                raise NotFoundError(f"no agent named {name!r}")
            self._agents[name] = Agent(self.workspace, name)
        return self._agents[name]

    def ask(self, name: str, question: str, history: Sequence[str] = ()) -> Answer:
        """Agent `name`'s answer, logged for the owner's insights when logging is on."""
        if name not in self.cards:
            raise NotFoundError(f"no agent named {name!r}")
        with self._lock:
            self._refresh()
            model = self.workspace.searcher.queries
        # Embedding is most of a question's cost and needs neither the store nor the lock: the
        # texts the agent will embed (the question, and what it searches with) are embedded
        # here, in parallel with other requests, and found in the cache under the lock.
        query = followup.resolve(question.strip(), history)[:MAX_QUERY_CHARS]
        model.embed_batch(list(dict.fromkeys((question.strip(), query))))
        with self._lock:
            agent = self.agent(name)
            answer = agent.ask(question, list(history), phrase=False)
        # An LLM may take seconds to phrase: other questions must not wait for it. (Its quote
        # check reads the sources the extractive answer already loaded.)
        answer = agent.phrase(answer, list(history))
        if self.settings.log_questions:
            with self._lock:
                self._log(answer)
        return answer

    def _log(self, answer: Answer) -> None:
        try:
            insights.log_answer(self.workspace.store, answer)
        except Exception:
            # The asker still gets the answer: a busy store costs the owner one log line.
            log.exception("could not log a question for agent %s", answer.agent)

    def public_sources(self) -> set[str]:
        """Ids of the sources some agent draws on: the only ones the server shows."""
        summaries = self.workspace.store.sources()
        return {sid for card in self.cards.values() for sid in scopes.agent_sources(card.sources, summaries)}

    def search(self, query: str, agent: str | None, k: int) -> dict[str, Any]:
        """The `onrecord search --json` answer, within an agent's sources (else every agent's)."""
        check_query(query)
        with self._lock:
            self._refresh()
            model = self.workspace.searcher.queries
        model.embed_batch([query[:MAX_QUERY_CHARS]])  # outside the lock, as for questions
        with self._lock:
            store = self.workspace.store
            if agent is not None:
                scope = scopes.resolve(store, self.workspace.settings, agent=agent)
            else:
                scope = Scope(source_ids=frozenset(self.public_sources()))
            hits = self.workspace.searcher.search(query, k, scope)
            return HitFormatter(store).results(query, hits)

    def sources(self) -> list[SourceSummary]:
        """The sources the agents draw on, oldest first: a source no agent draws on is never shown."""
        with self._lock:
            self._refresh()
            public = self.public_sources()
            return [s for s in self.workspace.store.sources() if s.id in public]

    def source(self, source_id: str) -> Source:
        """One source the agents draw on, with its transcript; NotFoundError (HTTP 404) otherwise."""
        with self._lock:
            self._refresh()
            if source_id not in self.public_sources():
                raise NotFoundError(f"no source with id {source_id!r}")
            return self.workspace.store.get_source(source_id)

    def correct(self, source_id: str, change: Callable[[Store], Source]) -> Source:
        """An owner's correction of a source the agents draw on (`change` applies it to the
        store, see `corrections`); then that source's new passages are embedded and the
        agents rebuilt, so the next answer uses the corrected speakers."""
        with self._lock:
            self._refresh()
            if source_id not in self.public_sources():
                raise NotFoundError(f"no source with id {source_id!r}")
            source = change(self.workspace.store)
            self.workspace.update_index()
            self.workspace.searcher.forget()
            self._agents.clear()
            self._seen = self.workspace.store.version()
            return source

    def sources_json(self) -> list[dict[str, Any]]:
        """The sources the agents draw on, as `onrecord sources --json` lists them."""
        return [export.summary_dict(s) for s in self.sources()]

    def transcript(self, source_id: str) -> dict[str, Any]:
        """One source's repaired transcript, as `onrecord show --as json` prints it."""
        return export.as_dict(self.source(source_id), self.workspace.settings.speakers.min_confidence)

    def insights(self, agent: str | None = None, since: str | None = None) -> dict[str, Any]:
        """The owner's insights, read on a connection of its own so answers do not wait."""
        with Workspace.open(self.root) as workspace:
            return insights.insights(workspace, agent=agent, since=since)

    def warm(self) -> None:
        """Load the model and the vectors now, not on the first question."""
        with self._lock:
            if self.workspace.pending_index():
                self.workspace.update_index()
            _ = self.workspace.searcher.search("warm up", 1)
            for name in self.cards:
                # A first question readies everything an agent embeds once (its card's
                # readings, the safety references, its archive's vectors).
                self.agent(name).ask("What do you talk about?", phrase=False)

    def close(self) -> None:
        self.workspace.close()
