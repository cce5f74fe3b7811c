"""The embedded default store: one SQLite file in WAL mode, one writer, a reader per thread."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from onrecord.store.sqlite.database import Database
from onrecord.store.sqlite.passages import SQLitePassages
from onrecord.store.sqlite.questions import SQLiteQuestions
from onrecord.store.sqlite.sources import SQLiteSources
from onrecord.store.sqlite.vectors import SQLiteVectors

__all__ = ["SQLiteStore"]


class SQLiteStore(SQLiteSources, SQLitePassages, SQLiteVectors, SQLiteQuestions):
    """A `Store` over one SQLite file; safe to share between threads."""

    def __init__(self, path: str | Path) -> None:
        self.path = str(path)
        self.db = Database(path)
        self._df: dict[str, int] = {}
        self._df_version = -1
        self._df_lock = threading.Lock()

    @contextmanager
    def batch(self) -> Iterator[None]:
        with self.db.write(moves_version=False):
            yield

    def version(self) -> int:
        return self.db.version()

    def meta(self, key: str) -> str | None:
        with self.db.read() as db:
            row = db.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return None if row is None else str(row[0])

    def set_meta(self, key: str, value: str) -> None:
        with self.db.write() as db:
            db.execute(
                "INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = ?",
                (key, value, value),
            )

    def counts(self) -> dict[str, int]:
        tables = {"sources": "sources", "turns": "turns", "passages": "passages", "vectors": "embeddings"}
        tables["questions"] = "questions"
        with self.db.read() as db:
            return {
                name: int(db.execute(f"SELECT count(*) FROM {table}").fetchone()[0]) for name, table in tables.items()
            }

    def close(self) -> None:
        self.db.close()
