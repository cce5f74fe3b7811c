"""Serving under load: concurrent clients asking an agent over HTTP on loopback.

    python benchmarks/bench_serve.py SEED_FILE QUESTIONS [--speaker LABEL=NAME] [--speaks-as NAME]
        [--clients 20[,50,...]] [--workers 1[,2,...]] [--store sqlite|postgresql]
        [--duration 20] [--stream 50] [--repeat]

Builds a workspace in a temporary folder from SEED_FILE with one agent card (`bench`: the
README's avoid topic, speaking as --speaks-as, else as anyone), starts `onrecord serve` on a
free loopback port in its own process (the rate limit off, question logging on, as served),
then runs --clients concurrent clients that each ask non-streamed chat completions, one
after another, for --duration seconds, taking questions in turn from QUESTIONS (JSONL with a
"question" field, e.g. benchmarks/questions/seeds.jsonl, or one question per line).
Prints requests, errors, throughput, p50/p95/p99 latency, and the time to the first streamed
token over --stream streamed requests made one at a time, then under the same load.
Target: no errors, p95 <= 300 ms on 2 cores.

With several --clients or --workers values it runs each pair in turn (a server of N workers
started once for all client counts) and ends with one table. --store postgresql starts a
local PostgreSQL with pgvector (`onrecord db start`) in the temporary folder and copies the
workspace into it (`onrecord migrate`) before serving.

The server keeps the vectors of recent texts, so a question asked again is cheaper. Every
request is made new by default (" #N" appended: one more search term, a new embedding);
--repeat sends the questions as they are, as an audience asking the same things would.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

from process_cpu import tree_cpu

CARD = """
[serve]
rate_limit = 0

[agents.bench]
title = "Benchmark agent"
speaks_as = {speaks_as}

[[agents.bench.avoid]]
topic = "my family and private life"
examples = ["Are you married?"]
reply = "I keep my family out of this."
"""


def run_cli(workspace: Path, *args: str) -> None:
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[1] / "src")}
    subprocess.run([sys.executable, "-m", "onrecord", "-w", str(workspace), *args], check=True, env=env)


def read_questions(path: Path) -> list[str]:
    questions = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        questions.append(json.loads(line)["question"] if line.lstrip().startswith("{") else line.strip())
    return questions


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q / 100 * (len(ordered) - 1)))]


def body(question: str, stream: bool = False) -> dict[str, object]:
    return {"model": "bench", "stream": stream, "messages": [{"role": "user", "content": question}]}


async def first_token(client: httpx.AsyncClient, question: str) -> float:
    """Seconds from sending a streamed request to the first chunk with content."""
    started = time.perf_counter()
    elapsed = None
    async with client.stream("POST", "/v1/chat/completions", json=body(question, stream=True)) as response:
        response.raise_for_status()
        async for line in response.aiter_lines():
            if elapsed is None and line.startswith("data: {"):
                choices = json.loads(line[6:])["choices"]
                if choices and choices[0]["delta"].get("content"):
                    elapsed = time.perf_counter() - started
    if elapsed is None:
        raise RuntimeError("the stream had no content")
    return elapsed


class Questions:
    """The question file in turn; each one made new with a number unless `repeat`."""

    def __init__(self, questions: list[str], repeat: bool) -> None:
        self.questions = questions
        self.repeat = repeat
        self.asked = 0

    def next(self) -> str:
        question = self.questions[self.asked % len(self.questions)]
        self.asked += 1
        return question if self.repeat else f"{question} #{self.asked}"


async def load(
    base: str, questions: Questions, clients: int, duration: float, stream: int, pid: int | None = None
) -> dict[str, float]:
    latencies: list[float] = []
    errors: list[str] = []
    statuses: dict[str, int] = {}
    limits = httpx.Limits(max_connections=clients + 5, max_keepalive_connections=clients + 5)
    async with httpx.AsyncClient(base_url=base, limits=limits, timeout=30) as client:
        idle = [await first_token(client, questions.next()) for _ in range(stream)]
        deadline = time.perf_counter() + duration
        busy: list[float] = []

        async def asker() -> None:
            while time.perf_counter() < deadline:
                question = questions.next()
                started = time.perf_counter()
                try:
                    response = await client.post("/v1/chat/completions", json=body(question))
                    if response.status_code != 200:
                        errors.append(f"{response.status_code} {response.text[:120]}")
                        continue
                    status = response.json()["onrecord_status"]
                    statuses[status] = statuses.get(status, 0) + 1
                except httpx.HTTPError as exc:
                    errors.append(repr(exc))
                    continue
                latencies.append(time.perf_counter() - started)

        async def streamer() -> None:
            while time.perf_counter() < deadline and len(busy) < stream:
                busy.append(await first_token(client, questions.next()))
                await asyncio.sleep(duration / max(stream, 1) / 2)

        started = time.perf_counter()
        cpu = tree_cpu(pid) if pid is not None else 0.0
        await asyncio.gather(*(asker() for _ in range(clients)), streamer())
        elapsed = time.perf_counter() - started
        cpu = tree_cpu(pid) - cpu if pid is not None else 0.0
    ms = [1000 * x for x in latencies]
    print(f"questions {'as given' if questions.repeat else 'each made new'}")
    print(f"clients {clients}, duration {elapsed:.1f} s, cores {os.cpu_count()}")
    print(f"requests {len(latencies) + len(errors)}, errors {len(errors)}, {len(latencies) / elapsed:.1f} req/s")
    print(f"statuses {statuses}")
    served = len(latencies) + len(errors)
    if pid is not None and served:
        # Independent of what else the machine runs: what one request costs the server.
        print(f"server CPU {1000 * cpu / served:.1f} ms per request, {cpu / elapsed:.2f} cores busy")
    if ms:
        print(
            f"latency ms: p50 {percentile(ms, 50):.0f}  p95 {percentile(ms, 95):.0f}  p99 {percentile(ms, 99):.0f}"
            f"  max {max(ms):.0f}  mean {statistics.mean(ms):.0f}"
        )
    for name, values in (("idle", idle), (f"under load of {clients} clients", busy)):
        if values:
            t = [1000 * x for x in values]
            print(
                f"time to first streamed token ({name}, n={len(t)}) ms: p50 {percentile(t, 50):.0f}"
                f"  p95 {percentile(t, 95):.0f}"
            )
    for error in errors[:5]:
        print("error:", error)
    return {
        "requests": len(latencies) + len(errors),
        "errors": len(errors),
        "rps": len(latencies) / elapsed,
        "p50": percentile(ms, 50) if ms else 0.0,
        "p95": percentile(ms, 95) if ms else 0.0,
        "p99": percentile(ms, 99) if ms else 0.0,
        "cpu_ms": 1000 * cpu / served if served else 0.0,
        "cores": cpu / elapsed,
    }


def start_server(workspace: Path, workers: int) -> tuple[subprocess.Popen[bytes], str]:
    port = free_port()
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[1] / "src")}
    command = [sys.executable, "-m", "onrecord", "-w", str(workspace), "serve", "--port", str(port)]
    server = subprocess.Popen(
        [*command, *(["--workers", str(workers)] if workers > 1 else [])],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 600
    while True:
        try:
            # Every worker warmed: as many answers in a row as there are workers.
            if all(httpx.get(f"{base}/v1/models", timeout=5).status_code == 200 for _ in range(workers * 2)):
                break
        except httpx.HTTPError:
            pass
        if time.monotonic() > deadline or server.poll() is not None:
            raise SystemExit("the server did not start")
        time.sleep(0.5)
    time.sleep(2 * workers)  # the last workers finish warming
    return server, base


def to_postgresql(workspace: Path, folder: Path) -> None:
    """Start a local PostgreSQL in `folder` and move the workspace's data into it."""
    from onrecord.store.postgres import local

    server = local.start(folder, free_port())
    os.environ["ONRECORD_DB_PASSWORD"] = server.password()
    run_cli(workspace, "migrate", "--to", server.url)
    toml = (workspace / "onrecord.toml").read_text(encoding="utf-8")
    store = f'[store]\nurl = "{server.url}"\npassword_env = "ONRECORD_DB_PASSWORD"\n'
    (workspace / "onrecord.toml").write_text(toml.replace("[store]\n", store, 1), encoding="utf-8")


