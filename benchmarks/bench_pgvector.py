"""Nearest-neighbour search in the PostgreSQL store at scale: pgvector's HNSW index against
exact search, through `PostgresStore.nearest` (the store's own query, pool and adapter).

The vectors are synthetic (this measures the index, not the model): 384-dimensional unit
vectors drawn around random cluster centres, as sentence embeddings cluster by subject; the
queries are drawn the same way and are not in the set. Passages are placeholders in 100
sources (so a scoped search keeps 1% of them). Exact neighbours come from numpy.

    python benchmarks/bench_pgvector.py --passages 1000000 --queries 200
"""

from __future__ import annotations

import argparse
import io
import signal
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import psycopg

from onrecord.store import Scope
from onrecord.store.postgres import PostgresStore, local, vectors
from onrecord.store.postgres.local import USER

DIMS = 384
MODEL = "synthetic-384"


def clustered(rng: np.random.Generator, n: int, centres: np.ndarray, spread: float) -> np.ndarray:
    """n unit vectors, each near a random centre."""
    out = np.empty((n, DIMS), dtype=np.float32)
    for start in range(0, n, 100_000):
        size = min(100_000, n - start)
        pick = centres[rng.integers(0, len(centres), size)]
        noise = rng.standard_normal((size, DIMS), dtype=np.float32) * (spread / np.sqrt(DIMS))
        block = pick + noise
        out[start : start + size] = block / np.linalg.norm(block, axis=1, keepdims=True)
    return out


def placeholders(store: PostgresStore, n: int, sources: int) -> list[int]:
    """n passages (a few words each) in `sources` sources, by COPY; their ids."""
    per = -(-n // sources)
    with store.db.write() as db, db.cursor() as cur:
        for s in range(sources):
            cur.execute(
                "INSERT INTO sources (id, title, format, kind, sha256, added, words) VALUES (%s, %s, 'synthetic',"
                " 'speech', %s, '2026-01-01', 0)",
                (f"s{s:03d}", f"synthetic {s}", f"{s:064d}"),
            )
            cur.execute("INSERT INTO speakers (source_id, idx, label) VALUES (%s, 0, 'A')", (f"s{s:03d}",))
        buffer = io.StringIO()
        for i in range(n):
            buffer.write(f"{i + 1}\ts{i // per:03d}\t{i}\t0\t1\tA\tpassage {i}\t\t\\N\t\\N\tA\n")
        buffer.seek(0)
        with cur.copy(
            'COPY passages (id, source_id, turn, begin, "end", speaker, text, prompt, prompt_turn, chapter, context)'
            " FROM STDIN"
        ) as copy:
            while chunk := buffer.read(1 << 20):
                copy.write(chunk)
        cur.execute("SELECT setval('passage_ids', %s)", (n,))
    return list(range(1, n + 1))


def timed(store: PostgresStore, queries: np.ndarray, k: int, scope: Scope | None) -> tuple[list[list[int]], np.ndarray]:
    found, took = [], []
    for q in queries:
        started = time.perf_counter()
        found.append([pid for pid, _ in store.nearest(MODEL, q, k, scope)])
        took.append(time.perf_counter() - started)
    return found, np.asarray(took) * 1000


def recall(found: list[list[int]], exact: list[list[int]]) -> float:
    return float(np.mean([len(set(f) & set(e)) / len(e) for f, e in zip(found, exact, strict=True)]))


def _exit_on_term() -> None:
    """SIGTERM (a timeout, a kill) ends the run through its `finally`, which stops the local
    PostgreSQL it started, rather than leaving the server running."""
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--passages", type=int, default=1_000_000)
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--centres", type=int, default=2000)
    parser.add_argument("--spread", type=float, default=1.0, help="noise around a centre, relative to its length")
    parser.add_argument("--k", type=int, default=10)
    parser.add_argument("--ef", default="40,100,200", help="hnsw.ef_search values to measure")
    parser.add_argument("--memory", default="6GB", help="maintenance_work_mem for the index build")
    parser.add_argument("--folder", type=Path, help="the local server's folder (default: a temporary one)")
    args = parser.parse_args()
    _exit_on_term()

    rng = np.random.default_rng(11)
    centres = rng.standard_normal((args.centres, DIMS), dtype=np.float32)
    centres /= np.linalg.norm(centres, axis=1, keepdims=True)
    data = clustered(rng, args.passages, centres, args.spread)
    queries = clustered(rng, args.queries, centres, args.spread)

    with tempfile.TemporaryDirectory() as tmp:
        folder = args.folder or Path(tmp) / "pg"
        server = local.start(folder, local.DEFAULT_PORT + 7)
        try:
            password = server.password()
            with psycopg.connect(server.superuser_url(), password=password, autocommit=True) as db:
                db.execute("DROP DATABASE IF EXISTS bench WITH (FORCE)")
                db.execute(f"CREATE DATABASE bench OWNER {USER}")
            with psycopg.connect(server.superuser_url("bench"), password=password, autocommit=True) as db:
                db.execute("CREATE EXTENSION vector")
            url = f"postgresql://{USER}@127.0.0.1:{server.port}/bench"
            store = PostgresStore(url, password, pool_size=2)
            started = time.perf_counter()
            ids = placeholders(store, args.passages, 100)
            print(f"passages: {args.passages:,} in {time.perf_counter() - started:.0f} s", flush=True)
            started = time.perf_counter()
            store.bulk_load(MODEL, ids, data, memory=args.memory)
            print(f"vectors loaded and HNSW built in {time.perf_counter() - started:.0f} s", flush=True)

            scores = data @ queries.T
            exact = [list(np.argsort(-scores[:, j])[: args.k] + 1) for j in range(len(queries))]
            in_source = np.arange(len(data)) // -(-args.passages // 100) == 0
            masked = np.where(in_source[:, None], scores, -np.inf)
            exact_scoped = [list(np.argsort(-masked[:, j])[: args.k] + 1) for j in range(len(queries))]
            del scores, masked
            scope = Scope(source_ids=frozenset({"s000"}))
            for ef in (int(x) for x in args.ef.split(",")):
                vectors.EF_SEARCH = ef
                timed(store, queries[:20], args.k, None)  # warm the index pages
                for name, sc, truth in (("whole", None, exact), ("one source (1%)", scope, exact_scoped)):
                    found, ms = timed(store, queries, args.k, sc)
                    print(
                        f"ef_search {ef:>3} {name:>16}: recall@{args.k} {recall(found, truth):.3f}"
                        f"  p50 {np.percentile(ms, 50):.1f} ms  p95 {np.percentile(ms, 95):.1f} ms"
                        f"  max {ms.max():.1f} ms",
                        flush=True,
                    )
            store.close()
        finally:
            local.stop(folder)


if __name__ == "__main__":
    main()
