"""Embedding speed: throughput in words/s per batch size, model load time, query latency, cold start.

    python benchmarks/bench_embed.py                      # 1,000 synthetic transcript-like passages
    python benchmarks/bench_embed.py transcript.txt ...   # passages cut from these texts instead
    python benchmarks/bench_embed.py --batch-sizes 8,16,32,64 --repeat 5

Passages are 30-80 words, cut at random from the texts (or made up from a spoken-English
vocabulary with fillers and punctuation). Each batch size runs `repeat` times over all the
passages; the median and the best round are printed, because a shared machine is noisy.
Words are whitespace-separated words, as a person would count them.
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import subprocess
import sys
import time
from pathlib import Path

SPEECH = (
    "so I think the thing is we spent the whole year building the team and the models um and "
    "you know it was hard because nobody really knew what would work I mean we tried a lot of "
    "things right and some of them failed but uh that's how research goes honestly the data "
    "matters more than people think and the evaluation matters even more if you can't measure it "
    "you can't improve it so we built tools for that first and then we scaled up the training "
    "runs the compute budget went up maybe ten times in eighteen months which is crazy when you "
    "think about it and the product teams were waiting on us the whole time yeah exactly and "
    "people ask me about open source all the time I believe it's important for safety and for "
    "the ecosystem but it's not free there are real costs and real risks we talk about those "
    "with regulators in Washington and Brussels quite a lot my view is that you regulate the "
    "uses not the math that said I understand why people are worried about jobs about "
    "misinformation about elections in twenty twenty-four and beyond"
)
SPOKEN = SPEECH.split()
PUNCTUATION = [",", ",", ".", ".", "?", "...", ""]


def synthetic_passages(count: int, rng: random.Random) -> list[str]:
    passages = []
    for _ in range(count):
        words = []
        for _ in range(rng.randint(30, 80)):
            word = rng.choice(SPOKEN)
            if rng.random() < 0.12:
                word += rng.choice(PUNCTUATION)
            words.append(word)
        words[0] = words[0].capitalize()
        passages.append(" ".join(words) + ".")
    return passages


def passages_from(paths: list[Path], count: int, rng: random.Random) -> list[str]:
    words: list[str] = []
    for path in paths:
        words += path.read_text(encoding="utf-8", errors="replace").split()
    if len(words) < 100:
        sys.exit(f"need at least 100 words of text, got {len(words)}")
    passages = []
    for _ in range(count):
        n = rng.randint(30, 80)
        start = rng.randrange(max(1, len(words) - n))
        passages.append(" ".join(words[start : start + n]))
    return passages


COLD = """
import time
start = time.perf_counter()
from onrecord.index.embed import get_model
imported = time.perf_counter()
model = get_model({name!r})
model.embed_batch(["what did she say about open models and safety?"])
loaded = time.perf_counter()
model.embed_batch(["and what about regulation in Europe?"])
second = time.perf_counter()
import sys, json
json.dump({{"import": imported - start, "load_and_first_query": loaded - imported,
            "second_query": second - loaded, "torch_imported": "torch" in sys.modules}}, sys.stdout)
"""


def cold_start(name: str) -> dict[str, float]:
    """Timings of a new Python process that imports onrecord, loads the model, embeds a query."""
    start = time.perf_counter()
    out = subprocess.run([sys.executable, "-c", COLD.format(name=name)], capture_output=True, text=True, check=True)
    figures: dict[str, float] = json.loads(out.stdout)
    figures["process_wall"] = time.perf_counter() - start
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("texts", nargs="*", type=Path, help="text files to cut passages from")
    parser.add_argument("--passages", type=int, default=1000)
    parser.add_argument("--batch-sizes", default="16,32,64")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--model", default="all-MiniLM-L6-v2")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()

    from onrecord.index.embed import embed, get_model

    rng = random.Random(args.seed)
    passages = passages_from(args.texts, args.passages, rng) if args.texts else synthetic_passages(args.passages, rng)
    words = sum(len(p.split()) for p in passages)

    cold = [cold_start(args.model) for _ in range(args.repeat)]
    print(f"cold start, new process (median of {args.repeat}):")
    for key in ("import", "load_and_first_query", "second_query", "process_wall"):
        print(f"  {key:22s} {statistics.median(c[key] for c in cold) * 1000:8.1f} ms")
    print(f"  torch imported: {any(c['torch_imported'] for c in cold)}")

    model = get_model(args.model)
    started = time.perf_counter()
    model.embed_batch(["warm up"])
    print(f"load in this process: {(time.perf_counter() - started) * 1000:.1f} ms")

    latencies = []
    for i in range(50):
        query = " ".join(rng.sample(SPOKEN, 6 + i % 8)) + "?"
        started = time.perf_counter()
        model.embed_batch([query])
        latencies.append(time.perf_counter() - started)
    print(f"single query: median {statistics.median(latencies) * 1000:.1f} ms, max {max(latencies) * 1000:.1f} ms")

    tokenizer_stats = _tokens(model, passages)
    print(
        f"{len(passages)} passages, {words} words, {words / len(passages):.1f} words each"
        + (f", {tokenizer_stats:.2f} tokens per word (with [CLS] and [SEP])" if tokenizer_stats else "")
    )
    # CPU seconds say how much work a round took whatever else the machine was doing; they
    # include onnxruntime's threads spinning while they wait for work.
    print(f"{'batch':>5} {'median words/s':>15} {'best words/s':>13} {'median s':>9} {'CPU s':>6}")
    for batch_size in (int(b) for b in args.batch_sizes.split(",")):
        rounds, cpu = [], []
        for _ in range(args.repeat):
            started, cpu_started = time.perf_counter(), time.process_time()
            embed(model, passages, batch_size=batch_size)
            rounds.append(time.perf_counter() - started)
            cpu.append(time.process_time() - cpu_started)
        median = statistics.median(rounds)
        print(
            f"{batch_size:>5} {words / median:>15,.0f} {words / min(rounds):>13,.0f} {median:>9.2f}"
            f" {statistics.median(cpu):>6.2f}"
        )


def _tokens(model: object, passages: list[str]) -> float | None:
    """Tokens per word, when the model exposes its tokenizer (the built-in one does)."""
    tokenizer = getattr(model, "tokenizer", None)
    if tokenizer is None:
        return None
    tokens = sum(sum(e.attention_mask) for e in tokenizer().encode_batch(passages))
    return tokens / sum(len(p.split()) for p in passages)


if __name__ == "__main__":
    main()
