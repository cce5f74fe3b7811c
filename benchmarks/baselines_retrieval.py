"""The usual RAG defaults, rebuilt over the same transcripts, questions and model as onrecord.

    python benchmarks/baselines_retrieval.py seeds ../shared/seeds benchmarks/questions/seeds.jsonl
    python benchmarks/baselines_retrieval.py qmsum ../shared/data/qmsum/val/*.json [--split dev|test|all]

Issue 4 measures onrecord against peers' defaults on its own held-out questions; this script
measures the same kinds of peer on our question sets, so that our figures can be read
against theirs. Every baseline embeds with the model onrecord ships (all-MiniLM-L6-v2) and is
judged by the same rule (evaluate.Judge: the evidence among the first 100/300 words
returned, results read in order). What a peer indexes is the transcript as plain text:
"Speaker: words" lines (consecutive segments of one speaker joined: kinder to the peers than
the raw JSON a directory reader would load), or the file's text when it is plain text.

Baselines (one index over all of a set's files, like onrecord's main row; QMSum: one per meeting):
- `chunks-1000`: 1,000-character chunks, 100 characters of overlap, cut at line, then
  sentence, then word breaks (the Open WebUI / AnythingLLM style), dense, top 10;
- `sentences-3 dense` / `sentences-3 bm25`: windows of 3 consecutive sentences, dense or
  SQLite FTS5 BM25 (porter stemming), top 10;
- `llamaindex-default`: chunks of about 1,024 tokens with 200 of overlap (SentenceSplitter's
  defaults, counted here as 0.75 words a token), dense, top 2 (VectorStoreIndex's default).
"""

from __future__ import annotations

import argparse
import json
import re
import sqlite3
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from onrecord import evaluate
from onrecord.index.embed import embed, get_model

DEV_MEETINGS = 8
_SENTENCE = re.compile(r"(?<=[.!?])\s+|\n+")
_TERM = re.compile(r"\w+")


def plain_text(path: Path) -> str:
    """The transcript as a peer would index it: "Speaker: words" lines, or the text as it is."""
    text = path.read_text(encoding="utf-8")
    try:
        data: Any = json.loads(text)
    except json.JSONDecodeError:
        return text
    if isinstance(data, dict) and "meeting_transcripts" in data:
        items = [(t.get("speaker", ""), t.get("content", "")) for t in data["meeting_transcripts"]]
    elif isinstance(data, list):
        items = [(s.get("speaker", ""), s.get("text", "")) for s in data if isinstance(s, dict)]
    else:
        return text
    lines: list[list[str]] = []
    for speaker, words in items:
        if lines and lines[-1][0] == speaker:
            lines[-1][1] += f" {words}"
        else:
            lines.append([speaker, words])
    return "\n".join(f"{speaker}: {words}" if speaker else words for speaker, words in lines)


def sentences(text: str) -> list[str]:
    return [s.strip() for s in _SENTENCE.split(text) if s.strip()]


def sentence_windows(text: str, size: int = 3) -> list[str]:
    found = sentences(text)
    return [" ".join(found[i : i + size]) for i in range(0, len(found), size)]


def _pack(pieces: list[str], size: int, overlap: int, measure: Callable[[list[str]], int]) -> list[str]:
    """`pieces` packed in order into chunks that `measure` at most `size`, each chunk starting
    with the last pieces of the one before that measure at most `overlap`."""
    chunks: list[str] = []
    current: list[str] = []
    for piece in pieces:
        if current and measure([*current, piece]) > size:
            chunks.append(" ".join(current))
            kept: list[str] = []
            for earlier in reversed(current):
                if measure([earlier, *kept]) > overlap:
                    break
                kept.insert(0, earlier)
            current = kept
        current.append(piece)
    if current:
        chunks.append(" ".join(current))
    return chunks


def char_chunks(text: str, size: int = 1000, overlap: int = 100) -> list[str]:
    """Chunks of at most `size` characters built from lines, else sentences, else words, each
    starting with up to `overlap` characters of the previous chunk's last pieces."""
    pieces: list[str] = []
    for line in text.splitlines():
        if len(line) <= size:
            pieces.append(line)
            continue
        for sentence in sentences(line):
            pieces += [sentence] if len(sentence) <= size else sentence.split()
    return _pack(pieces, size, overlap, lambda run: len(" ".join(run)))


