"""Schema migrations for the SQLite store: small functions applied once, in order.

Each migration runs in its own transaction and is recorded in `_migrations`, so a
workspace made by an older onrecord is brought up to date on open.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from datetime import UTC, datetime

Migration = Callable[[sqlite3.Connection], None]
MIGRATIONS: list[tuple[str, Migration]] = []


def migration(fn: Migration) -> Migration:
    MIGRATIONS.append((fn.__name__, fn))
    return fn


def _script(db: sqlite3.Connection, sql: str) -> None:
    # executescript() would commit the migration's transaction first; run statements one by one.
    for statement in sql.split(";"):
        if statement.strip():
            db.execute(statement)


@migration
def m001_sources(db: sqlite3.Connection) -> None:
    _script(
        db,
        """
        CREATE TABLE sources (
            id TEXT PRIMARY KEY,
            title TEXT NOT NULL,
            format TEXT NOT NULL,
            kind TEXT NOT NULL,
            sha256 TEXT NOT NULL UNIQUE,
            url TEXT,
            date TEXT,
            path TEXT,
            added TEXT NOT NULL,
            words INTEGER NOT NULL
        );
        CREATE TABLE speakers (
            source_id TEXT NOT NULL REFERENCES sources(id) ON DELETE CASCADE,
            idx INTEGER NOT NULL,
            label TEXT NOT NULL,
            name TEXT,
            PRIMARY KEY (source_id, label)
        );
        CREATE TABLE turns (
            source_id TEXT NOT NULL REFERENCES sources(id) ON DELETE CASCADE,
            idx INTEGER NOT NULL,
            speaker TEXT NOT NULL,
            text TEXT NOT NULL,
            clean_text TEXT NOT NULL,
            start REAL,
            "end" REAL,
            teaser INTEGER NOT NULL DEFAULT 0,
            sentences TEXT NOT NULL DEFAULT '[]',
            anchors TEXT NOT NULL DEFAULT '[]',
            PRIMARY KEY (source_id, idx)
        );
        CREATE TABLE chapters (
            source_id TEXT NOT NULL REFERENCES sources(id) ON DELETE CASCADE,
            idx INTEGER NOT NULL,
            title TEXT NOT NULL,
            turn INTEGER NOT NULL,
            start REAL,
            PRIMARY KEY (source_id, idx)
        );
        """,
    )


def apply(db: sqlite3.Connection) -> list[str]:
    """Apply every migration not yet recorded; returns the names applied."""
    db.execute("CREATE TABLE IF NOT EXISTS _migrations (name TEXT PRIMARY KEY, applied TEXT NOT NULL)")
    done = {row[0] for row in db.execute("SELECT name FROM _migrations")}
    applied = []
    for name, fn in MIGRATIONS:
        if name in done:
            continue
        db.execute("BEGIN IMMEDIATE")
        try:
            fn(db)
            db.execute(
                "INSERT INTO _migrations (name, applied) VALUES (?, ?)",
                (name, datetime.now(UTC).isoformat(timespec="seconds")),
            )
            db.execute("COMMIT")
        except BaseException:
            db.execute("ROLLBACK")
            raise
        applied.append(name)
    return applied
