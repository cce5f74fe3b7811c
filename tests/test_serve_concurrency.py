"""Many askers while other processes import and remove sources, on SQLite and on PostgreSQL.

Threads ask, search and chat against a real server while `onrecord add` (with and without
indexing) and `onrecord remove` run in processes of their own, for a bounded time. Then:
no server error was ever answered, every source is whole or absent, and the server's
answers come to reflect the data as it is.
"""

from __future__ import annotations

import json
import os
import random
import subprocess
import sys
import threading
import time
from pathlib import Path

import httpx
import pytest

from onrecord.workspace import Workspace
from tests.serve_support import eventually, running, variant

# Imports go on until both are reached (at least MIN_ROUNDS, for at most ROUNDS) or SECONDS pass.
SECONDS = 30
MIN_ROUNDS = 3
ROUNDS = 8
SRC = str(Path(__file__).resolve().parents[1] / "src")
ASKED = [
    "How do you keep the bees calm?",
    "What do you do about varroa mites?",
    "Where are your hives?",
    "tell me more",
]


def _talk(folder: Path, n: int) -> Path:
    """A talk that only its own word, zorblat{n}, finds."""
    path = folder / f"talk{n}.vtt"
    cues = "".join(
        f"00:00:{10 * i:02d}.000 --> 00:00:{10 * i + 9:02d}.000\n<v Mara Quill>The zorblat{n} hives stand in row {i}"
        f" of the orchard, and in spring the zorblat{n} colony swarms towards the river.\n\n"
        for i in range(4)
    )
    path.write_text(f"WEBVTT\n\n{cues}", encoding="utf-8")
    return path


def _onrecord(root: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """The CLI in a process of its own, as a user at another terminal runs it."""
    return subprocess.run(
        [sys.executable, "-m", "onrecord", "-w", str(root), *args],
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": SRC},
        timeout=300,
    )


@pytest.fixture(params=["sqlite", "postgresql"])
def root(
    request: pytest.FixtureRequest, served_workspace: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Path:
    root = variant(served_workspace, tmp_path / "ws", "rate_limit = 0")
    if request.param == "postgresql":
        url, password = request.getfixturevalue("pg_database")
        monkeypatch.setenv("TEST_DB_PASSWORD", password)
        with Workspace.open(root) as workspace:
            workspace.migrate(url, password)
        toml = (root / "onrecord.toml").read_text(encoding="utf-8")
        store = f'[store]\nurl = "{url}"\npassword_env = "TEST_DB_PASSWORD"\n'
        (root / "onrecord.toml").write_text(toml.replace("[store]\n", store, 1), encoding="utf-8")
    return root


def test_asking_while_others_import_and_remove(root: Path, tmp_path: Path) -> None:
    errors: list[str] = []
    answered = 0
    added: dict[str, dict[str, int]] = {}  # source id -> what `add --json` reported
    words: dict[str, int] = {}  # source id -> its talk's number
    removed: set[str] = set()
    stop = threading.Event()
    lock = threading.Lock()

    with running(root) as url:

        def ask() -> None:
            nonlocal answered
            rng = random.Random(threading.get_ident())
            with httpx.Client(base_url=url, timeout=120) as client:
                while not stop.is_set():
                    pick = rng.randrange(3)
                    if pick == 0:
                        response = client.post("/api/agents/mara/ask", json={"question": rng.choice(ASKED)})
                    elif pick == 1:
                        response = client.get("/api/search", params={"q": f"zorblat{rng.randrange(ROUNDS)}"})
                    else:
                        messages = [{"role": "user", "content": rng.choice(ASKED)}]
                        response = client.post("/v1/chat/completions", json={"model": "mara", "messages": messages})
                    with lock:
                        if response.status_code >= 500:
                            errors.append(f"{response.status_code} {response.text[:300]}")
                        answered += 1

        started = time.monotonic()

        def import_talks() -> None:
            for n in range(ROUNDS):
                if n >= MIN_ROUNDS and time.monotonic() - started > SECONDS:
                    return
                index = [] if n % 2 else ["--no-index"]
                done = _onrecord(root, "add", str(_talk(tmp_path, n)), "--title", "Hive Talk", "--json", *index)
                assert done.returncode == 0, done.stderr
                (source,) = json.loads(done.stdout)["sources"]
                with lock:
                    added[source["id"]] = {"turns": source["turns"], "words": source["words"]}
                    words[source["id"]] = n

        def remove_talks() -> None:
            while not stop.is_set():
                with lock:
                    # Never the newest: it is the one the last check looks for.
                    candidates = sorted(set(added) - removed, key=lambda sid: words[sid])[:-1]
                if candidates:
                    done = _onrecord(root, "remove", candidates[0])
                    assert done.returncode == 0, done.stderr
                    with lock:
                        removed.add(candidates[0])
                time.sleep(0.5)

        askers = [threading.Thread(target=ask) for _ in range(4)]
        writers = [threading.Thread(target=import_talks), threading.Thread(target=remove_talks)]
        for thread in askers + writers:
            thread.start()
        writers[0].join(timeout=600)
        stop.set()
        for thread in askers + writers:
            thread.join(timeout=300)

        assert errors == []
        assert answered > 20 and len(added) >= 3 and removed
        newest = max(words, key=words.__getitem__)

        def found(n: int) -> list[str]:
            results = httpx.get(f"{url}/api/search", params={"q": f"zorblat{n}", "agent": "mara"}).json()["results"]
            return [r["source"]["id"] for r in results]

        # The server comes to reflect the data: the newest talk (imported, perhaps without an
        # index, which the server makes) is found, and a removed one never again.
        assert newest in eventually(lambda: found(words[newest]), lambda ids: newest in ids)
        gone = next(iter(removed))
        assert gone not in eventually(lambda: found(words[gone]), lambda ids: gone not in ids)

    with Workspace.open(root) as workspace:
        store = workspace.store
        kept = {s.id: s for s in store.sources()}
        assert set(kept) & removed == set()
        layout = store.passage_layout()
        for source_id, reported in added.items():
            if source_id in removed:
                assert not any(sid == source_id for _, sid, _, _ in layout)
                continue
            assert (kept[source_id].turns, kept[source_id].words) == (reported["turns"], reported["words"])
            assert len(store.get_source(source_id).transcript.turns) == reported["turns"]
            assert any(sid == source_id for _, sid, _, _ in layout)
        assert workspace.pending_index() == 0  # what was imported without an index was indexed