def _exit_on_term() -> None:
    """SIGTERM (a timeout, a kill) ends the run through its `finally`, which stops the local
    PostgreSQL it started, rather than leaving the server running."""
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("seed", type=Path)
    parser.add_argument("questions", type=Path)
    parser.add_argument("--speaker", action="append", default=[], help="LABEL=NAME for `onrecord add`")
    parser.add_argument("--speaks-as", action="append", default=[], help="whose words the agent speaks with")
    parser.add_argument("--clients", default="20", help="concurrent clients (a comma-separated list runs each)")
    parser.add_argument("--workers", default="1", help="server processes (a comma-separated list runs each)")
    parser.add_argument("--store", choices=("sqlite", "postgresql"), default="sqlite")
    parser.add_argument("--duration", type=float, default=20.0)
    parser.add_argument("--stream", type=int, default=50, help="streamed requests timed for the first token")
    parser.add_argument("--repeat", action="store_true", help="send the questions as given (no #N)")
    args = parser.parse_args()
    _exit_on_term()
    questions = read_questions(args.questions)
    with tempfile.TemporaryDirectory() as tmp:
        workspace = Path(tmp) / "ws"
        speakers = [part for pair in args.speaker for part in ("--speaker", pair)]
        run_cli(workspace, "add", str(args.seed), *speakers)
        with (workspace / "onrecord.toml").open("a", encoding="utf-8") as toml:
            toml.write(CARD.format(speaks_as=json.dumps(args.speaks_as)))
        run_cli(workspace, "index")
        if args.store == "postgresql":
            to_postgresql(workspace, Path(tmp) / "postgres")
        table = []
        try:
            for workers in (int(w) for w in args.workers.split(",")):
                server, base = start_server(workspace, workers)
                try:
                    for clients in (int(c) for c in args.clients.split(",")):
                        print(f"\n== {args.store}, {workers} workers, {clients} clients")
                        asked = Questions(questions, args.repeat)
                        row = asyncio.run(load(base, asked, clients, args.duration, args.stream, server.pid))
                        table.append((workers, clients, row))
                finally:
                    server.terminate()
                    server.wait(timeout=30)
        finally:
            if args.store == "postgresql":
                from onrecord.store.postgres import local

                local.stop(Path(tmp) / "postgres")
        columns = "requests | errors | req/s | p50 ms | p95 ms | p99 ms | CPU ms/req | cores"
        print(f"\n| store | workers | clients | {columns} |")
        print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
        for workers, clients, row in table:
            print(
                f"| {args.store} | {workers} | {clients} | {row['requests']:,} | {row['errors']} | {row['rps']:.0f}"
                f" | {row['p50']:.0f} | {row['p95']:.0f} | {row['p99']:.0f} | {row['cpu_ms']:.1f}"
                f" | {row['cores']:.2f} |"
            )


if __name__ == "__main__":
    main()
