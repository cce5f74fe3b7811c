"""A database of its own for each PostgreSQL test, on the session's real server."""

from __future__ import annotations

import shutil
import socket
import tempfile
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import psycopg
from psycopg import sql

from onrecord.store.postgres.local import USER, LocalServer


@contextmanager
def server_folder() -> Iterator[Path]:
    """A folder for a server's data outside pytest's own temporary folders: run as root, the
    server runs as another user, and pytest makes its folders private to root again (another
    pytest run on the machine would lock a running server out of its own files)."""
    folder = Path(tempfile.mkdtemp(prefix="onrecord-test-pg-"))
    try:
        yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@contextmanager
def database(server: LocalServer, *, pgvector: bool = True) -> Iterator[str]:
    """The URL of a new database owned by the `onrecord` user (with pgvector added by the
    superuser, as `onrecord db start` does), dropped afterwards."""
    name = f"t_{uuid.uuid4().hex[:12]}"
    password = server.password()
    with psycopg.connect(server.superuser_url(), password=password, autocommit=True) as db:
        db.execute(sql.SQL("CREATE DATABASE {} OWNER {}").format(sql.Identifier(name), sql.Identifier(USER)))
    if pgvector:
        with psycopg.connect(server.superuser_url(name), password=password, autocommit=True) as db:
            db.execute("CREATE EXTENSION vector")
    try:
        yield f"postgresql://{USER}@127.0.0.1:{server.port}/{name}"
    finally:
        with psycopg.connect(server.superuser_url(), password=password, autocommit=True) as db:
            db.execute(sql.SQL("DROP DATABASE {} WITH (FORCE)").format(sql.Identifier(name)))


def tables(server: LocalServer, url: str) -> list[str]:
    """The tables in the public schema of the database at `url`."""
    name = url.rsplit("/", 1)[1]
    with psycopg.connect(server.superuser_url(name), password=server.password()) as db:
        rows = db.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY 1").fetchall()
    return [row[0] for row in rows]
