"""What every request handler shares: the workspace, its current snapshot, the answer cache.

No lock is held while a request is answered: each request reads the snapshot that was
current when it started (serve/snapshot.py), the store gives every thread its own reader,
and the only write, the question log, goes through the store's single writer.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from cachetools import LRUCache

from onrecord import export, insights
from onrecord.answer import Agent, Answer
from onrecord.config import AgentCard, ServeSettings
from onrecord.errors import NotFoundError
from onrecord.index.embed import get_model
from onrecord.index.hits import HitFormatter
from onrecord.index.query_cache import CachedModel
from onrecord.index.search import check_query
from onrecord.model import Source
from onrecord.redact import redact
from onrecord.serve import snapshot
from onrecord.serve.snapshot import Refresher, Snapshot
from onrecord.store import Scope, SourceSummary
from onrecord.workspace import Workspace

log = logging.getLogger("onrecord.serve")

# Answers kept for conversations asked again (popular questions repeat).
ANSWERS = 2048


def conversation_key(name: str, question: str, history: Sequence[str], version: int) -> tuple[object, ...]:
    """An answer cache key: the agent, the conversation with case and spacing made alike, and
    the store's version (a changed store answers anew)."""
    said = tuple(" ".join(text.casefold().split()) for text in (*history, question))
    return (name, said, version)


class Service:
    """The workspace behind an app; its snapshot is made on first use and renewed in the background."""

    def __init__(self, root: str | Path) -> None:
        self.root = Path(root)
        self.workspace = Workspace.open(root)
        self.queries = CachedModel(get_model(self.workspace.settings.embedding.model))
        self._snapshot: Snapshot | None = None
        self._making = threading.Lock()
        self._refresher = Refresher(self._renew)
        self._answers: LRUCache[tuple[object, ...], Answer] = LRUCache(maxsize=ANSWERS)
        self._answers_lock = threading.Lock()
        self.hits = self.misses = 0

    @property
    def cards(self) -> dict[str, AgentCard]:
        return self.workspace.settings.agents

    @property
    def settings(self) -> ServeSettings:
        return self.workspace.settings.serve

    def current(self) -> Snapshot:
        """The snapshot to answer from. When the store has moved on, a new one is made in the
        background while this request is answered from the one there is."""
        made = self._snapshot
        if made is None:
            with self._making:
                if self._snapshot is None:
                    snapshot.index_pending(self.workspace)
                    self._snapshot = snapshot.make(self.workspace, self.queries)
                return self._snapshot
        if self.workspace.store.version() != made.version:
            self._refresher.ask()
        return made

    def _renew(self) -> None:
        """Bring what other processes imported into the index, then make and swap in a snapshot."""
        with self._making:
            try:
                snapshot.index_pending(self.workspace)
            except Exception:
                # A server on a read-only replica cannot store vectors: it serves what is
                # indexed (the passages still found by their words) until a writer indexes.
                log.exception("could not index what was imported without an index")
            if self._snapshot is not None and self._snapshot.version == self.workspace.store.version():
                return
            self._snapshot = snapshot.make(self.workspace, self.queries)

    def agent(self, name: str) -> Agent:
        """The agent `name`; NotFoundError (HTTP 404) when the workspace has none by that name."""
        agents = self.current().agents
        if name not in agents:
            raise NotFoundError(f"no agent named {name!r}")
        return agents[name]

    def ask(self, name: str, question: str, history: Sequence[str] = ()) -> Answer:
        """Agent `name`'s answer, logged for the owner's insights when logging is on."""
        if name not in self.cards:
            raise NotFoundError(f"no agent named {name!r}")
        made = self.current()
        key = conversation_key(name, question, history, made.version)
        with self._answers_lock:
            answer = self._answers.get(key)
        if answer is not None:
            self.hits += 1
        else:
            self.misses += 1
            agent = made.agents[name]
            answer = agent.phrase(agent.ask(question, list(history), phrase=False), list(history))
            with self._answers_lock:
                self._answers[key] = answer
        if self.settings.log_questions:
            self._log(answer)
        return answer

    def _log(self, answer: Answer) -> None:
        try:
            # The vector is of the question as logged (redacted); usually the agent embedded
            # exactly that text already and it comes from the cache.
            vector = self.queries.embed_batch([redact(answer.question).strip()])[0]
            insights.log_answer(self.workspace.store, answer, vector=(self.queries.name, vector))
        except Exception:
            # The asker still gets the answer: a busy store costs the owner one log line.
            log.exception("could not log a question for agent %s", answer.agent)

    def public_sources(self) -> set[str]:
        """Ids of the sources some agent draws on: the only ones the server shows."""
        return self.current().public

    def search(self, query: str, agent: str | None, k: int) -> dict[str, Any]:
        """The `onrecord search --json` answer, within an agent's sources (else every agent's)."""
        check_query(query)
        made = self.current()
        if agent is not None:
            if agent not in made.agents:
                raise NotFoundError(f"no agent named {agent!r}")
            scope = made.agents[agent].scope
        else:
            scope = Scope(source_ids=frozenset(made.public))
        hits = made.searcher.search(query, k, scope)
        return HitFormatter(self.workspace.store, made.sources).results(query, hits)

    def sources(self) -> list[SourceSummary]:
        """The sources the agents draw on, oldest first: a source no agent draws on is never shown."""
        made = self.current()
        return [s for s in made.sources if s.id in made.public]

    def source(self, source_id: str) -> Source:
        """One source the agents draw on, with its transcript; NotFoundError (HTTP 404) otherwise."""
        if source_id not in self.public_sources():
            raise NotFoundError(f"no source with id {source_id!r}")
        return self.workspace.store.get_source(source_id)

    def sources_json(self) -> list[dict[str, Any]]:
        """The sources the agents draw on, as `onrecord sources --json` lists them."""
        return [export.summary_dict(s) for s in self.sources()]

    def transcript(self, source_id: str) -> dict[str, Any]:
        """One source's repaired transcript, as `onrecord show --as json` prints it."""
        return export.as_dict(self.source(source_id))

    def insights(self, agent: str | None = None, since: str | None = None) -> dict[str, Any]:
        """The owner's insights (questions grouped by their vectors stored when logged)."""
        return insights.insights(self.workspace, agent=agent, since=since, model=self.queries)

    def warm(self) -> None:
        """Load the model, index what is pending and make the first snapshot now, not on the
        first question."""
        self.current()

    def close(self) -> None:
        self._refresher.stop()
        self.workspace.close()
