"""What a server's requests read: the store's searcher and agents as of one version.

A snapshot is made whole (vectors read, every agent warmed) before any request sees it, and
then only read, so requests never wait for one to be made and never see half of one. When
another process changes the store, a background thread makes the next snapshot and swaps it
in; requests already running finish on the one they started with.
"""

from __future__ import annotations

import fcntl
import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from onrecord.answer import Agent
from onrecord.index import scope as scopes
from onrecord.index.query_cache import CachedModel
from onrecord.index.search import Searcher
from onrecord.store import SourceSummary
from onrecord.workspace import Workspace

log = logging.getLogger("onrecord.serve")

# A file in the workspace that one process at a time holds while it embeds what others
# imported with --no-index: several workers on one machine do the work once.
INDEX_LOCK = ".onrecord-index.lock"


@dataclass(slots=True)
class Snapshot:
    """The searcher, the agents and the source listing of one version of the store."""

    version: int
    searcher: Searcher
    agents: dict[str, Agent]
    sources: list[SourceSummary]
    public: set[str] = field(default_factory=set)


def make(workspace: Workspace, queries: CachedModel) -> Snapshot:
    """A snapshot of the store as it is now, every agent warmed by a first question."""
    store = workspace.store
    version = store.version()  # read first: a write during the making shows as a newer version
    searcher = Searcher(store, queries.model, batch_size=workspace.settings.embedding.batch_size, queries=queries)
    searcher.prepare()
    sources = store.sources()
    cards = workspace.settings.agents
    public = {sid for card in cards.values() for sid in scopes.agent_sources(card.sources, sources)}
    agents = {name: Agent(workspace, name, searcher) for name in cards}
    for agent in agents.values():
        # A first question readies everything an agent embeds once (its card's readings,
        # the safety references, its archive's vectors).
        agent.ask("What do you talk about?", phrase=False)
    return Snapshot(version, searcher, agents, sources, public)


def index_pending(workspace: Workspace) -> None:
    """Embed what another process imported without indexing, unless another worker is at it."""
    if not workspace.pending_index():
        return
    with open(Path(workspace.root) / INDEX_LOCK, "a+b") as lock:
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return  # another worker embeds them; its writes will move the version
        try:
            workspace.update_index()
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


class Refresher:
    """A background thread that makes the next snapshot when asked, one at a time."""

    def __init__(self, renew: Callable[[], None]) -> None:
        self._renew = renew
        self._wanted = threading.Event()
        self._stopped = False
        self._thread: threading.Thread | None = None
        self._lock = threading.Lock()

    def ask(self) -> None:
        """Make a new snapshot soon (asking again while one is made makes one more after it)."""
        with self._lock:
            if self._stopped:
                return
            if self._thread is None:
                self._thread = threading.Thread(target=self._run, name="onrecord-refresh", daemon=True)
                self._thread.start()
        self._wanted.set()

    def _run(self) -> None:
        while True:
            self._wanted.wait()
            self._wanted.clear()
            if self._stopped:
                return
            try:
                self._renew()
            except Exception:
                # The old snapshot goes on serving; the next request that sees a newer version
                # asks again.
                log.exception("could not bring the served index up to date")

    def stop(self) -> None:
        with self._lock:
            self._stopped = True
            thread = self._thread
        self._wanted.set()
        if thread is not None:
            thread.join(timeout=30)
