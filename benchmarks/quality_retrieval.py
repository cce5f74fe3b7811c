"""Retrieval quality on the seeds and on QMSum meetings, as docs/quality.md reports it.

    python benchmarks/quality_retrieval.py seeds ../shared/seeds benchmarks/questions/seeds.jsonl
    python benchmarks/quality_retrieval.py qmsum ../shared/data/qmsum/val/*.json [--split dev|test|all]

`seeds`: one workspace holding every seed file, questions from a JSONL question file; with
--per-file, one workspace per seed file instead, asked the questions whose `seed` field
starts its file name plus the questions no seed covers (`seed` "any").
`qmsum`: one workspace per meeting (as an owner would have), the meeting's own specific
questions with their evidence turn spans; figures are averaged over all questions. The
development split is the first 8 meetings in sorted order; everything else is test, and
nothing is tuned on test.

With --misses, each answerable question whose evidence is not within the first 100 words is
printed with the start of the first results that came back instead.

Each workspace is built through the public library (Workspace, importer, update_index) in a
temporary folder, so the figures are what `onrecord eval` prints for the same data. With
--store postgresql each workspace keeps its data in a database of its own on a local
PostgreSQL with pgvector (started as `onrecord db start` does), instead of a SQLite file.
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import sys
import tempfile
import time
from pathlib import Path

from onrecord import evaluate, importer
from onrecord.workspace import Workspace

DEV_MEETINGS = 8
# With --store postgresql: the local server (its folder and databases made so far).
POSTGRES: dict[str, object] = {}


def _store_settings(folder: Path) -> None:
    """Point a new workspace at a new PostgreSQL database when --store postgresql is given."""
    if not POSTGRES:
        return
    import psycopg

    from onrecord.store.postgres import local

    server = POSTGRES["server"]
    assert isinstance(server, local.LocalServer)
    count = int(str(POSTGRES.get("count", 0))) + 1
    POSTGRES["count"] = count
    with psycopg.connect(server.superuser_url(), password=server.password(), autocommit=True) as db:
        db.execute(f"CREATE DATABASE quality{count} OWNER {local.USER}")
    with psycopg.connect(server.superuser_url(f"quality{count}"), password=server.password(), autocommit=True) as db:
        db.execute("CREATE EXTENSION vector")
    folder.mkdir(parents=True)
    url = f"postgresql://{local.USER}@127.0.0.1:{server.port}/quality{count}"
    (folder / "onrecord.toml").write_text(f'[store]\nurl = "{url}"\npassword_env = "QUALITY_DB_PASSWORD"\n')


def _workspace(folder: Path, files: list[Path]) -> Workspace:
    _store_settings(folder)
    workspace = Workspace.init(folder)
    report = importer.import_paths(workspace.store, files, importer.ImportOptions())
    for error in report.failed:
        print(f"warning: {error}", file=sys.stderr)
    workspace.update_index()
    return workspace


def _evaluate(files: list[Path], questions: list[evaluate.Question], k: int) -> list[evaluate.Outcome]:
    with tempfile.TemporaryDirectory() as tmp:
        workspace = _workspace(Path(tmp) / "ws", files)
        try:
            return evaluate.run(workspace.searcher, questions, k=k)
        finally:
            workspace.close()


def _lines(path: Path) -> list[str]:
    return [line for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def _print(name: str, figures: dict[str, object], seconds: float) -> None:
    print(f"== {name} ({seconds:.0f} s)")
    print(evaluate.format_table(figures))


def _separation(outcomes: list[evaluate.Outcome]) -> None:
    """How a threshold on the best result's calibrated score splits covered from uncovered."""
    covered = [o.scores[0] if o.scores else 0.0 for o in outcomes if o.question.answerable]
    uncovered = [o.scores[0] if o.scores else 0.0 for o in outcomes if not o.question.answerable]
    if not covered or not uncovered:
        return
    print("threshold  answerable kept  unanswerable refused")
    for threshold in (0.3, 0.4, 0.5, 0.6, 0.7):
        kept = sum(s >= threshold for s in covered) / len(covered)
        refused = sum(s < threshold for s in uncovered) / len(uncovered)
        print(f"{threshold:9.1f}  {kept:15.3f}  {refused:20.3f}")


