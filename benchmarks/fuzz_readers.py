"""Reader fuzz at scale: mutated files of every format through the real import into a real
SQLite store, counting how each ends; any exception outside OnrecordError, or a refused file
that changed the store, is a failure and is printed with its traceback's last line.

    python benchmarks/fuzz_readers.py [--cases 10000] [--seed 16]

The mutations and the property are those of tests/test_readers_fuzz.py (tests/reader_mutations.py);
the tests run a seeded slice through hypothesis, this runs many cases from one seed so that
every failure is counted instead of the first being shrunk.
"""

from __future__ import annotations

import argparse
import random
import sqlite3
import sys
import tempfile
import time
import traceback
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.reader_mutations import import_holds, mutate, seeds

from onrecord.store import SQLiteStore


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--cases", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=16)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    files = seeds()
    outcomes: Counter[str] = Counter()
    by_format: Counter[str] = Counter()
    failures: list[str] = []
    started = time.perf_counter()
    with tempfile.TemporaryDirectory() as scratch:
        folder = Path(scratch)
        store = SQLiteStore(folder / "onrecord.db")
        for case in range(args.cases):
            name, data = rng.choice(files)
            mutated = mutate(name, data, rng)
            by_format[Path(name).suffix] += 1
            try:
                outcomes[import_holds(store, folder, name, mutated)] += 1
            except Exception as exc:  # the property broke: count it, keep going
                outcomes["failed"] += 1
                last = traceback.format_exception(exc)[-1].strip()
                failures.append(f"case {case} ({name}, {len(mutated)} bytes): {last}")
        store.close()
        with sqlite3.connect(folder / "onrecord.db") as db:
            integrity = db.execute("PRAGMA integrity_check").fetchone()[0]
    seconds = time.perf_counter() - started
    print(f"cases {args.cases:,}  seed {args.seed}  seeds {len(files)}  {seconds:.0f} s")
    print("by suffix: " + ", ".join(f"{suffix} {count:,}" for suffix, count in sorted(by_format.items())))
    print("outcomes: " + ", ".join(f"{kind} {count:,}" for kind, count in sorted(outcomes.items())))
    print(f"integrity_check: {integrity}")
    for line in failures[:40]:
        print("FAIL " + line)
    sys.exit(1 if failures or integrity != "ok" else 0)


if __name__ == "__main__":
    main()