def token_chunks(text: str, tokens: int = 1024, overlap: int = 200, words_per_token: float = 0.75) -> list[str]:
    """Chunks of about `tokens` tokens of whole sentences, `overlap` tokens carried over."""
    size, carry = int(tokens * words_per_token), int(overlap * words_per_token)
    return _pack(sentences(text), size, carry, lambda run: sum(len(s.split()) for s in run))


@dataclass(slots=True)
class Baseline:
    name: str
    cut: Callable[[str], list[str]]
    rank: str  # "dense" or "bm25"
    k: int


BASELINES = [
    Baseline("chunks-1000 dense", char_chunks, "dense", 10),
    Baseline("sentences-3 dense", sentence_windows, "dense", 10),
    Baseline("sentences-3 bm25", sentence_windows, "bm25", 10),
    Baseline("llamaindex-default dense", token_chunks, "dense", 2),
]


class Index:
    """One baseline's units over a set of files, searched densely or by BM25."""

    def __init__(self, units: list[str], rank: str) -> None:
        self.units = units
        self.rank = rank
        if rank == "dense":
            self.vectors = embed(get_model(), units)
        else:
            self.db = sqlite3.connect(":memory:")
            self.db.execute("CREATE VIRTUAL TABLE u USING fts5(text, tokenize='porter unicode61')")
            self.db.executemany("INSERT INTO u(rowid, text) VALUES (?, ?)", list(enumerate(units)))

    def search(self, questions: Sequence[str], k: int) -> list[list[str]]:
        if self.rank == "dense":
            scores = get_model().embed_batch(list(questions)) @ self.vectors.T
            return [[self.units[i] for i in np.argsort(-row)[:k]] for row in scores]
        found = []
        for question in questions:
            terms = " OR ".join(f'"{t}"' for t in _TERM.findall(question.lower()))
            rows = self.db.execute(
                "SELECT rowid FROM u WHERE u MATCH ? ORDER BY bm25(u) LIMIT ?", (terms, k)
            ).fetchall()
            found.append([self.units[r[0]] for r in rows])
        return found


def run(files: list[Path], questions: list[evaluate.Question], baseline: Baseline) -> list[evaluate.Outcome]:
    units = [unit for f in files for unit in baseline.cut(plain_text(f))]
    results = Index(units, baseline.rank).search([q.question for q in questions], baseline.k)
    return [evaluate.judge(q, texts, [0.0] * len(texts)) for q, texts in zip(questions, results, strict=True)]


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("kind", choices=["seeds", "qmsum"])
    parser.add_argument("paths", nargs="+", type=Path)
    parser.add_argument("--split", choices=["dev", "test", "all"], default="all")
    args = parser.parse_args(argv)

    if args.kind == "seeds":
        *sources, question_file = args.paths
        files = [f for s in sources for f in (sorted(s.iterdir()) if s.is_dir() else [s])]
        sets = [(files, evaluate.load_questions(question_file))]
        title = f"seeds: {len(files)} files, {question_file.name}"
    else:
        meetings = sorted(args.paths)
        chosen = {"dev": meetings[:DEV_MEETINGS], "test": meetings[DEV_MEETINGS:], "all": meetings}[args.split]
        sets = [([m], evaluate.load_questions(m)) for m in chosen]
        title = f"qmsum {args.split}: {len(chosen)} meetings"

    print(f"== {title}")
    print("| baseline | found within 100 words | within 300 | hit@1 | hit@3 | hit@10 | MRR |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    for baseline in BASELINES:
        outcomes = [o for files, questions in sets for o in run(files, questions, baseline)]
        f = evaluate.summarise(outcomes)
        print(
            f"| {baseline.name} (top {baseline.k}) | {f['found_within_100']:.1%} | {f['found_within_300']:.1%} "
            f"| {f['hit@1']:.2f} | {f['hit@3']:.2f} | {f['hit@10']:.2f} | {f['mrr']:.2f} |"
        )


if __name__ == "__main__":
    main()
