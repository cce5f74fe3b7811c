"""Warm `Agent.ask` latency: one process, each question asked once and new to every cache.

    python benchmarks/bench_ask.py WORKSPACE AGENT QUESTIONS.jsonl

WORKSPACE holds the agent's sources (e.g. the one `quality_answers.py --workspace DIR` builds,
DIR/ws, with the agents `wang` and `seed003`). One question warms the models first; then each
question of the file is asked with " ?" appended, so that no cached vector or answer helps.
"""

from __future__ import annotations

import argparse
import statistics
import time
from pathlib import Path

from onrecord import evaluate
from onrecord.answer import Agent
from onrecord.workspace import Workspace


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("workspace", type=Path)
    parser.add_argument("agent")
    parser.add_argument("questions", type=Path)
    args = parser.parse_args(argv)
    questions = [q.question for q in evaluate.load_questions(args.questions)]
    with Workspace.open(args.workspace) as workspace:
        agent = Agent(workspace, args.agent)
        agent.ask("A question to load the models first?")
        times = []
        for question in questions:
            started = time.perf_counter()
            agent.ask(f"{question} ?")
            times.append((time.perf_counter() - started) * 1000)
    times.sort()
    p95 = times[max(0, round(0.95 * len(times)) - 1)]
    print(f"warm ask, {len(times)} new questions: p50 {statistics.median(times):.0f} ms, p95 {p95:.0f} ms")


if __name__ == "__main__":
    main()
