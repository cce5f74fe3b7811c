"""Which second stage a benchmark runs with: `--reranker NAME` as `[rerank] reranker` would set
it, and `--graph FILE` to score with an exported answer selector (training/export_selector.py; its
card is the JSON file of the same name beside it)."""

from __future__ import annotations

import argparse
from pathlib import Path

from onrecord.workspace import Workspace


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--reranker", default="none", help="as [rerank] reranker; default 'none' (first stage only)")
    parser.add_argument("--candidates", type=int, default=None, help="as [rerank] candidates")
    parser.add_argument(
        "--graph", type=Path, help="an exported answer selector (implies --reranker onrecord-answer-selector)"
    )


def apply(workspace: Workspace, args: argparse.Namespace) -> None:
    """Set the workspace's second stage as the arguments say."""
    rerank = workspace.settings.rerank
    rerank.reranker = args.reranker
    if args.graph is not None:
        rerank.reranker, rerank.path = "onrecord-answer-selector", str(args.graph)
    if args.candidates is not None:
        rerank.candidates = args.candidates
