"""Schema migrations of the SQLite store: small functions applied once, in order.

Each migration runs in its own transaction and is recorded in `_migrations`, so a
workspace made by an older onrecord is brought up to date on open.
"""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Callable
from datetime import UTC, datetime

Migration = Callable[[sqlite3.Connection], None]
MIGRATIONS: list[tuple[str, Migration]] = []


def migration(fn: Migration) -> Migration:
    MIGRATIONS.append((fn.__name__, fn))
    return fn


def _script(db: sqlite3.Connection, sql: str) -> None:
    # executescript() would commit the migration's transaction first; run statements one by
    # one. Statements end with ";" at the end of a line; trigger bodies end theirs with "; END;".
    for statement in re.split(r";\s*\n(?!\s*END;)", sql):
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
        # Another process may have applied it while this one waited for the write lock.
        if db.execute("SELECT 1 FROM _migrations WHERE name = ?", (name,)).fetchone() is not None:
            db.execute("COMMIT")
            continue
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


@migration
def m002_passages(db: sqlite3.Connection) -> None:
    _script(
        db,
        """
        CREATE TABLE passages (
            id INTEGER PRIMARY KEY,
            source_id TEXT NOT NULL REFERENCES sources(id) ON DELETE CASCADE,
            turn INTEGER NOT NULL,
            begin INTEGER NOT NULL,
            "end" INTEGER NOT NULL,
            speaker TEXT NOT NULL,
            text TEXT NOT NULL,
            prompt TEXT NOT NULL,
            prompt_turn INTEGER,
            chapter TEXT,
            context TEXT NOT NULL,
            start REAL,
            stop REAL,
            asks INTEGER NOT NULL DEFAULT 0
        );
        CREATE INDEX passages_source ON passages(source_id, turn);
        CREATE VIRTUAL TABLE passages_fts USING fts5(
            text, prompt, context, content='passages', content_rowid='id', tokenize='porter unicode61'
        );
        CREATE TRIGGER passages_fts_insert AFTER INSERT ON passages BEGIN
            INSERT INTO passages_fts (rowid, text, prompt, context)
            VALUES (new.id, new.text, new.prompt, new.context);
        END;
        CREATE TRIGGER passages_fts_delete AFTER DELETE ON passages BEGIN
            INSERT INTO passages_fts (passages_fts, rowid, text, prompt, context)
            VALUES ('delete', old.id, old.text, old.prompt, old.context);
        END;
        CREATE TABLE embeddings (
            passage_id INTEGER NOT NULL REFERENCES passages(id) ON DELETE CASCADE,
            model TEXT NOT NULL,
            vector BLOB NOT NULL,
            PRIMARY KEY (model, passage_id)
        )
        """,
    )


@migration
def m003_questions(db: sqlite3.Connection) -> None:
    # The question log for the owner's insights. Cited moments name a source and a turn but
    # do not reference `sources`: the log outlives a removed source, whose moments are skipped.
    _script(
        db,
        """
        CREATE TABLE questions (
            id INTEGER PRIMARY KEY,
            asked TEXT NOT NULL,
            agent TEXT NOT NULL,
            question TEXT NOT NULL,
            status TEXT NOT NULL,
            score REAL,
            topic TEXT,
            cited TEXT NOT NULL DEFAULT '[]'
        );
        CREATE INDEX questions_asked ON questions(asked);
        CREATE INDEX questions_agent ON questions(agent, asked)
        """,
    )


@migration
def m004_meta(db: sqlite3.Connection) -> None:
    # Facts about the workspace's own data, such as which rules cut its passages.
    _script(db, "CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)")


@migration
def m005_store_state(db: sqlite3.Connection) -> None:
    # The store's version, moved by every write but the question log's (a server compares it to
    # know that what it keeps is stale; PRAGMA data_version also moves on other workers' logged
    # questions), and the next passage id: ids are never given again after a delete, so an id
    # a server still holds never names another passage. A passage's lead-in (what its
    # embedding reads before its words) becomes data; for stored passages it is what was
    # derived from consecutive ids until now: the passage before in the same turn, else the prompt.
    _script(
        db,
        """
        CREATE TABLE store_state (version INTEGER NOT NULL, next_passage INTEGER NOT NULL);
        INSERT INTO store_state (version, next_passage) SELECT 1, coalesce(max(id), 0) + 1 FROM passages;
        ALTER TABLE passages ADD COLUMN lead_in TEXT NOT NULL DEFAULT '';
        UPDATE passages SET lead_in = coalesce(
            (SELECT b.text FROM passages b
             WHERE b.id = passages.id - 1 AND b.source_id = passages.source_id AND b.turn = passages.turn),
            prompt)
        """,
    )


@migration
def m006_question_vectors(db: sqlite3.Connection) -> None:
    # A logged question's vector, kept when it is logged so that the owner page groups
    # questions without embedding them again on every view.
    _script(
        db,
        """
        CREATE TABLE question_vectors (
            question_id INTEGER NOT NULL REFERENCES questions(id) ON DELETE CASCADE,
            model TEXT NOT NULL,
            vector BLOB NOT NULL,
            PRIMARY KEY (model, question_id)
        )
        """,
    )
