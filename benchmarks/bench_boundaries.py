"""Speed of the boundary decision: one question through the rails, warm, as an agent screens it.

    python benchmarks/bench_boundaries.py benchmarks/questions/boundaries.jsonl \\
        benchmarks/questions/avoid_dev.jsonl [--repeat 3]

Each question of the files (their `question` field) is screened by a `Guard` with the card of
benchmarks/questions/boundaries_card.toml (three avoided topics) and 2,000 archive passages
(random unit vectors: only their count matters to the time), after one warm-up question.
Every question is made new (" #N" appended) so no cached vector helps: the time is one
embedding of the question by all-MiniLM-L6-v2 (shared, as in an agent), the bundled classifier's head and the
avoided-topic match. Printed: median, 95th percentile and worst, in milliseconds, of the
wall time and of the process's CPU time. The encoder runs on one thread, so the CPU time is
what one idle core would take; it is the figure to read on a machine other jobs share (the
wall time then measures the queue for the cores). Last, the same questions again, their
vectors cached: the CPU time of the decision beyond the embedding.
"""

from __future__ import annotations

import argparse
import json
import statistics
import time
import tomllib
from pathlib import Path

import numpy as np

from onrecord.config import AgentCard, RailsSettings
from onrecord.index.minilm import MiniLM
from onrecord.index.query_cache import CachedModel
from onrecord.rails import Guard, boundary_model

CARD = Path(__file__).parent / "questions" / "boundaries_card.toml"


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("questions", type=Path, nargs="+", help="JSONL files with a `question` field")
    parser.add_argument("--repeat", type=int, default=3, help="passes over the questions")
    args = parser.parse_args(argv)

    questions = [
        json.loads(line)["question"] for path in args.questions for line in path.read_text().splitlines() if line
    ]
    card = AgentCard.model_validate(tomllib.loads(CARD.read_text())["agents"]["wang"])
    # As in an agent: the question's vector is cached, so the classifier and the avoided
    # topics share one embedding of it.
    encoder = CachedModel(MiniLM(threads=1))
    rng = np.random.default_rng(0)
    archive = rng.normal(size=(2000, encoder.dimensions)).astype(np.float32)
    archive /= np.linalg.norm(archive, axis=1, keepdims=True)

    def embed(texts: list[str]) -> np.ndarray:
        return encoder.embed_batch(list(texts))

    model = boundary_model(RailsSettings(), embed, encoder.name)
    guard = Guard(card, model, embed, lambda: archive)
    guard.screen("What are you building next?")  # loads the encoder, the head and the readings

    wall: list[float] = []
    cpu: list[float] = []
    # Second pass over the same texts: their vectors are cached, so what is timed is the
    # decision beyond the embedding (which the agent's search needs anyway).
    after: list[float] = []
    for rerun in (False, True):
        for n in range(args.repeat):
            for question in questions:
                text = f"{question} #{n}"
                start, start_cpu = time.perf_counter(), time.process_time()
                guard.screen(text)
                if rerun:
                    after.append(1000 * (time.process_time() - start_cpu))
                else:
                    wall.append(1000 * (time.perf_counter() - start))
                    cpu.append(1000 * (time.process_time() - start_cpu))
    for name, times in (("wall", wall), ("CPU", cpu), ("CPU, question already embedded", after)):
        times.sort()
        p95 = times[int(0.95 * (len(times) - 1))]
        median, worst = statistics.median(times), times[-1]
        print(f"{len(times)} questions, {name} time: median {median:.1f} ms, p95 {p95:.1f} ms, worst {worst:.1f} ms")


if __name__ == "__main__":
    main()
