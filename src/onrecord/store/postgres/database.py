"""The PostgreSQL store's connections: checked once, migrated, then a pool shared by threads.

Opening says plainly what is wrong before anything is created: a server that cannot be
reached, credentials it refuses, a database that does not exist, a server without pgvector.
Each read runs in one repeatable-read transaction (it sees one state of the data); each write
in one transaction that also moves the store's version, unless it only logs a question.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import psycopg
from psycopg import errors as pg_errors
from psycopg.conninfo import conninfo_to_dict, make_conninfo
from psycopg_pool import ConnectionPool

from onrecord.errors import StoreError
from onrecord.store.postgres import schema

CONNECT_TIMEOUT = 5
# How long a request waits for a free connection of the pool.
POOL_WAIT = 30.0


def where(url: str) -> str:
    """The server and database a URL names, for messages (never its password)."""
    parts = conninfo_to_dict(url)
    host = str(parts.get("host") or "localhost")
    port = parts.get("port")
    return f"{host}{':' + str(port) if port and not host.startswith('/') else ''}/{parts.get('dbname', '')}"


def _refusal(exc: psycopg.OperationalError, url: str) -> StoreError:
    """What a failed connection means, in one sentence."""
    message = str(exc).strip().splitlines()[-1] if str(exc).strip() else type(exc).__name__
    user = conninfo_to_dict(url).get("user", "")
    text = str(exc)
    if "password authentication failed" in text or "no password supplied" in text or exc.sqlstate == "28P01":
        return StoreError(f"PostgreSQL at {where(url)} refused the credentials of user {user!r}: {message}")
    if exc.sqlstate == "3D000" or ("database" in text and "does not exist" in text):
        return StoreError(f"PostgreSQL at {where(url)}: the database does not exist (create it first): {message}")
    return StoreError(f"cannot reach PostgreSQL at {where(url)}: {message}")


def _check_pgvector(db: psycopg.Connection, url: str) -> None:
    installed = db.execute("SELECT 1 FROM pg_extension WHERE extname = 'vector'").fetchone()
    if installed is not None:
        return
    if db.execute("SELECT 1 FROM pg_available_extensions WHERE name = 'vector'").fetchone() is None:
        raise StoreError(
            f"PostgreSQL at {where(url)} has no pgvector extension: install pgvector on the server"
            " (or use `onrecord db start`, which ships it)"
        )
    try:
        with db.transaction():
            db.execute("CREATE EXTENSION IF NOT EXISTS vector")
    except pg_errors.InsufficientPrivilege:
        raise StoreError(
            f"PostgreSQL at {where(url)}: pgvector is on the server but not in this database, and this user"
            " may not add it: run `CREATE EXTENSION vector` there as a superuser"
        ) from None


def _configure(db: psycopg.Connection) -> None:
    from pgvector.psycopg import register_vector

    register_vector(db)


class Database:
    """A pool of connections to one PostgreSQL database, migrated on open."""

    def __init__(self, url: str, password: str | None = None, *, pool_size: int = 8) -> None:
        self.url = url
        conninfo = make_conninfo(url, password=password) if password is not None else url
        try:
            with psycopg.connect(conninfo, connect_timeout=CONNECT_TIMEOUT, autocommit=True) as db:
                _check_pgvector(db, url)
                db.autocommit = False
                schema.apply(db)
                db.commit()
        except psycopg.OperationalError as exc:
            raise _refusal(exc, url) from None
        except psycopg.Error as exc:
            raise StoreError(f"PostgreSQL at {where(url)}: cannot open the store: {exc}") from None
        self._local = threading.local()
        self.pool = ConnectionPool(
            conninfo,
            min_size=1,
            max_size=pool_size,
            timeout=POOL_WAIT,
            kwargs={"connect_timeout": CONNECT_TIMEOUT},
            configure=_configure,
            open=True,
            name="onrecord",
        )

    @contextmanager
    def read(self) -> Iterator[psycopg.Connection[Any]]:
        """A connection inside one read-only transaction that sees one state of the data."""
        with self.pool.connection() as db:
            db.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
            yield db

    @contextmanager
    def write(self, *, moves_version: bool = True) -> Iterator[psycopg.Connection[Any]]:
        """A connection inside one transaction, committed when the block ends, else rolled back.
        A write inside another on the same thread (see `batch`) is part of the outer one."""
        outer: psycopg.Connection[Any] | None = getattr(self._local, "db", None)
        if outer is not None:
            yield outer
            if moves_version:
                outer.execute("UPDATE store_state SET version = version + 1")
            return
        with self.pool.connection() as db:
            self._local.db = db
            try:
                yield db
                if moves_version:
                    db.execute("UPDATE store_state SET version = version + 1")
            finally:
                self._local.db = None

    def version(self, db: psycopg.Connection[Any] | None = None) -> int:
        """The store's version, read on `db` when the caller holds a connection already: a
        second one taken from the pool while holding the first could wait forever once every
        connection is held by a thread doing the same."""
        if db is None:
            with self.pool.connection() as own:
                return self.version(own)
        row = db.execute("SELECT version FROM store_state").fetchone()
        assert row is not None
        return int(row[0])

    def close(self) -> None:
        self.pool.close()
