"""Which second stage a benchmark runs with: `--reranker NAME` as `[rerank] reranker` would set
it, and `--graph FILE` to score with another exported selector (training/export_selector.py;
its card is the JSON file of the same name beside it, when there is one)."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from onrecord.workspace import Workspace


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--reranker", default="onrecord-answer-selector", help="as [rerank] reranker; 'none': off")
    parser.add_argument("--candidates", type=int, default=None, help="as [rerank] candidates")
    parser.add_argument("--graph", type=Path, help="score with this exported selector instead of the bundled one")


def apply(workspace: Workspace, args: argparse.Namespace) -> None:
    """Set the workspace's second stage as the arguments say."""
    workspace.settings.rerank.reranker = args.reranker
    if args.candidates is not None:
        workspace.settings.rerank.candidates = args.candidates
    stage = workspace.second_stage
    if stage is None or args.graph is None:
        return
    from onrecord.rerank.selector import AnswerSelector

    card = dict(AnswerSelector().card)
    sidecar = args.graph.with_suffix(".json")
    if sidecar.exists():
        card = json.loads(sidecar.read_text(encoding="utf-8"))
    stage.reranker = AnswerSelector(args.graph.read_bytes(), card)
