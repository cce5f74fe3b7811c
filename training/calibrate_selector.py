"""Fit the answer selector's calibration: the logistic curve from its logit (and the first
stage's log-odds beside it) to P(answers).

    python training/calibrate_selector.py ../shared/data/qmsum/val/*.json --graph GRAPH.onnx [--card CARD.json]

On the QMSum validation development meetings (the first DEV_MEETINGS in sorted order, which
training never saw): each question's first-stage candidates, labelled by whether they hold
its evidence (evaluate.Judge), scored by the selector. A logistic regression of the label on
the selector's logit and the first stage's log-odds gives the slope, the offset and the
first stage's weight (`first_stage`, used by rerank.stage); they are written into the card
(the JSON file beside the graph), with what they were fitted on. With --no-first-stage the
first stage's weight is 0: the selector's score alone.
"""

from __future__ import annotations

import argparse
import json
import math
import sys
import tempfile
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from onrecord import evaluate, importer
from onrecord.rerank.selector import AnswerSelector
from onrecord.rerank.stage import SecondStage
from onrecord.workspace import Workspace

DEV_MEETINGS = 8
CANDIDATES = 24


def pairs(meetings: list[Path], selector: AnswerSelector) -> list[tuple[float, float, int]]:
    """(selector logit, first-stage log-odds, holds the evidence) for every first-stage
    candidate of every question."""
    out = []
    for meeting in meetings:
        with tempfile.TemporaryDirectory() as tmp:
            workspace = Workspace.init(Path(tmp) / "ws")
            importer.import_paths(workspace.store, [meeting], importer.ImportOptions())
            workspace.update_index()
            stage = SecondStage(selector, workspace.store)
            for question in evaluate.load_questions(meeting):
                hits = workspace.searcher.search(question.question, CANDIDATES)
                judge = evaluate.Judge(question)
                logits = selector.logits(question.question, stage.texts(hits))
                for z, hit in zip(logits, hits, strict=True):
                    out.append((z, _log_odds(hit.score), int(judge.holds(hit.passage.text))))
            workspace.close()
    return out


def _log_odds(p: float) -> float:
    p = min(max(p, 1e-6), 1 - 1e-6)
    return math.log(p / (1 - p))


def fit(data: list[tuple[float, float, int]], first_stage: bool = True) -> tuple[float, float, float]:
    """Logistic regression (Newton's method with step halving, a little L2): slope on the
    selector's logit, offset, and the first stage's weight (0 without `first_stage`)."""
    x = np.array([[z, f if first_stage else 0.0, 1.0] for z, f, _ in data])
    y = np.array([label for _, _, label in data], dtype=float)
    ridge = 1e-3 * np.eye(3)

    def loss(w: np.ndarray) -> float:
        margin = x @ w
        return float(np.sum(np.logaddexp(0, margin) - y * margin) + 0.5 * w @ ridge @ w)

    w = np.array([1.0, 0.0, 0.0])
    for _ in range(100):
        p = 1.0 / (1.0 + np.exp(-(x @ w)))
        gradient = x.T @ (p - y) + ridge @ w
        hessian = (x * (p * (1 - p))[:, None]).T @ x + ridge
        step = np.linalg.solve(hessian, gradient)
        rate = 1.0
        while loss(w - rate * step) > loss(w) and rate > 1e-6:
            rate /= 2
        w = w - rate * step
        if np.abs(rate * step).max() < 1e-9:
            break
    return float(w[0]), float(w[2]), float(w[1])


def log_loss(data: list[tuple[float, float, int]], slope: float, offset: float, weight: float) -> float:
    total = 0.0
    for z, f, y in data:
        score = max(-50.0, min(50.0, slope * z + offset + weight * f))
        p = min(max(1.0 / (1.0 + math.exp(-score)), 1e-9), 1 - 1e-9)
        total -= y * math.log(p) + (1 - y) * math.log(1 - p)
    return total / len(data)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("meetings", nargs="+", type=Path)
    parser.add_argument("--graph", type=Path, required=True)
    parser.add_argument("--card", type=Path, help="the card to update (default: the graph's name with .json)")
    parser.add_argument("--no-first-stage", action="store_true", help="fit the selector's score alone")
    args = parser.parse_args(argv)
    card_path = args.card or args.graph.with_suffix(".json")
    card = json.loads(card_path.read_text(encoding="utf-8"))
    selector = AnswerSelector(args.graph.read_bytes(), card)
    chosen = sorted(args.meetings)[:DEV_MEETINGS]
    data = pairs(chosen, selector)
    slope, offset, weight = fit(data, not args.no_first_stage)
    positives = sum(y for _, _, y in data)
    print(f"{len(data)} candidates ({positives} hold evidence)")
    print(f"slope {slope:.4f}, offset {offset:.4f}, first stage {weight:.4f}")
    print(f"log loss {log_loss(data, slope, offset, weight):.4f} (first stage alone: {log_loss(data, 0, 0, 1):.4f})")
    card["calibration"] = {
        "slope": round(slope, 4),
        "offset": round(offset, 4),
        "first_stage": round(weight, 4),
        "fitted_on": f"QMSum validation development meetings ({', '.join(m.stem for m in chosen)}): "
        f"{len(data)} first-stage candidates of their questions, {positives} holding the evidence",
    }
    card_path.write_text(json.dumps(card, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
