"""`onrecord serve --workers 2` as a user runs it: one port, a shared rate limit, a dead worker replaced."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import psutil

from tests.postgres_support import free_port
from tests.serve_support import variant

QUESTION = {"question": "How do you keep the bees calm?"}


@contextmanager
def serving(root: Path, workers: int = 2) -> Iterator[tuple[str, psutil.Process]]:
    """`onrecord serve --workers N` in its own process; its URL and the supervising process."""
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "onrecord", "-w", str(root), "serve", "--port", str(port), "--workers", str(workers)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env={**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[1] / "src")},
    )
    url = f"http://127.0.0.1:{port}"
    supervisor = psutil.Process(process.pid)
    try:
        deadline = time.monotonic() + 120
        while len(_workers(supervisor)) < workers or not _answers(url):
            assert process.poll() is None and time.monotonic() < deadline, "the server did not start"
            time.sleep(0.2)
        yield url, supervisor
    finally:
        process.send_signal(signal.SIGINT)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()


def _workers(supervisor: psutil.Process) -> list[psutil.Process]:
    """The live workers (uvicorn's spawned interpreters; multiprocessing's resource tracker
    is not one, nor a dead worker not yet reaped)."""
    alive = []
    for child in supervisor.children():
        try:
            if child.status() != psutil.STATUS_ZOMBIE and "resource_tracker" not in " ".join(child.cmdline()):
                alive.append(child)
        except psutil.Error:
            continue  # gone meanwhile
    return alive


def _answers(url: str) -> bool:
    try:
        return httpx.get(f"{url}/v1/models", timeout=5).status_code == 200
    except httpx.HTTPError:
        return False


def test_the_rate_limit_is_one_for_all_workers(served_workspace: Path, tmp_path: Path) -> None:
    root = variant(served_workspace, tmp_path / "ws", "rate_limit = 1\nrate_burst = 3")
    with serving(root) as (url, _), httpx.Client(timeout=60) as client:
        started = time.monotonic()
        codes = [client.get(f"{url}/api/search", params={"q": "bees"}).status_code for _ in range(8)]
        refilled = int((time.monotonic() - started) / 60)  # one a minute, on a very slow machine
    # Buckets per worker would let each worker's first three through.
    assert codes[:3] == [200] * 3 and 3 <= codes.count(200) <= 3 + refilled
    assert codes.count(200) + codes.count(429) == 8


def test_a_worker_that_dies_is_replaced_and_the_others_keep_answering(served_workspace: Path, tmp_path: Path) -> None:
    root = variant(served_workspace, tmp_path / "ws", "rate_limit = 0")
    with serving(root) as (url, supervisor), httpx.Client(timeout=60) as client:
        first, second = _workers(supervisor)
        first.kill()  # SIGKILL: no chance to finish anything
        failed = answered = 0
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            try:
                status = client.post(f"{url}/api/agents/mara/ask", json=QUESTION).status_code
                answered += status == 200
                failed += status != 200
            except httpx.TransportError:
                failed += 1  # the one request the dead worker had taken, at most
            alive = _workers(supervisor)
            if len(alive) == 2 and first.pid not in {p.pid for p in alive} and answered >= 20:
                break
        assert second.is_running() and len(_workers(supervisor)) == 2
        assert first.pid not in {p.pid for p in _workers(supervisor)}
        assert answered >= 20 and failed <= 1
