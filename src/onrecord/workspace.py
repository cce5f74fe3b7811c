"""A workspace: a folder with onrecord.toml and the data store, opened lazily."""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from onrecord import config
from onrecord.config import CONFIG_NAME, Settings
from onrecord.errors import ConfigError, NotFoundError
from onrecord.index import passages
from onrecord.index.passages import vector_key
from onrecord.store import SQLiteStore, Store

if TYPE_CHECKING:
    from onrecord.index.search import Hit, Searcher
    from onrecord.rerank.stage import SecondStage
    from onrecord.store import Scope


# The key under which a store records the rules its passages were cut by.
PASSAGE_RULES = "passage_rules"


def open_store(root: Path, settings: Settings) -> Store:
    """The store a workspace's settings name: PostgreSQL at [store] url, else the SQLite file."""
    if not settings.store.postgres:
        return SQLiteStore(root / settings.store.path)
    assert settings.store.url is not None
    return _postgres(settings.store.url, settings.store.password(), settings.store.pool_size)


def _postgres(url: str, password: str | None, pool_size: int = 8) -> Store:
    try:
        from onrecord.store.postgres import PostgresStore
    except ImportError:
        raise ConfigError("PostgreSQL needs the postgres extra: pip install 'onrecord[postgres]'") from None
    return PostgresStore(url, password, pool_size=pool_size)


@dataclass(slots=True)
class IndexReport:
    """What bringing the index up to date did."""

    dropped_model: str | None = None
    dropped: int = 0
    embedded: int = 0
    recut: int = 0


