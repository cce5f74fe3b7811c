"""What every request handler shares: the workspace and its agents, opened once per process."""

from __future__ import annotations

import threading
from pathlib import Path

from onrecord.answer import Agent, Answer
from onrecord.config import AgentCard
from onrecord.errors import NotFoundError
from onrecord.model import Source
from onrecord.store.protocol import SourceSummary
from onrecord.workspace import Workspace


class Service:
    """The workspace behind an app; agents are built on first use and kept."""

    def __init__(self, root: str | Path) -> None:
        self.workspace = Workspace.open(root)
        self._agents: dict[str, Agent] = {}
        # One SQLite connection and one ONNX session serve every request: questions are
        # answered one at a time (each takes milliseconds).
        self._lock = threading.Lock()

    @property
    def cards(self) -> dict[str, AgentCard]:
        return self.workspace.settings.agents

    def agent(self, name: str) -> Agent:
        """The agent `name`; NotFoundError (HTTP 404) when the workspace has none by that name."""
        if name not in self._agents:
            if name not in self.cards:
                raise NotFoundError(f"no agent named {name!r}")
            self._agents[name] = Agent(self.workspace, name)
        return self._agents[name]

    def ask(self, name: str, question: str, history: list[str] | None = None) -> Answer:
        with self._lock:
            return self.agent(name).ask(question, history or [])

    def source(self, source_id: str) -> Source:
        """One source with its transcript; NotFoundError (HTTP 404) when there is none."""
        with self._lock:
            return self.workspace.store.get_source(source_id)

    def sources(self) -> list[SourceSummary]:
        with self._lock:
            return self.workspace.store.sources()

    def warm(self) -> None:
        """Load the model and the vectors now, not on the first question."""
        with self._lock:
            if self.workspace.pending_index():
                self.workspace.update_index()
            _ = self.workspace.searcher.search("warm up", 1)

    def close(self) -> None:
        self.workspace.close()