def _misses(outcomes: list[evaluate.Outcome], shown: int = 3) -> None:
    """Each answerable question whose evidence is not within the first 100 words: what came
    back instead (the start of each of the first results, with the words before it)."""
    for o in outcomes:
        if not o.question.answerable or o.found[100]:
            continue
        where = "not in the results" if o.first_hit is None else f"result {o.first_hit + 1}"
        print(f"-- {o.question.id}: {o.question.question}  [evidence: {where}]")
        print(f"   evidence: {'; '.join(o.question.phrases) or '(turn spans)'}")
        offset = 0
        for rank, text in enumerate(o.texts[:shown], start=1):
            print(f"   {rank} @{offset:>3}w  {' '.join(text.split()[:24])} ...")
            offset += len(evaluate.words(text))


def _exit_on_term() -> None:
    """SIGTERM (a timeout, a kill) ends the run through its `finally`, which stops the local
    PostgreSQL it started, rather than leaving the server running."""
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("kind", choices=["seeds", "qmsum"])
    parser.add_argument("paths", nargs="+", type=Path)
    parser.add_argument("--split", choices=["dev", "test", "all"], default="all")
    parser.add_argument("-k", type=int, default=10)
    parser.add_argument("--per-file", action="store_true", help="seeds: one workspace per seed file")
    parser.add_argument("--json", action="store_true", help="also print per-question outcomes as JSON lines")
    parser.add_argument("--misses", action="store_true", help="also print what came back for each miss")
    parser.add_argument("--store", choices=["sqlite", "postgresql"], default="sqlite")
    args = parser.parse_args(argv)
    _exit_on_term()
    if args.store == "postgresql":
        with tempfile.TemporaryDirectory() as tmp:
            from onrecord.store.postgres import local

            server = local.start(Path(tmp) / "postgres", local.DEFAULT_PORT + 8)
            os.environ["QUALITY_DB_PASSWORD"] = server.password()
            POSTGRES["server"] = server
            try:
                _run(args)
            finally:
                local.stop(Path(tmp) / "postgres")
    else:
        _run(args)


def _run(args: argparse.Namespace) -> None:
    started = time.perf_counter()
    outcomes: list[evaluate.Outcome] = []
    if args.kind == "seeds":
        *sources, question_file = args.paths
        files = [f for s in sources for f in (sorted(s.iterdir()) if s.is_dir() else [s])]
        questions = evaluate.load_questions(question_file)
        if args.per_file:
            lines = _lines(question_file)
            seeds = {q.id: json.loads(line).get("seed", "") for q, line in zip(questions, lines, strict=True)}
            for file in files:
                chosen = [q for q in questions if file.name.startswith(seeds[q.id]) or seeds[q.id] == "any"]
                outcomes += _evaluate([file], chosen, args.k)
            name = f"seeds, one workspace each: {len(files)} files, {question_file.name}"
        else:
            outcomes = _evaluate(files, questions, args.k)
            name = f"seeds: {len(files)} files, {question_file.name}"
    else:
        meetings = sorted(args.paths)
        chosen = {"dev": meetings[:DEV_MEETINGS], "test": meetings[DEV_MEETINGS:], "all": meetings}[args.split]
        for meeting in chosen:
            outcomes += _evaluate([meeting], evaluate.load_questions(meeting), args.k)
        name = f"qmsum {args.split}: {len(chosen)} meetings"
    _print(name, evaluate.summarise(outcomes), time.perf_counter() - started)
    _separation(outcomes)
    if args.misses:
        _misses(outcomes)
    if args.json:
        for o in outcomes:
            print(json.dumps({"id": o.question.id, "first_hit": o.first_hit, "found": o.found, "top": o.scores[:1]}))


if __name__ == "__main__":
    main()
