"""Retrieval after each stage, on every question set: the first stage alone, then the second
stage (the reranker) reordering the first stage's candidates. docs/quality.md's stage table.

    python benchmarks/quality_stages.py seeds ../shared/seeds benchmarks/questions/seeds.jsonl
    python benchmarks/quality_stages.py qmsum ../shared/data/qmsum/val/*.json [--split dev|test|all]
    python benchmarks/quality_stages.py friendsqa ../shared/data/friendsqa/friendsqa_dev.json
    python benchmarks/quality_stages.py changelog ../shared/data/changelog benchmarks/questions/changelog.jsonl

`seeds`: one workspace holding the seed files. `qmsum`: one workspace per meeting, its own
questions and evidence turn spans (development: the first 8 meetings in sorted order).
`friendsqa`: every scene in one workspace, each question searched within its scene; the
evidence is the answer phrase (or, for an answer that is a speaker, their utterance).
`changelog`: every transcript of the folder in one workspace, the hand-written questions of
benchmarks/questions/changelog.jsonl (written blind over five held-out episodes), each
searched within the words of the person it asks (its `speaker`), as their agent would.

--reranker, --candidates and --graph choose the second stage (benchmarks/rerank_choice.py).

With --answers, each answerable question is also asked of an agent (its card's sources: the
question's workspace, or its scene for FriendsQA; for Changelog it speaks as the question's
`speaker`), and the row "answers" gives the share answered and the share whose citations hold
the evidence (a quote holding an evidence phrase, or most of its word 4-grams from the
evidence turns), so that a loss between retrieval and answer shows.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

import friendsqa
import rerank_choice
from onrecord import evaluate, importer
from onrecord.store import Scope
from onrecord.workspace import Workspace

DEV_MEETINGS = 8


class Run:
    """One benchmark run's settings: which second stage, and how many results are judged."""

    def __init__(self, args: argparse.Namespace) -> None:
        self.args = args
        self.k: int = args.k
        self.asked = Asked()

    def workspace(self, folder: Path, files: list[Path]) -> Workspace:
        workspace = Workspace.init(folder)
        report = importer.import_paths(workspace.store, files, importer.ImportOptions())
        for error in report.failed:
            print(f"warning: {error}", file=sys.stderr)
        workspace.update_index()
        rerank_choice.apply(workspace, self.args)
        return workspace

    def stages(
        self, files: list[Path], questions: list[evaluate.Question], speakers: dict[str, str] | None = None
    ) -> dict[str, list[evaluate.Outcome]]:
        """Both stages over one workspace of `files`; with --answers, each question is also
        asked of an agent (speaking as `speakers[question id]` when given)."""
        with tempfile.TemporaryDirectory() as tmp:
            workspace = self.workspace(Path(tmp) / "ws", files)
            try:
                if speakers is None:
                    found = evaluate.run_stages(workspace, questions, self.k)
                else:
                    # Searched as the agent of the person asked would: within their words.
                    found = {}
                    for question in questions:
                        speaker = speakers.get(question.id)
                        scope = Scope(speakers=frozenset([speaker])) if speaker else None
                        _merge(found, evaluate.run_stages(workspace, [question], self.k, scope))
                if self.args.answers:
                    for question in questions:
                        speaker = (speakers or {}).get(question.id)
                        self.asked.ask(workspace, question, ["*"], [speaker] if speaker else [])
                return found
            finally:
                workspace.close()


class Asked:
    """Answers to answerable questions: how many were answered, how many cited the evidence."""

    def __init__(self) -> None:
        self.questions = self.answered = self.cited = 0

    def ask(self, workspace: Workspace, question: evaluate.Question, sources: list[str], speaks_as: list[str]) -> None:
        from onrecord.answer import Agent
        from onrecord.config import AgentCard

        if not question.answerable:
            return
        card = AgentCard(title="benchmark", sources=sources, speaks_as=speaks_as)
        workspace.settings.agents["bench"] = card
        answer = Agent(workspace, "bench").ask(question.question)
        judge = evaluate.Judge(question)
        self.questions += 1
        self.answered += answer.status == "answered"
        self.cited += any(judge.holds(c.quote) for c in answer.citations)

    def row(self) -> str:
        n = max(1, self.questions)
        return f"answers: {self.answered}/{self.questions} answered ({self.answered / n:.3f}), " + (
            f"evidence cited {self.cited}/{self.questions} ({self.cited / n:.3f})"
        )


