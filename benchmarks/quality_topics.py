"""A card's `topics` on the seeds: what an agent held to AI topics still answers, and what it no longer does.

    python benchmarks/quality_topics.py ../shared/seeds benchmarks/questions/seeds.jsonl

The workspace of quality_answers.py (both seeds, seed 000's speakers named) gets two more
agents: seed 000 held to four AI topics, and seed 003 (which also covers glasses, VR and
friendship) held to two. Printed per agent: answerable questions answered with and without
the topics; for seed 003, split into questions that mention AI and the rest (a plain rule on
the question's words, so that nobody's judgement sits in the figures).
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import tempfile
from pathlib import Path

from onrecord.answer import Agent
from onrecord.workspace import Workspace

sys.path.insert(0, str(Path(__file__).parent))
from quality_answers import build

TOPIC_CARDS = """
[agents.wang_ai]
title = "Alexandr Wang, AI topics only"
speaks_as = ["Alexandr Wang"]
sources = ["000*"]
topics = ["artificial intelligence", "Meta's AI models and research", "AI agents", "AI policy, safety and regulation"]

[agents.seed003_ai]
title = "Seed 003, AI topics only"
sources = ["003*"]
topics = ["artificial intelligence", "AI models and open source AI"]
"""
_AI = re.compile(r"\bAI\b")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("seeds", type=Path)
    parser.add_argument("questions", type=Path)
    args = parser.parse_args(argv)

    ws_path = build(Path(tempfile.mkdtemp(prefix="onrecord-topics-")), args.seeds)
    config = ws_path / "onrecord.toml"
    config.write_text(config.read_text(encoding="utf-8") + TOPIC_CARDS, encoding="utf-8")
    workspace = Workspace.open(ws_path)
    workspace.update_index()
    lines = [json.loads(line) for line in args.questions.read_text(encoding="utf-8").splitlines() if line.strip()]

    agents = {name: Agent(workspace, name) for name in ("wang", "wang_ai", "seed003", "seed003_ai")}
    print(f"questions: {args.questions.name}")
    print("| agent | questions | answered without topics | answered with topics |")
    print("|---|---|---:|---:|")
    for plain, held, seed in (("wang", "wang_ai", "000"), ("seed003", "seed003_ai", "003")):
        asked = [line["question"] for line in lines if line.get("seed") == seed and line.get("evidence")]
        groups = (
            {"all": asked}
            if seed == "000"
            else {
                "mentioning AI": [q for q in asked if _AI.search(q)],
                "the rest": [q for q in asked if not _AI.search(q)],
            }
        )
        for name, questions in groups.items():
            counts = [sum(agents[agent].ask(q).status == "answered" for q in questions) for agent in (plain, held)]
            print(f"| {held} | {name} ({len(questions)}) | {counts[0]} | {counts[1]} |")
    workspace.close()


if __name__ == "__main__":
    main()
