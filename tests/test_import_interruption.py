"""Imports that are interrupted or run twice at once (issue 16), with real processes on a real
SQLite file: `kill -9` while embedding leaves every stored source whole, shown as not yet
indexed and completed by `onrecord index`; two `add` of the same files both succeed, one of
them saying "already imported"."""

from __future__ import annotations

import json
import os
import random
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

from onrecord import importer
from onrecord.store import SQLiteStore
from onrecord.workspace import Workspace
from tests.readers_support import FIXTURES

ENV = {**os.environ, "PYTHONPATH": str(Path(__file__).parents[1] / "src")}
WORDS = ("bees", "hive", "queen", "honey", "roof", "street", "trees", "garden", "bloom", "dance", "wax", "smoke")


def _command(workspace: Path, *args: str) -> list[str]:
    return [sys.executable, "-m", "onrecord", "-w", str(workspace), *args]


def _talk(path: Path, segments: int, seed: int) -> None:
    rng = random.Random(seed)
    rows = [
        {"i": i, "speaker": f"Speaker {1 + (i // 5) % 2}", "text": " ".join(rng.choices(WORDS, k=12)) + "."}
        for i in range(segments)
    ]
    path.write_text(json.dumps(rows), encoding="utf-8")


def test_kill_9_while_embedding_leaves_sources_whole_and_marked_until_index(tmp_path: Path) -> None:
    workspace = tmp_path / "ws"
    subprocess.run(_command(workspace, "init"), check=True, env=ENV, capture_output=True)
    killed_while_embedding = 0
    for run in range(2):
        talk = tmp_path / f"talk{run}.json"
        _talk(talk, 400, run)
        proc = subprocess.Popen(_command(workspace, "add", str(talk)), env=ENV, stdout=subprocess.PIPE, text=True)
        assert proc.stdout is not None
        added = proc.stdout.readline()  # printed once the file is stored, before embedding
        assert added.startswith("added "), added
        time.sleep(0.5 * run)
        proc.kill()
        proc.wait()
        db = sqlite3.connect(workspace / "onrecord.db")
        assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        missing = db.execute(
            "SELECT count(*) FROM passages p WHERE NOT EXISTS (SELECT 1 FROM embeddings e WHERE e.passage_id = p.id)"
        ).fetchone()[0]
        db.close()
        listed = subprocess.run(_command(workspace, "sources"), env=ENV, capture_output=True, text=True, check=True)
        assert listed.stdout.count("\n") == run + 1
        if missing:
            killed_while_embedding += 1
            source_id = added.split()[1]
            assert f"{source_id}  " in listed.stdout
            [line] = [line for line in listed.stdout.splitlines() if line.startswith(source_id)]
            assert line.endswith("(not yet indexed: run onrecord index)")
        indexed = subprocess.run(_command(workspace, "index"), env=ENV, capture_output=True, text=True, check=True)
        assert indexed.stdout.startswith("index up to date (")
        if missing:
            assert f"embedded {missing:,} passage" in indexed.stdout and "of 1 source)" in indexed.stdout
        listed = subprocess.run(_command(workspace, "sources"), env=ENV, capture_output=True, text=True, check=True)
        assert "not yet indexed" not in listed.stdout
    assert killed_while_embedding >= 1, "no run was stopped while embedding: make the file longer"


def test_index_with_nothing_pending_says_so(tmp_path: Path) -> None:
    workspace = tmp_path / "ws"
    subprocess.run(_command(workspace, "init"), check=True, env=ENV, capture_output=True)
    done = subprocess.run(_command(workspace, "index"), env=ENV, capture_output=True, text=True, check=True)
    assert done.stdout == "index up to date (nothing was pending)\n"


def test_two_adds_of_one_folder_at_once_both_succeed(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    for name in ("interview.vtt", "interview.srt", "interview.sbv", "edge_document.md"):
        (folder / name).write_bytes((FIXTURES / name).read_bytes())
    workspace = tmp_path / "ws"
    subprocess.run(_command(workspace, "init"), check=True, env=ENV, capture_output=True)
    runs = [
        subprocess.Popen(
            _command(workspace, "add", "--no-index", str(folder)),
            env=ENV,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(2)
    ]
    outputs = [run.communicate(timeout=120) for run in runs]
    for run, (_, stderr) in zip(runs, outputs, strict=True):
        assert run.returncode == 0, stderr
        assert "UNIQUE" not in stderr and "Traceback" not in stderr
    added = sum(stdout.count("added ") for stdout, _ in outputs)
    repeated = sum(stderr.count("already imported") for _, stderr in outputs)
    stored = len(Workspace.open(workspace).store.sources())
    assert (added, repeated) == (stored, 2 * stored - added) and stored == 4


class _LateStore(SQLiteStore):
    """The store as a second process sees it: the first lookup misses what another process
    stores a moment later (the window between `find_by_sha256` and `add_source`)."""

    misses = 1

    def find_by_sha256(self, sha256: str):  # type: ignore[no-untyped-def]
        if self.misses:
            self.misses -= 1
            return None
        return super().find_by_sha256(sha256)


def test_the_loser_of_a_race_reports_already_imported(tmp_path: Path) -> None:
    with Workspace.init(tmp_path / "ws") as ws:
        first = importer.import_paths(ws.store, [FIXTURES / "interview.vtt"], importer.ImportOptions())
    late = _LateStore(tmp_path / "ws" / "onrecord.db")
    try:
        second = importer.import_paths(late, [FIXTURES / "interview.vtt"], importer.ImportOptions())
        assert second.ok and not second.added
        [(_, existing)] = second.duplicates
        assert existing.id == first.added[0].id
        assert len(late.sources()) == 1
    finally:
        late.close()