def _merge(into: dict[str, list[evaluate.Outcome]], more: dict[str, list[evaluate.Outcome]]) -> None:
    for name, outcomes in more.items():
        into.setdefault(name, []).extend(outcomes)


def seeds(run: Run, paths: list[Path]) -> dict[str, list[evaluate.Outcome]]:
    *sources, question_file = paths
    files = [f for s in sources for f in (sorted(s.iterdir()) if s.is_dir() else [s])]
    return run.stages(files, evaluate.load_questions(question_file))


def qmsum(run: Run, paths: list[Path], split: str) -> dict[str, list[evaluate.Outcome]]:
    meetings = sorted(paths)
    chosen = {"dev": meetings[:DEV_MEETINGS], "test": meetings[DEV_MEETINGS:], "all": meetings}[split]
    found: dict[str, list[evaluate.Outcome]] = {}
    for meeting in chosen:
        _merge(found, run.stages([meeting], evaluate.load_questions(meeting)))
    return found


def friends(run: Run, path: Path) -> dict[str, list[evaluate.Outcome]]:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        written = friendsqa.write_scenes(path, folder)
        with tempfile.TemporaryDirectory() as wtmp:
            workspace = run.workspace(Path(wtmp) / "ws", [file for file, _ in written])
            try:
                ids = {s.path: s.id for s in workspace.store.iter_sources()}
                found: dict[str, list[evaluate.Outcome]] = {}
                for file, scene in written:
                    if str(file) not in ids:
                        continue
                    scope = Scope(source_ids=frozenset([ids[str(file)]]))
                    questions = [scene.evidence(q) for q in scene.questions]
                    _merge(found, evaluate.run_stages(workspace, questions, run.k, scope))
                    if run.args.answers:
                        for question in questions:
                            run.asked.ask(workspace, question, [ids[str(file)]], [])
                return found
            finally:
                workspace.close()


def changelog(run: Run, paths: list[Path]) -> dict[str, list[evaluate.Outcome]]:
    folder, question_file = paths
    lines = [json.loads(line) for line in question_file.read_text(encoding="utf-8").splitlines() if line.strip()]
    speakers = {str(line["id"]): str(line.get("speaker", "")) for line in lines}
    return run.stages(sorted(folder.glob("*.md")), evaluate.load_questions(question_file), speakers)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("kind", choices=["seeds", "qmsum", "friendsqa", "changelog"])
    parser.add_argument("paths", nargs="+", type=Path)
    parser.add_argument("--split", choices=["dev", "test", "all"], default="all")
    parser.add_argument("-k", type=int, default=10)
    rerank_choice.add_arguments(parser)
    parser.add_argument("--json", action="store_true", help="also print each question's outcome per stage")
    parser.add_argument("--answers", action="store_true", help="also ask each question of an agent")
    args = parser.parse_args(argv)
    run = Run(args)
    started = time.perf_counter()
    if args.kind == "seeds":
        found = seeds(run, args.paths)
    elif args.kind == "qmsum":
        found = qmsum(run, args.paths, args.split)
    elif args.kind == "friendsqa":
        found = friends(run, args.paths[0])
    else:
        found = changelog(run, args.paths)
    print(f"== {args.kind} {args.split if args.kind == 'qmsum' else ''} ({time.perf_counter() - started:.0f} s)")
    rows = {name: evaluate.summarise(outcomes) for name, outcomes in found.items()}
    keys = [key for key in next(iter(rows.values())) if key not in ("questions", "answerable", "unanswerable")]
    print(f"{'stage':<8}" + "".join(f"{key:>18}" for key in keys))
    for name, figures in rows.items():
        cells = "".join(f"{'n/a':>18}" if figures[key] is None else f"{figures[key]:>18.3f}" for key in keys)
        print(f"{name:<8}{cells}")
    first = next(iter(rows.values()))
    print(f"questions {first['questions']} (answerable {first['answerable']})")
    if args.answers:
        print(run.asked.row())
    if args.json:
        for name, outcomes in found.items():
            for o in outcomes:
                print(json.dumps({"stage": name, "id": o.question.id, "first_hit": o.first_hit, "found": o.found}))


if __name__ == "__main__":
    main()
