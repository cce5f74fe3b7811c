"""Import speed and memory: parse + repair words per second on one core, and a 1M-word import.

    python benchmarks/bench_import.py [PATHS...] [--words 1000000] [--files 20] [--no-profile]

For each file given (folders are expanded) and for a synthetic archive that it writes to a
temporary folder (~--words words of spoken English: half caption-segment JSON with times,
speakers and ">>" markers, half plain caption text), it prints the CPU time of parsing
(decode, detect, read) and of repair, and words per second. Then it imports the synthetic
archive into a new SQLite workspace through `onrecord.importer.import_paths` in a fresh
process and prints wall and CPU time and peak memory (VmHWM) beside the memory of a
process that only loaded onrecord. Last, cProfiles of parse + repair and of the whole
import, summed per module, say where the time goes. The process is pinned to one core.
Only public entry points are used (readers.read_bytes, repair.repair, importer.import_paths),
so the script runs unchanged as the pipeline grows.

Target (docs/benchmarks.md): parse + repair >= 200,000 words/s on one core.
"""

from __future__ import annotations

import argparse
import cProfile
import json
import os
import pstats
import random
import resource
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

from process_cpu import tree_cpu

TARGET_WORDS_PER_SECOND = 200_000

# -- the synthetic archive ---------------------------------------------------------------

_WORDS = (  # noqa: SIM905
    "the be to of and a in that have it for not on with he as you do at this but his by from they we say her "
    "she or an will my one all would there their what so up out if about who get which go me when make can "
    "like time no just him know take people into year your good some could them see other than then now look "
    "only come its over think also back after use two how our work first well way even new want because any "
    "these give day most us model models data research team product company scaling training compute users "
    "community question answer really actually basically important interesting different building release"
).split()
_OPENERS = ["So", "And", "But", "I think", "Yeah,", "Well,", "You know,", "Okay, so", "I mean,", "Right."]
_FLAVOUR = ["Mr. Patel", "Dr. Chen", "the U.S.", "e.g. this one", "2.5 times", "vs. last year", "about 40%"]
_FILLERS = ["um", "uh", "um,", "uh,", "you know,", "like,"]


def _sentence(rng: random.Random) -> str:
    words: list[str] = []
    if rng.random() < 0.3:
        words.append(rng.choice(_OPENERS))
    for _ in range(rng.randint(4, 24)):
        roll = rng.random()
        if roll < 0.04:
            words.append(rng.choice(_FILLERS))
        elif roll < 0.05:
            word = rng.choice(_WORDS)
            words += [word, word]  # a stutter
        elif roll < 0.06:
            words.append(rng.choice(_FLAVOUR))
        else:
            words.append(rng.choice(_WORDS))
        if rng.random() < 0.06:
            words[-1] += ","
    text = " ".join(words).rstrip(",")
    return text[0].upper() + text[1:] + rng.choice(".....?!")


def _turns(rng: random.Random, words: int) -> list[tuple[int, str]]:
    """(speaker number, text) turns adding up to about `words` words."""
    turns: list[tuple[int, str]] = []
    total = 0
    speaker = 1
    while total < words:
        sentences = [_sentence(rng) for _ in range(rng.choice([1, 1, 2, 3, 5, 8, 12]))]
        text = " ".join(sentences)
        turns.append((speaker, text))
        total += len(text.split())
        speaker = 2 if speaker == 1 else 1
    return turns


def _segments(turns: list[tuple[int, str]], rng: random.Random) -> str:
    """Caption segments cut at a fixed width; a `>>` where the voice changes inside a segment."""
    segments: list[dict[str, object]] = []
    clock = 0.0
    pending: list[str] = []
    label = 1
    for speaker, text in turns:
        marker = [">>"] if segments or pending else []
        for word in marker + text.split():
            pending.append(word)
            if len(" ".join(pending)) >= 120:
                duration = len(pending) / 2.6
                segments.append(
                    {"i": len(segments), "speaker": f"Speaker {label}", "start": round(clock, 2),
                     "end": round(clock + duration, 2), "text": " ".join(pending)}
                )  # fmt: skip
                clock += duration + rng.choice([0.0, 0.1, 0.3])
                pending = []
                label = speaker
    if pending:
        segments.append({"i": len(segments), "speaker": f"Speaker {label}", "text": " ".join(pending)})
    return json.dumps(segments, ensure_ascii=False)