class Workspace:
    """Settings and store of one workspace; the store opens on first use."""

    def __init__(self, root: Path, settings: Settings) -> None:
        self.root = root
        self.settings = settings
        self._store: Store | None = None
        self._searcher: Searcher | None = None
        self._second_stage: SecondStage | None = None
        self._opening = threading.Lock()

    @classmethod
    def open(cls, root: str | Path, *, create: bool = False) -> Workspace:
        """Open the workspace at `root`; with `create`, make it when it is missing."""
        root = Path(root)
        if not (root / CONFIG_NAME).exists():
            if not create:
                raise NotFoundError(f"{root}: not an onrecord workspace (no {CONFIG_NAME}); run `onrecord init`")
            return cls.init(root)
        return cls(root, config.load(root / CONFIG_NAME))

    @classmethod
    def init(cls, root: str | Path) -> Workspace:
        """Create a workspace at `root` (an existing one is left as it is)."""
        root = Path(root)
        if root.exists() and not root.is_dir():
            raise ConfigError(f"{root}: exists and is not a folder")
        root.mkdir(parents=True, exist_ok=True)
        path = root / CONFIG_NAME
        if not path.exists():
            path.write_text(config.DEFAULT_TOML, encoding="utf-8")
        workspace = cls(root, config.load(path))
        _ = workspace.store  # opening the store creates it with its schema
        return workspace

    @property
    def store(self) -> Store:
        """The data store: the SQLite file, or PostgreSQL when [store] url is set (opened once,
        shared by every thread)."""
        with self._opening:
            if self._store is None:
                store = open_store(self.root, self.settings)
                if store.meta(PASSAGE_RULES) is None and not store.sources():
                    # A new store: whatever it will hold is cut by the current rules.
                    store.set_meta(PASSAGE_RULES, passages.RULES)
                self._store = store
            return self._store

    @property
    def searcher(self) -> Searcher:
        """The hybrid searcher over this workspace (loads the embedding model on first use)."""
        store = self.store
        with self._opening:
            if self._searcher is None:
                from onrecord.index.embed import get_model
                from onrecord.index.search import Searcher

                model = get_model(self.settings.embedding.model)
                self._searcher = Searcher(store, model, batch_size=self.settings.embedding.batch_size)
            return self._searcher

    @property
    def second_stage(self) -> SecondStage | None:
        """The configured reranker over this workspace's store; None when `[rerank]` turns it
        off. Loading the model waits for the first question."""
        store = self.store
        with self._opening:
            if self._second_stage is None:
                from onrecord.rerank.plugin import get_reranker
                from onrecord.rerank.stage import SecondStage

                reranker = get_reranker(self.settings.rerank)
                if reranker is None:
                    return None
                self._second_stage = SecondStage(reranker, store)
            return self._second_stage

    def search(self, query: str, k: int = 10, scope: Scope | None = None, *, rerank: bool = True) -> list[Hit]:
        """The k passages that best answer `query`: the first stage's candidates reordered by the
        second stage (unless `rerank` is false or `[rerank]` turns it off)."""
        stage = self.second_stage if rerank else None
        if stage is None:
            return self.searcher.search(query, k, scope)
        candidates = self.searcher.search(query, max(k, self.settings.rerank.candidates), scope)
        return stage.apply(query, candidates)[:k]

    def pending_index(self) -> int:
        """Passages still without a vector from the configured model, or every passage when
        they were cut by older rules (cheap: no model load)."""
        if self._stale_cut():
            return max(len(self.store.passage_layout()), 1)
        return len(self.store.missing_embeddings(vector_key(self.settings.embedding.model)))

    def unindexed_sources(self) -> set[str]:
        """Ids of the sources with passages still waiting for a vector (an import interrupted
        while embedding, or `add --no-index`): lexical search finds them, dense search not yet."""
        if self._stale_cut():
            return {summary.id for summary in self.store.sources()}
        missing = set(self.store.missing_embeddings(vector_key(self.settings.embedding.model)))
        if not missing:
            return set()
        return {source_id for pid, source_id, _, _ in self.store.passage_layout() if pid in missing}

    def _stale_cut(self) -> bool:
        """Whether stored passages were cut by other rules than the current ones."""
        return self.store.meta(PASSAGE_RULES) != passages.RULES

    def update_index(
        self,
        progress: Callable[[int], None] | None = None,
        announce: Callable[[str], None] | None = None,
    ) -> IndexReport:
        """Bring the index up to date: cut every source's passages again when they were cut
        by older rules, re-embed when the configured model changed, embed what has no vector
        yet. (Passages are otherwise cut when a source is imported.)"""
        report = IndexReport()
        store = self.store
        if self._stale_cut():
            sources = store.sources()
            if sources and announce is not None:
                announce(f"passages were cut by older rules: cutting {len(sources)} sources again and re-embedding")
            for summary in sources:
                source = store.get_source(summary.id)
                store.replace_passages(source, passages.cut(source))
            store.set_meta(PASSAGE_RULES, passages.RULES)
            report.recut = len(sources)
        key = vector_key(self.settings.embedding.model)
        for old in store.embedding_models():
            if old != key:
                if announce is not None:
                    announce(f"passage vectors changed from {old} to {key}: re-embedding every passage")
                report.dropped_model = old
                report.dropped += store.drop_embeddings(old)
        report.embedded = self.searcher.update(progress)
        return report

    def migrate(
        self, to: str, password: str | None = None, progress: Callable[[str], None] | None = None
    ) -> dict[str, int]:
        """Copy this workspace's data into the empty store at `to` (a postgresql:// URL, else a
        SQLite file path), all or nothing, counts checked (store/copy.py); returns the counts."""
        from onrecord.config import POSTGRES_URL
        from onrecord.store.copy import copy_store

        target = _postgres(to, password, 2) if POSTGRES_URL.match(to) else SQLiteStore(Path(to))
        try:
            return copy_store(
                self.store,
                target,
                question_models=[self.settings.embedding.model],
                meta_keys=[PASSAGE_RULES],
                progress=progress,
            )
        finally:
            target.close()

    def close(self) -> None:
        if self._store is not None:
            self._store.close()
            self._store = None

    def __enter__(self) -> Workspace:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
