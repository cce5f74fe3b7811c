"""Search speed: a cold `onrecord search` on a seed workspace, and p95 latency at 100k passages.

    python benchmarks/bench_search.py SEED_FILES... --sample TEXT_FILES... [--passages 100000]

1. Cold search: imports the given files into a new workspace (embedding included), then
   runs `python -m onrecord search` in 7 fresh processes and prints the median and worst
   wall time (the target is <= 2.5 s).
2. Warm latency at scale: a workspace of --passages synthetic passages (windows of 20-50
   consecutive words taken at random from the --sample files, so terms are as frequent as in
   real speech; in 100 sources), with random unit vectors as their embeddings (search cost
   does not depend on what the vectors say; embedding 100k real passages would take ~10
   minutes and measure the embedder, not search). Real
   queries are embedded by the real model. Prints p50/p95/max over --queries searches,
   unscoped and scoped to one speaker (the target is p95 <= 50 ms).
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

from onrecord import importer
from onrecord.model import Passage, Source, Speaker, Transcript, Turn
from onrecord.store import Scope
from onrecord.workspace import Workspace

VOCAB = (  # noqa: SIM905
    "we think the model data people agent privacy health friends team research scale compute open source "
    "safety risk glasses hologram presence social media creators business future world product users build "
    "training infrastructure country lead trust personal work life jobs regulation review release question"
).split()
QUERIES = [
    "Why didn't you open source the model?",
    "How do agents help with health?",
    "Will AI take people's jobs?",
    "What is the future of glasses?",
    "How do you think about privacy?",
]


def cold(files: list[Path], runs: int) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        ws = Path(tmp) / "ws"
        workspace = Workspace.init(ws)
        importer.import_paths(workspace.store, files, importer.ImportOptions())
        workspace.update_index()
        workspace.close()
        times = []
        for i in range(runs):
            started = time.perf_counter()
            subprocess.run(
                [sys.executable, "-m", "onrecord", "-w", str(ws), "search", QUERIES[i % len(QUERIES)], "--json"],
                check=True,
                capture_output=True,
            )
            times.append(time.perf_counter() - started)
        median, worst = statistics.median(times), max(times)
        print(f"cold search ({runs} fresh processes): median {median:.2f} s, worst {worst:.2f} s")


def _words(files: list[Path]) -> list[str]:
    from onrecord.readers import read_path

    return [w for f in files for cue in read_path(f).cues for w in cue.text.replace(">>", " ").split()]


def _synthetic(workspace: Workspace, passages: int, rng: random.Random, words: list[str]) -> None:
    per_source = passages // 100
    for s in range(100):
        texts = []
        for _ in range(per_source):
            n = rng.randint(20, 50)
            start = rng.randrange(0, len(words) - n)
            texts.append(" ".join(words[start : start + n]))
        turns = [Turn(f"S{i % 2}", text, text) for i, text in enumerate(texts)]
        source = Source(
            id=f"syn{s:05d}",
            title=f"synthetic {s}",
            format="synthetic",
            sha256=f"{s:064d}",
            transcript=Transcript(turns, [], [Speaker("S0", "Host"), Speaker("S1", "Guest")]),
        )
        cut = [Passage(source.id, i, 0, len(t), f"S{i % 2}", t, prompt="") for i, t in enumerate(texts)]
        workspace.store.add_source(source, cut)
    model, key = workspace.searcher.model, workspace.searcher.key
    ids = workspace.store.missing_embeddings(key)
    vectors = np.random.default_rng(0).standard_normal((len(ids), model.dimensions)).astype(np.float32)
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    workspace.store.add_embeddings(key, ids, vectors)


def warm(files: list[Path], passages: int, queries: int) -> None:
    rng = random.Random(7)
    with tempfile.TemporaryDirectory() as tmp:
        workspace = Workspace.init(Path(tmp) / "ws")
        started = time.perf_counter()
        _synthetic(workspace, passages, rng, _words(files))
        print(f"built {passages:,} passages in {time.perf_counter() - started:.0f} s")
        searcher = workspace.searcher
        searcher.search(QUERIES[0], 10)  # loads the model and the vectors
        for name, scope in (("unscoped", None), ("one speaker", Scope(speakers=frozenset({"Guest"})))):
            times = []
            for i in range(queries):
                query = f"{QUERIES[i % len(QUERIES)]} {' '.join(rng.choices(VOCAB, k=3))}"
                started = time.perf_counter()
                searcher.search(query, 10, scope)
                times.append((time.perf_counter() - started) * 1000)
            times.sort()
            p95 = times[int(0.95 * len(times)) - 1]
            print(
                f"search at {passages:,} passages, {name}: p50 {statistics.median(times):.1f} ms,"
                f" p95 {p95:.1f} ms, max {times[-1]:.1f} ms ({queries} queries, k=10)"
            )
        workspace.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("files", nargs="+", type=Path)
    parser.add_argument("--sample", nargs="+", type=Path, help="transcripts whose words fill the passages")
    parser.add_argument("--passages", type=int, default=100_000)
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    print(f"python {sys.version.split()[0]}, {os.cpu_count()} cores")
    cold(args.files, args.runs)
    warm(args.sample or args.files, args.passages, args.queries)


if __name__ == "__main__":
    main()
