"""Schema migrations of the PostgreSQL store: small functions applied once, in order.

Each runs in its own transaction under an advisory lock (several workers may open the store
at once) and is recorded in `_migrations`, as the SQLite store's are.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

import psycopg

Migration = Callable[[psycopg.Connection], None]
MIGRATIONS: list[tuple[str, Migration]] = []
# pg_advisory_xact_lock key: "onrecord" in ASCII.
LOCK = 0x6F6E7265636F7264


def migration(fn: Migration) -> Migration:
    MIGRATIONS.append((fn.__name__, fn))
    return fn


def apply(db: psycopg.Connection) -> list[str]:
    """Apply every migration not yet recorded; returns the names applied. A store whose
    migrations are all applied is only read, so a read-only replica opens too."""
    with db.transaction():
        if db.execute("SELECT to_regclass('_migrations')").fetchone() not in (None, (None,)):
            done = {row[0] for row in db.execute("SELECT name FROM _migrations").fetchall()}
            if all(name in done for name, _ in MIGRATIONS):
                return []
    applied = []
    for name, fn in MIGRATIONS:
        with db.transaction():
            db.execute("SELECT pg_advisory_xact_lock(%s)", (LOCK,))
            db.execute("CREATE TABLE IF NOT EXISTS _migrations (name text PRIMARY KEY, applied text NOT NULL)")
            if db.execute("SELECT 1 FROM _migrations WHERE name = %s", (name,)).fetchone() is not None:
                continue
            fn(db)
            db.execute(
                "INSERT INTO _migrations (name, applied) VALUES (%s, %s)",
                (name, datetime.now(UTC).isoformat(timespec="seconds")),
            )
        applied.append(name)
    return applied


@migration
def m001_schema(db: psycopg.Connection) -> None:
    # The SQLite store's six first migrations in one: sources, passages with their lexical
    # vector (weights A/B/C for the passage, its prompt, its labels), the question log and its
    # vectors, recorded facts, the version and the passage id sequence. The text search
    # configuration `onrecord` reads words as SQLite's FTS5 (porter unicode61) does: English
    # stemming, stop words kept, a hyphenated word as its parts only.
    db.execute("CREATE EXTENSION IF NOT EXISTS vector")
    db.execute(
        """
        CREATE TEXT SEARCH DICTIONARY onrecord_stem (TEMPLATE = snowball, Language = english);
        CREATE TEXT SEARCH CONFIGURATION onrecord (COPY = english);
        ALTER TEXT SEARCH CONFIGURATION onrecord ALTER MAPPING REPLACE english_stem WITH onrecord_stem;
        ALTER TEXT SEARCH CONFIGURATION onrecord DROP MAPPING FOR asciihword, hword;
        CREATE TABLE sources (
            id text PRIMARY KEY, title text NOT NULL, format text NOT NULL, kind text NOT NULL,
            sha256 text NOT NULL UNIQUE, url text, date text, path text, added text NOT NULL,
            words integer NOT NULL, seq bigserial
        );
        CREATE TABLE speakers (
            source_id text NOT NULL REFERENCES sources(id) ON DELETE CASCADE,
            idx integer NOT NULL, label text NOT NULL, name text,
            PRIMARY KEY (source_id, label)
        );
        CREATE TABLE turns (
            source_id text NOT NULL REFERENCES sources(id) ON DELETE CASCADE,
            idx integer NOT NULL, speaker text NOT NULL, text text NOT NULL, clean_text text NOT NULL,
            start double precision, "end" double precision, teaser boolean NOT NULL DEFAULT false,
            sentences text NOT NULL DEFAULT '[]', anchors text NOT NULL DEFAULT '[]',
            PRIMARY KEY (source_id, idx)
        );
        CREATE TABLE chapters (
            source_id text NOT NULL REFERENCES sources(id) ON DELETE CASCADE,
            idx integer NOT NULL, title text NOT NULL, turn integer NOT NULL, start double precision,
            PRIMARY KEY (source_id, idx)
        );
        CREATE SEQUENCE passage_ids;
        CREATE TABLE passages (
            id bigint PRIMARY KEY,
            source_id text NOT NULL REFERENCES sources(id) ON DELETE CASCADE,
            turn integer NOT NULL, begin integer NOT NULL, "end" integer NOT NULL, speaker text NOT NULL,
            text text NOT NULL, prompt text NOT NULL, prompt_turn integer, chapter text, context text NOT NULL,
            start double precision, stop double precision, asks boolean NOT NULL DEFAULT false,
            lead_in text NOT NULL DEFAULT '', lexical tsvector, tokens integer NOT NULL DEFAULT 0
        );
        CREATE INDEX passages_source ON passages (source_id, turn, id);
        CREATE INDEX passages_lexical ON passages USING gin (lexical);
        CREATE FUNCTION passages_lexical() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            NEW.lexical := setweight(to_tsvector('onrecord', NEW.text), 'A')
                || setweight(to_tsvector('onrecord', NEW.prompt), 'B')
                || setweight(to_tsvector('onrecord', NEW.context), 'C');
            NEW.tokens := (SELECT coalesce(sum(array_length(positions, 1)), 0) FROM unnest(NEW.lexical));
            RETURN NEW;
        END $$;
        CREATE TRIGGER passages_lexical BEFORE INSERT OR UPDATE ON passages
            FOR EACH ROW EXECUTE FUNCTION passages_lexical();
        CREATE TABLE vector_models (model text PRIMARY KEY, dims integer NOT NULL, tbl text NOT NULL UNIQUE);
        CREATE TABLE questions (
            id bigserial PRIMARY KEY, asked text NOT NULL, agent text NOT NULL, question text NOT NULL,
            status text NOT NULL, score double precision, topic text, cited text NOT NULL DEFAULT '[]'
        );
        CREATE INDEX questions_asked ON questions (asked);
        CREATE INDEX questions_agent ON questions (agent, asked);
        CREATE TABLE question_vectors (
            question_id bigint NOT NULL REFERENCES questions(id) ON DELETE CASCADE,
            model text NOT NULL, vector bytea NOT NULL,
            PRIMARY KEY (model, question_id)
        );
        CREATE TABLE meta (key text PRIMARY KEY, value text NOT NULL);
        CREATE TABLE store_state (version bigint NOT NULL);
        INSERT INTO store_state (version) VALUES (1);
        """
    )
