"""Topics on the seeds: a card's `topics` kept to, and its avoided topics reached by meaning.

    python benchmarks/quality_topics.py ../shared/seeds benchmarks/questions/seeds.jsonl
    python benchmarks/quality_topics.py ../shared/seeds benchmarks/questions/avoid_dev.jsonl \
        --avoid --changelog ../shared/data/changelog

The workspace of quality_answers.py (both seeds, seed 000's speakers named) gets two more
agents: seed 000 held to four AI topics, and seed 003 (which also covers glasses, VR and
friendship) held to two. Printed per agent: answerable questions answered with and without
the topics; for seed 003, split into questions that mention AI and the rest (a plain rule on
the question's words, so that nobody's judgement sits in the figures).

With --avoid, the question file holds paraphrases of avoided topics and questions on nearby
allowed topics (`agent`, `kind` avoid or near, `topic`, `question`), for the agents of
questions/avoid_cards.toml over the two seeds and two Changelog episodes (added from
--changelog). Printed: paraphrases deflected and nearby questions answered, per topic, the
misses, and the share of each agent's passages each topic keeps out.
"""

from __future__ import annotations

import argparse
import collections
import hashlib
import json
import re
import sys
import tempfile
from pathlib import Path

from click.testing import CliRunner

from onrecord.answer import Agent
from onrecord.cli import main as cli
from onrecord.rails.reach import reach
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


# The Changelog episodes the avoided-topic agents draw on.
EPISODES = ("gotime_go-time-333.md", "jsparty_js-party-347.md")


def avoided(seeds: Path, changelog: Path, questions: Path) -> None:
    """Paraphrases of avoided topics deflected, nearby questions answered (see the module doc)."""
    cards = (Path(__file__).parent / "questions" / "avoid_cards.toml").read_text(encoding="utf-8")
    # Kept in the temp folder between runs, keyed on what it is built from.
    key = hashlib.sha256(cards.encode() + str(seeds.resolve()).encode() + str(changelog.resolve()).encode())
    folder = Path(tempfile.gettempdir()) / f"onrecord-avoid-{key.hexdigest()[:12]}"
    ws_path = build(folder, seeds)
    if not (folder / "ready").exists():
        for episode in EPISODES:
            result = CliRunner().invoke(cli, ["-w", str(ws_path), "add", str(changelog / episode)])
            if result.exit_code != 0:
                raise SystemExit(result.output)
        config = ws_path / "onrecord.toml"
        # The workspace's own cards are replaced: these agents use the same names.
        config.write_text(config.read_text(encoding="utf-8").split("[agents.")[0] + cards, encoding="utf-8")
        (folder / "ready").write_text("")
    workspace = Workspace.open(ws_path)
    workspace.update_index()
    lines = [json.loads(line) for line in questions.read_text(encoding="utf-8").splitlines() if line.strip()]
    agents = {name: Agent(workspace, name) for name in sorted({line["agent"] for line in lines})}
    passed: dict[tuple[str, str], list[bool]] = collections.defaultdict(list)
    for line in lines:
        answer = agents[line["agent"]].ask(line["question"])
        ok = answer.status == line["expect"]
        passed[line["kind"], line["topic"]].append(ok)
        if not ok:
            print(f"  MISS {line['id']} {line['kind']:5} {answer.status:9} {line['question']}")
    print(f"questions: {questions.name}")
    print("| topic | paraphrases deflected | nearby questions answered |")
    print("|---|---:|---:|")
    for topic in dict.fromkeys(line["topic"] for line in lines):
        avoid, near = passed["avoid", topic], passed["near", topic]
        print(f"| {topic} | {sum(avoid)}/{len(avoid)} | {sum(near)}/{len(near)} |")
    for kind, name in (("avoid", "paraphrases deflected"), ("near", "nearby questions answered")):
        ok = [x for (k, _), xs in passed.items() if k == kind for x in xs]
        print(f"{name}: {sum(ok)}/{len(ok)} ({100 * sum(ok) / len(ok):.1f}%)")
    for name, agent in agents.items():
        for topic in reach(agent):
            print(f"{name}: {topic.topic!r} keeps out {len(topic.passages)}/{topic.total} passages ({topic.share:.1%})")
    workspace.close()


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("seeds", type=Path)
    parser.add_argument("questions", type=Path)
    parser.add_argument("--avoid", action="store_true", help="measure avoided topics (see the module doc)")
    parser.add_argument("--changelog", type=Path, help="the Changelog transcripts folder (with --avoid)")
    args = parser.parse_args(argv)
    if args.avoid:
        if args.changelog is None:
            parser.error("--avoid needs --changelog")
        avoided(args.seeds, args.changelog, args.questions)
        return

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
