"""Fits the calibrated relevance score (onrecord/index/calibrate.py) on QMSum development meetings.

    python benchmarks/calibrate.py ../shared/data/qmsum/val/*.json

Uses the first 8 meetings in sorted order (the development split of quality_retrieval.py).
Examples: the best result of each of a meeting's own questions, labelled 1 when one of the
top 10 results holds the evidence (the archive covers it and search found it), and the
best result of each question of the next meeting asked of this one, labelled 0 (those
questions are about another meeting). Fits P = 1 / (1 + exp(-(a*s + b))) over the fused
score s by Newton's method and prints a, b, the log loss, and a reliability table (the
observed rate per predicted bin) for the fitted curve and for the current one. The curve
answers "does the archive cover this question?" from the best passage's score.
"""

from __future__ import annotations

import argparse
import math
import sys
import tempfile
from pathlib import Path

import numpy as np

from onrecord import evaluate, importer
from onrecord.index import calibrate
from onrecord.workspace import Workspace

DEV_MEETINGS = 8


def _examples(meetings: list[Path]) -> tuple[list[float], list[int]]:
    scores, labels = [], []
    questions = [evaluate.load_questions(m) for m in meetings]
    for i, meeting in enumerate(meetings):
        with tempfile.TemporaryDirectory() as tmp:
            workspace = Workspace.init(Path(tmp) / "ws")
            importer.import_paths(workspace.store, [meeting], importer.ImportOptions())
            workspace.update_index()
            own = questions[i]
            foreign = questions[(i + 1) % len(meetings)]
            for question, hits in zip(own, workspace.searcher.search_many([q.question for q in own], 10), strict=True):
                judge = evaluate.Judge(question)
                if hits:
                    scores.append(hits[0].fused)
                    labels.append(int(any(judge.holds(hit.passage.text) for hit in hits)))
            for hits in workspace.searcher.search_many([q.question for q in foreign], 10):
                if hits:
                    scores.append(hits[0].fused)
                    labels.append(0)
            workspace.close()
        print(f"{meeting.name}: {len(scores)} examples so far", file=sys.stderr)
    return scores, labels


def fit(scores: list[float], labels: list[int]) -> tuple[float, float]:
    x = np.array(scores)
    y = np.array(labels, dtype=float)
    a, b = 1.0, 0.0
    for _ in range(100):
        p = 1 / (1 + np.exp(-(a * x + b)))
        w = p * (1 - p) + 1e-9
        grad = np.array([np.sum((p - y) * x), np.sum(p - y)])
        hess = np.array([[np.sum(w * x * x), np.sum(w * x)], [np.sum(w * x), np.sum(w)]])
        step = np.linalg.solve(hess + 1e-6 * np.eye(2), grad)
        a, b = a - step[0], b - step[1]
        if np.abs(step).max() < 1e-8:
            break
    return float(a), float(b)


def _report(name: str, a: float, b: float, scores: list[float], labels: list[int]) -> None:
    probs = [1 / (1 + math.exp(-(a * s + b))) for s in scores]
    loss = -sum(math.log(max(p if y else 1 - p, 1e-12)) for p, y in zip(probs, labels, strict=True)) / len(probs)
    print(f"{name}: slope {a:.3f}, offset {b:.3f}, log loss {loss:.4f}")
    print("  predicted   observed   n")
    for low in np.arange(0, 1, 0.2):
        chosen = [y for p, y in zip(probs, labels, strict=True) if low <= p < low + 0.2 or (low >= 0.8 and p == 1)]
        if chosen:
            print(f"  {low:.1f}-{low + 0.2:.1f}    {sum(chosen) / len(chosen):8.3f}   {len(chosen)}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("meetings", nargs="+", type=Path)
    args = parser.parse_args()
    meetings = sorted(args.meetings)[:DEV_MEETINGS]
    scores, labels = _examples(meetings)
    print(f"{len(scores)} examples, {sum(labels)} relevant")
    a, b = fit(scores, labels)
    _report("fitted", a, b, scores, labels)
    _report("current calibrate.py", calibrate.SLOPE, calibrate.OFFSET, scores, labels)


if __name__ == "__main__":
    main()