def _caption_text(turns: list[tuple[int, str]]) -> str:
    """Plain caption lines of ~40 characters: no speakers, no times, breaks mid-sentence."""
    lines: list[str] = []
    line: list[str] = []
    for _, text in turns:
        for word in text.split():
            line.append(word)
            if len(" ".join(line)) >= 40:
                lines.append("  ".join(line[:2]) + (" " + " ".join(line[2:]) if len(line) > 2 else ""))
                line = []
    if line:
        lines.append(" ".join(line))
    return "\n".join(lines) + "\n"


def write_archive(folder: Path, words: int, files: int, seed: int = 7) -> list[Path]:
    """A synthetic archive of about `words` words in `files` files; half of each kind."""
    rng = random.Random(seed)
    paths = []
    for n in range(files):
        turns = _turns(rng, words // files)
        if n % 2 == 0:
            path = folder / f"episode_{n:03d}.json"
            path.write_text(_segments(turns, rng), encoding="utf-8")
        else:
            path = folder / f"episode_{n:03d}.txt"
            path.write_text(_caption_text(turns), encoding="utf-8")
        paths.append(path)
    return paths


# -- measuring ---------------------------------------------------------------------------


def _pin_to_one_core() -> str:
    if hasattr(os, "sched_setaffinity"):
        core = min(os.sched_getaffinity(0))
        os.sched_setaffinity(0, {core})
        return f"pinned to core {core}"
    return "not pinned (no sched_setaffinity here)"


def measure(path: Path, repeat: int) -> tuple[int, float, float]:
    """(words, parse seconds, repair seconds): CPU time, best of `repeat` runs."""
    from onrecord.readers import read_bytes
    from onrecord.repair import repair

    data = path.read_bytes()
    best_parse = best_repair = float("inf")
    words = 0
    for _ in range(repeat):
        t0 = time.process_time()
        reading = read_bytes(data, path)
        t1 = time.process_time()
        transcript = repair(reading)
        t2 = time.process_time()
        words = transcript.words
        best_parse, best_repair = min(best_parse, t1 - t0), min(best_repair, t2 - t1)
        del reading, transcript
    return words, best_parse, best_repair


def _expand(raw: list[str]) -> list[Path]:
    paths: list[Path] = []
    for item in raw:
        path = Path(item)
        paths += sorted(p for p in path.rglob("*") if p.is_file()) if path.is_dir() else [path]
    return paths


def _row(name: str, words: int, parse: float, repair: float) -> str:
    total = parse + repair
    rate = words / total if total else float("inf")
    # Below a few thousand words a file's fixed costs dominate: no verdict on those.
    flag = "  < target" if rate < TARGET_WORDS_PER_SECOND and words >= 2000 else ""
    return f"{name[:44]:<44} {words:>10,} {parse:>8.3f} {repair:>8.3f} {rate:>12,.0f}{flag}"


def _peak_kib() -> int:
    """This process's peak resident memory. VmHWM where Linux has it: ru_maxrss there also
    counts the parent's memory at the fork that started us."""
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def _import_child(folder: str, workspace: str, baseline: bool) -> None:
    """Run in a fresh process: import every file of `folder`; print figures as JSON."""
    from onrecord import importer
    from onrecord.workspace import Workspace

    if baseline:
        print(json.dumps({"maxrss_kib": _peak_kib()}))
        return
    _pin_to_one_core()
    wall, cpu = time.perf_counter(), time.process_time()
    with Workspace.open(workspace, create=True) as ws:
        report = importer.import_paths(ws.store, [folder], importer.ImportOptions())
    figures = {
        "wall": time.perf_counter() - wall,
        "cpu": time.process_time() - cpu,
        "maxrss_kib": _peak_kib(),
        "sources": len(report.added),
        "words": sum(s.words for s in report.added),
        "failed": [str(e) for e in report.failed],
    }
    print(json.dumps(figures))


def _child(*args: str) -> dict[str, object]:
    out = subprocess.run([sys.executable, __file__, *args], check=True, capture_output=True, text=True)
    return dict(json.loads(out.stdout.strip().splitlines()[-1]))


def profile(paths: list[Path], top: int) -> None:
    """cProfile of parse + repair over `paths`: own time summed per module, then the top functions."""
    from onrecord.readers import read_bytes
    from onrecord.repair import repair

    datas = [(p, p.read_bytes()) for p in paths]
    profiler = cProfile.Profile()
    profiler.enable()
    for path, data in datas:
        repair(read_bytes(data, path))
    profiler.disable()
    _report(pstats.Stats(profiler), "parse + repair", top, functions=True)


def profile_import(folder: Path, workspace: Path, top: int) -> None:
    """cProfile of the whole import (readers, repair, passages, store), summed per module."""
    from onrecord import importer
    from onrecord.workspace import Workspace

    profiler = cProfile.Profile()
    with Workspace.open(workspace, create=True) as ws:
        profiler.enable()
        importer.import_paths(ws.store, [folder], importer.ImportOptions())
        profiler.disable()
    _report(pstats.Stats(profiler), "the whole import", top, functions=False)


def _report(stats: pstats.Stats, what: str, top: int, *, functions: bool) -> None:
    by_module: dict[str, float] = defaultdict(float)
    total = 0.0
    for (filename, _, name), (_, _, tottime, _, _) in stats.stats.items():  # type: ignore[attr-defined]
        total += tottime
        marker = "/onrecord/"
        if marker in filename:
            module = "onrecord." + filename.split(marker, 1)[1].removesuffix(".py").replace("/", ".")
        elif filename.startswith("~"):
            # C functions: sqlite3's execute and commit apart, the rest (str, re, json) together.
            module = "sqlite3 (C)" if "sqlite3" in name else "builtins (C: str, re, json, ...)"
        else:
            module = Path(filename).stem
        by_module[module] += tottime
    print(f"\nWhere {what} spends its time (cProfile own time, {total:.2f} s profiled):")
    for module, seconds in sorted(by_module.items(), key=lambda kv: -kv[1])[:top]:
        print(f"  {module:<48} {seconds:>7.2f} s {100 * seconds / total:>5.1f}%")
    if functions:
        print("\nTop functions by own time:")
        stats.sort_stats("tottime").print_stats(top)


def import_into_postgresql(folder: Path, tmp: Path) -> None:
    """The same import into a workspace whose store is a local PostgreSQL with pgvector: wall
    time, and CPU of the importing process and of the server's processes."""
    from onrecord.store.postgres import local

    server = local.start(tmp / "postgres", local.DEFAULT_PORT + 9)
    try:
        os.environ["BENCH_DB_PASSWORD"] = server.password()
        workspace = tmp / "ws-postgres"
        workspace.mkdir()
        (workspace / "onrecord.toml").write_text(
            f'[store]\nurl = "{server.url}"\npassword_env = "BENCH_DB_PASSWORD"\n', encoding="utf-8"
        )
        postmaster = int((tmp / "postgres" / "data" / "postmaster.pid").read_text().split()[0])
        before = tree_cpu(postmaster)
        figures = _child("--_import-child", str(folder), str(workspace))
        server_cpu = tree_cpu(postmaster) - before
        words = int(str(figures["words"]))
        wall, cpu = float(str(figures["wall"])), float(str(figures["cpu"]))
        print(f"\nimport_paths into PostgreSQL, fresh process: {figures['sources']} sources, {words:,} words")
        print(f"  wall {wall:.2f} s: {words / wall:,.0f} words/s")
        print(
            f"  CPU: importer {cpu:.2f} s, PostgreSQL {server_cpu:.2f} s: {words / (cpu + server_cpu):,.0f} words"
            " per CPU-second of both"
        )
        if figures["failed"]:
            print(f"  FAILED: {figures['failed']}")
    finally:
        local.stop(tmp / "postgres")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("paths", nargs="*", help="transcript files or folders to measure")
    parser.add_argument("--words", type=int, default=1_000_000, help="words in the synthetic archive")
    parser.add_argument("--files", type=int, default=20, help="files in the synthetic archive")
    parser.add_argument("--repeat", type=int, default=3, help="runs per given file (best is kept)")
    parser.add_argument("--keep", type=Path, help="write the synthetic archive here and keep it")
    parser.add_argument("--no-import", action="store_true", help="skip the SQLite import")
    parser.add_argument("--no-profile", action="store_true", help="skip the profile")
    parser.add_argument(
        "--store",
        choices=("sqlite", "postgresql"),
        default="sqlite",
        help="import into a SQLite file or a local PostgreSQL",
    )
    parser.add_argument("--_import-child", nargs=2, help=argparse.SUPPRESS)
    parser.add_argument("--_baseline", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args._import_child:
        _import_child(*args._import_child, baseline=args._baseline)
        return

    print(f"python {sys.version.split()[0]}; {_pin_to_one_core()}; CPU time (time.process_time)")
    header = f"{'input':<44} {'words':>10} {'parse s':>8} {'repair s':>8} {'words/s':>12}"
    print(header)
    print("-" * len(header))
    for path in _expand(args.paths):
        try:
            words, parse, repair = measure(path, args.repeat)
        except Exception as exc:  # a file no reader takes is reported, not fatal
            print(f"{path.name[:44]:<44} skipped: {exc}")
            continue
        print(_row(path.name, words, parse, repair))

    with tempfile.TemporaryDirectory() as tmp:
        folder = args.keep or Path(tmp) / "archive"
        folder.mkdir(parents=True, exist_ok=True)
        archive = write_archive(folder, args.words, args.files)
        size = sum(p.stat().st_size for p in archive)
        totals = [0, 0.0, 0.0]
        for kind in (".json", ".txt"):
            part = [measure(p, 1) for p in archive if p.suffix == kind]
            words, parse, repair = (sum(x[i] for x in part) for i in range(3))
            print(_row(f"synthetic {kind} ({len(part)} files)", int(words), parse, repair))
            totals = [totals[0] + words, totals[1] + parse, totals[2] + repair]
        print(_row(f"synthetic archive ({len(archive)} files, {size / 2**20:.0f} MiB)", int(totals[0]), *totals[1:]))

        if not args.no_import and args.store == "postgresql":
            import_into_postgresql(folder, Path(tmp))
        elif not args.no_import:
            base = _child("--_import-child", str(folder), str(Path(tmp) / "ws0"), "--_baseline")
            figures = _child("--_import-child", str(folder), str(Path(tmp) / "ws"))
            db = sum(p.stat().st_size for p in (Path(tmp) / "ws").glob("onrecord.db*"))
            words = int(str(figures["words"]))
            wall, cpu = float(str(figures["wall"])), float(str(figures["cpu"]))
            peak, idle = int(str(figures["maxrss_kib"])) / 1024, int(str(base["maxrss_kib"])) / 1024
            largest = max(p.stat().st_size for p in archive) / 2**20
            print(f"\nimport_paths into SQLite, fresh process: {figures['sources']} sources, {words:,} words")
            print(
                f"  wall {wall:.2f} s, CPU {cpu:.2f} s: {words / cpu:,.0f} words/s of CPU (parse+repair+passages+store)"
            )
            print(f"  peak RSS {peak:.0f} MiB (onrecord loaded, nothing imported: {idle:.0f} MiB);")
            print(f"  archive {size / 2**20:.1f} MiB in {len(archive)} files (largest {largest:.1f} MiB); "
                  f"database {db / 2**20:.1f} MiB")  # fmt: skip
            if figures["failed"]:
                print(f"  FAILED: {figures['failed']}")

        if not args.no_profile:
            profile(archive, top=15)
            if not args.no_import:
                profile_import(folder, Path(tmp) / "ws-profiled", top=12)


if __name__ == "__main__":
    main()
