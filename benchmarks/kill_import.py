"""`kill -9` at random moments of `onrecord add` (with indexing), then what a user sees.

    python benchmarks/kill_import.py [--runs 20] [--segments 600] [--seed 16]

Each run imports a new generated talk into one workspace and kills the process at a random
moment between 0 and 8 s. After each kill: PRAGMA integrity_check must be ok; every source
that `sources` lists must be whole (its turns stored) and either fully embedded or shown as
"not yet indexed"; then `onrecord index` must leave nothing pending. Prints one line per run
and the totals; exits 1 when any check failed.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

WORDS = ("bees", "hive", "queen", "honey", "roof", "street", "trees", "garden", "bloom", "dance", "wax", "smoke")
ENV = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[1] / "src")}


def onrecord(workspace: Path, *args: str) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-m", "onrecord", "-w", str(workspace), *args]
    return subprocess.run(command, env=ENV, capture_output=True, text=True, timeout=600)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--segments", type=int, default=600)
    parser.add_argument("--seed", type=int, default=16)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    problems = 0
    moments = {"before storing": 0, "while embedding": 0, "after finishing": 0}
    with tempfile.TemporaryDirectory() as scratch:
        workspace = Path(scratch) / "ws"
        onrecord(workspace, "init")
        for run in range(args.runs):
            talk = Path(scratch) / f"talk{run}.json"
            rows = [
                {"i": i, "speaker": f"S{1 + (i // 5) % 2}", "text": " ".join(rng.choices(WORDS, k=12)) + "."}
                for i in range(args.segments)
            ]
            talk.write_text(json.dumps(rows), encoding="utf-8")
            delay = rng.uniform(0, 8)
            command = [sys.executable, "-m", "onrecord", "-w", str(workspace), "add", str(talk)]
            proc = subprocess.Popen(command, env=ENV, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            time.sleep(delay)
            finished = proc.poll() is not None
            proc.kill()
            proc.wait()
            with sqlite3.connect(workspace / "onrecord.db") as db:
                integrity = db.execute("PRAGMA integrity_check").fetchone()[0]
                stored = db.execute("SELECT count(*) FROM sources").fetchone()[0]
                orphans = db.execute("SELECT count(*) FROM turns WHERE source_id NOT IN (SELECT id FROM sources)")
                orphan_turns = orphans.fetchone()[0]
                empty = db.execute("SELECT count(*) FROM sources WHERE id NOT IN (SELECT source_id FROM turns)")
                empty_sources = empty.fetchone()[0]
                missing = db.execute(
                    "SELECT DISTINCT p.source_id FROM passages p WHERE NOT EXISTS"
                    " (SELECT 1 FROM embeddings e WHERE e.passage_id = p.id)"
                ).fetchall()
            listed = onrecord(workspace, "sources").stdout.splitlines()
            marked = {line.split()[0] for line in listed if line.endswith("(not yet indexed: run onrecord index)")}
            unembedded = {row[0] for row in missing}
            moment = "after finishing" if finished else "while embedding" if unembedded else "before storing"
            if not finished and not unembedded and len(listed) == run + 1:
                moment = "after finishing"  # embedding was done, the process was about to exit
            moments[moment] += 1
            index = onrecord(workspace, "index")
            after = onrecord(workspace, "sources").stdout
            ok = (
                integrity == "ok"
                and orphan_turns == 0
                and empty_sources == 0
                and len(listed) == stored
                and marked == unembedded
                and index.returncode == 0
                and "not yet indexed" not in after
            )
            problems += not ok
            print(
                f"run {run + 1:>2}: kill at {delay:4.1f} s ({moment}); sources {stored}, not yet indexed "
                f"{len(marked)}; index: {index.stdout.strip()}; {'ok' if ok else 'PROBLEM'}",
                flush=True,
            )
    print(f"runs {args.runs}: " + ", ".join(f"{k} {v}" for k, v in moments.items()) + f"; problems {problems}")
    sys.exit(1 if problems else 0)


if __name__ == "__main__":
    main()
