"""A small served workspace for the serve tests: a real app on a loopback port, over HTTP."""

from __future__ import annotations

import shutil
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TypeVar

import uvicorn
from click.testing import CliRunner

from onrecord.cli import main
from onrecord.serve import create_app, proxies

T = TypeVar("T")

FIXTURES = Path(__file__).parent / "fixtures" / "serve"
URL = "https://video.example.org/watch/hive-talk"

CARDS = """
[agents.mara]
title = "Mara Quill (an AI stand-in)"
speaks_as = ["Mara Quill"]
sources = ["Hive Talk"]
disclosure = "I'm an AI built from Mara Quill's recorded words, not Mara herself."
no_answer = "Mara hasn't talked about that on the record."

[[agents.mara.avoid]]
topic = "my family and private life"
examples = ["Are you married?", "Do you have children?"]
reply = "I keep my family out of the bee talk."
"""


def cli(workspace: Path, *args: str) -> str:
    result = CliRunner().invoke(main, ["-w", str(workspace), *args], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result.output


def build_workspace(root: Path) -> Path:
    """Two sources (an interview the agent draws on, private notes no agent does) and one agent."""
    cli(root, "add", str(FIXTURES / "hive_talk.vtt"), "--title", "Hive Talk", "--url", URL)
    cli(root, "add", str(FIXTURES / "private_notes.md"), "--title", "Private notes")
    with (root / "onrecord.toml").open("a", encoding="utf-8") as toml:
        toml.write(CARDS)
    cli(root, "index")
    return root


def variant(base: Path, root: Path, serve: str) -> Path:
    """A copy of the workspace at `base` with a [serve] section."""
    shutil.copytree(base, root)
    with (root / "onrecord.toml").open("a", encoding="utf-8") as toml:
        toml.write(f"\n[serve]\n{serve}\n")
    return root


@contextmanager
def running(root: Path) -> Iterator[str]:
    """The app over `root` served by uvicorn on a free loopback port; yields its base URL."""
    config = uvicorn.Config(
        create_app(root), host="127.0.0.1", port=0, log_level="warning", lifespan="on", **proxies.SERVER_OPTIONS
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 60
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            raise RuntimeError("the server did not start")
        time.sleep(0.02)
    port = server.servers[0].sockets[0].getsockname()[1]
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)


def eventually(fetch: Callable[[], T], done: Callable[[T], bool], within: float = 60.0) -> T:
    """`fetch()` again until `done` holds of what it gives (a server makes its next snapshot in
    the background after another process writes), or `within` seconds pass; the last result."""
    deadline = time.monotonic() + within
    while True:
        got = fetch()
        if done(got) or time.monotonic() > deadline:
            return got
        time.sleep(0.05)
