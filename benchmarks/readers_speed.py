"""How fast files are read (decode, detect, parse) and repaired, in words per CPU second.

    python benchmarks/readers_speed.py FILE_OR_FOLDER... [--rounds N] [--import]

Prints, per detected format, the words and seconds spent reading and repairing, then the
totals; with --import, also the whole `onrecord add` pipeline into a temporary workspace.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from collections import defaultdict
from pathlib import Path

from onrecord.errors import InputError
from onrecord.importer import ImportOptions, expand, import_paths
from onrecord.readers import load, read_bytes
from onrecord.repair import repair
from onrecord.workspace import Workspace


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("paths", nargs="+")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--import", dest="whole", action="store_true", help="also time the whole import")
    args = parser.parse_args()
    files = [
        p
        for p in expand(args.paths)
        if isinstance(p, Path) and not p.name.startswith(("LICENSE", "PROVENANCE", "README"))
    ]
    data = {path: load(path) for path in files}
    per_format: dict[str, list[float]] = defaultdict(lambda: [0.0, 0.0, 0.0])  # words, read s, repair s
    readable = []
    for round_number in range(args.rounds + 1):  # round 0 warms up (imports, caches) and is not counted
        for path, raw in data.items():
            began = time.process_time()
            try:
                reading = read_bytes(raw, path)
            except InputError:
                continue
            read_done = time.process_time()
            transcript = repair(reading)
            repaired = time.process_time()
            if round_number == 0:
                readable.append(path)
                continue
            row = per_format[reading.format]
            row[0] += transcript.words
            row[1] += read_done - began
            row[2] += repaired - read_done
    print(f"{'format':<18} {'words':>10} {'read w/s':>12} {'read+repair w/s':>16}")
    totals = [0.0, 0.0, 0.0]
    for name, (words, read_s, repair_s) in sorted(per_format.items()):
        print(f"{name:<18} {int(words):>10} {words / read_s:>12,.0f} {words / (read_s + repair_s):>16,.0f}")
        totals = [a + b for a, b in zip(totals, (words, read_s, repair_s), strict=True)]
    words, read_s, repair_s = totals
    print(f"{'all':<18} {int(words):>10} {words / read_s:>12,.0f} {words / (read_s + repair_s):>16,.0f}")
    if args.whole:
        with tempfile.TemporaryDirectory() as folder:
            workspace = Workspace.open(Path(folder), create=True)
            began = time.process_time()
            report = import_paths(workspace.store, readable, ImportOptions())
            spent = time.process_time() - began
            imported = sum(s.words for s in report.added)
            workspace.close()
        print(
            f"whole import: {len(report.added)} files, {imported} words in {spent:.2f} s = {imported / spent:,.0f} w/s"
        )


if __name__ == "__main__":
    main()
