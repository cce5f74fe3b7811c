"""The SQLite store's connections, as datasette keeps them: one writer, a reader per thread.

The file is in WAL mode, so readers never wait for the writer nor it for them. Writes go
through one connection behind a lock, each in a `BEGIN IMMEDIATE` transaction that also
moves the store's version (unless it only touches the question log). Each thread reads on
a read-only connection of its own; a read of several statements runs in one transaction,
so it sees one state of the file, never a source half-removed by another process.
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import quote

from onrecord.errors import StoreError
from onrecord.store import migrations

BUSY_MS = 10_000


class Database:
    """One SQLite file: a writer connection (migrated on open) and per-thread readers."""

    def __init__(self, path: str | Path) -> None:
        self.path = str(path)
        self._lock = threading.Lock()
        self._local = threading.local()
        self._readers: list[sqlite3.Connection] = []
        self._readers_lock = threading.Lock()
        try:
            self.writer = self._connect(f"file:{quote(self.path)}?mode=rwc")
            self.writer.execute("PRAGMA journal_mode = WAL")
            self.writer.execute("PRAGMA synchronous = NORMAL")
            migrations.apply(self.writer)
        except sqlite3.DatabaseError as exc:
            # Not a database (a file of something else, or a damaged one): say so, not a traceback.
            raise StoreError(f"{self.path}: cannot open the store: {exc}") from None

    def _connect(self, uri: str) -> sqlite3.Connection:
        db = sqlite3.connect(uri, uri=True, isolation_level=None, check_same_thread=False)
        db.row_factory = sqlite3.Row
        db.execute("PRAGMA foreign_keys = ON")
        db.execute(f"PRAGMA busy_timeout = {BUSY_MS}")
        return db

    def reader(self) -> sqlite3.Connection:
        """This thread's read-only connection (made on its first read)."""
        db: sqlite3.Connection | None = getattr(self._local, "db", None)
        if db is None:
            db = self._connect(f"file:{quote(self.path)}?mode=ro")
            self._local.db = db
            self._local.depth = 0
            with self._readers_lock:
                self._readers.append(db)
        return db

    @contextmanager
    def read(self) -> Iterator[sqlite3.Connection]:
        """This thread's reader inside one read transaction (nested reads share it)."""
        db = self.reader()
        if self._local.depth:
            self._local.depth += 1
            try:
                yield db
            finally:
                self._local.depth -= 1
            return
        db.execute("BEGIN")
        self._local.depth = 1
        try:
            yield db
        finally:
            self._local.depth = 0
            db.execute("COMMIT")

    @contextmanager
    def write(self, *, moves_version: bool = True) -> Iterator[sqlite3.Connection]:
        """The writer inside one `BEGIN IMMEDIATE` transaction, rolled back on any error. A
        write inside another on the same thread (see `batch`) is part of the outer one."""
        if getattr(self._local, "writing", False):
            yield self.writer
            if moves_version:
                self.writer.execute("UPDATE store_state SET version = version + 1")
            return
        with self._lock:
            self.writer.execute("BEGIN IMMEDIATE")
            self._local.writing = True
            try:
                yield self.writer
                if moves_version:
                    self.writer.execute("UPDATE store_state SET version = version + 1")
            except BaseException:
                self.writer.execute("ROLLBACK")
                raise
            finally:
                self._local.writing = False
            self.writer.execute("COMMIT")

    def version(self) -> int:
        return int(self.reader().execute("SELECT version FROM store_state").fetchone()[0])

    def close(self) -> None:
        with self._readers_lock:
            for db in self._readers:
                db.close()
            self._readers.clear()
        self.writer.close()
