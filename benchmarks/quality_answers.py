"""Answer quality on the seeds, as docs/quality.md reports it.

    python benchmarks/quality_answers.py ../shared/seeds benchmarks/questions/seeds.jsonl \
        benchmarks/labels/seed000_speakers.json benchmarks/labels/seed003.json [--workspace DIR] [--show]

One workspace holds both seeds. Seed 000 is imported with its two speakers named
("Interviewer", "Alexandr Wang") and answered by an agent that speaks as Alexandr Wang; seed
003 (no speaker labels: voices are guessed) by an agent that speaks as every voice in it.
Each agent is asked its seed's answerable questions and every question no seed covers.

Figures, per agent and in all:
- answered: answerable questions with status `answered`;
- evidence cited: answerable questions with a cited quote that holds the evidence phrase (as said,
  or as clean verbatim: "developing um models" is quoted "developing models");
- no answer: uncovered questions with status `no_answer`;
- quotes not said: quotes whose words are not a run of the seed file's own words (checked
  against the raw file, not the store: independent of the verification under test);
- seed 000 misattributed: quotes on seed 000 most of whose words the hand labels give to
  the other speaker;
- quotes that start mid-sentence (their first words are not at a sentence start of the cited
  turn, as said or in clean verbatim), and answers made only of another speaker's question;
- in a conversation: evidence cited in the answer or in the answer to the follow-up "tell me
  more" (which quotes what the first answer did not), and how many follow-ups were all new;
- a sweep of the no-answer threshold over the best retrieval score;
- the wall time of `onrecord ask --batch` over 50 questions in a new process (model load
  included).
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from click.testing import CliRunner

from onrecord.answer import Agent, Answer
from onrecord.cli import main as cli
from onrecord.evaluate import Judge, Question, load_questions, words
from onrecord.model import Sentence, Turn
from onrecord.repair.clean import clean
from onrecord.workspace import Workspace

sys.path.insert(0, str(Path(__file__).parent))
import rerank_choice
from quality_speakers import gold_words

# The follow-up asked after each answerable question.
FOLLOW_UP = "tell me more"
SEED_000 = "000_"
SEED_003 = "003_"
CARDS = """
[agents.wang]
title = "Alexandr Wang (AI stand-in)"
speaks_as = ["Alexandr Wang"]
sources = ["000*"]

[agents.seed003]
title = "Seed 003 (AI stand-in)"
sources = ["003*"]
"""


def build(folder: Path, seeds: Path) -> Path:
    ws = folder / "ws"
    if (ws / "onrecord.toml").exists():
        return ws
    run = CliRunner().invoke
    first = next(seeds.glob(f"{SEED_000}*"))
    other = next(seeds.glob(f"{SEED_003}*"))
    names = ["--speaker", "Speaker 1=Interviewer", "--speaker", "Speaker 2=Alexandr Wang"]
    for args in (["add", str(first), *names], ["add", str(other)]):
        result = run(cli, ["-w", str(ws), *args])
        if result.exit_code != 0:
            raise SystemExit(result.output)
    config = ws / "onrecord.toml"
    config.write_text(config.read_text(encoding="utf-8") + CARDS, encoding="utf-8")
    return ws


# Words a clean-verbatim quote may leave out of what was said: hesitations and discourse
# fillers ("you know", "I mean", "like"), and repeats (a word said again within a few words:
# "the long, the long fermentation").
FILLERS = frozenset({"um", "uh", "uhm", "er", "erm", "ah", "hmm", "mm", "like", "y'know", "you", "know", "i", "mean"})
REPEAT_REACH = 4


def locate(tokens: list[str], said: list[str]) -> int | None:
    """Where `tokens` start in `said`, read as clean verbatim: in order, skipping only
    fillers and repeated words between them; None when they were not said so."""
    if not tokens:
        return None
    for start, word in enumerate(said):
        if word != tokens[0]:
            continue
        at, ok = start + 1, True
        for token in tokens[1:]:
            while at < len(said) and said[at] != token:
                skipped = said[at]
                near = said[max(0, at - REPEAT_REACH) : at] + said[at + 1 : at + 1 + REPEAT_REACH]
                restarted = any(w != skipped and w.startswith(skipped) for w in near)  # "we we've"
                if skipped not in FILLERS and skipped not in near and not restarted:
                    ok = False
                    break
                at += 1
            if not ok or at == len(said):
                ok = False
                break
            at += 1
        if ok:
            return start
    return None


def said_in(quote: str, said: list[str]) -> bool:
    parts = [words(p) for p in quote.replace("…", "...").split("...") if words(p)]
    return bool(parts) and all(locate(p, said) is not None for p in parts)


def cites_evidence(question: Question, answer: Answer) -> bool:
    """A cited quote holds an evidence phrase as said or as clean verbatim ("developing um
    models" is quoted as "developing models")."""
    phrases = question.phrases + [clean(p) for p in question.phrases]
    judge = Judge(Question(question.question, phrases))
    return any(judge.holds(c.quote) for c in answer.citations)


def misattributed(quote: str, speaker: str, gold: list[tuple[str, str]], names: dict[str, str]) -> bool | None:
    """Whether most of the quote's words are, by the labels, another speaker's (None: not found)."""
    tokens = words(quote)
    start = locate(tokens, [w for w, _ in gold])
    if start is None:
        return None
    span = gold[start : start + len(tokens)]
    return sum(names[s] != speaker for _, s in span) > len(span) / 2


def starts_sentence(quote: str, turn: Turn) -> bool:
    """Whether the quote begins where a sentence of the turn begins (as said or as clean verbatim)."""
    head = words(quote)[:3]
    for sentence in turn.sentences or [Sentence(0, len(turn.text))]:
        # From the sentence start on (a one-word sentence, "Yeah.", has fewer than 3 words).
        said = turn.text[sentence.begin :]
        if head in (words(said)[:3], words(clean(said) or said)[:3]):
            return True
    return False


def only_asks(answer: Answer) -> bool:
    """An answer made only of other speakers' questions."""
    return bool(answer.citations) and all(not c.own and c.quote.rstrip().endswith("?") for c in answer.citations)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("seeds", type=Path)
    parser.add_argument("questions", type=Path)
    parser.add_argument("labels", type=Path)
    parser.add_argument("chapters", type=Path, help="seed 003 labels (chapter title lines are not speech)")
    parser.add_argument("--workspace", type=Path, help="keep the workspace here (reused when present)")
    parser.add_argument("--show", action="store_true", help="print every question's answer")
    rerank_choice.add_arguments(parser)
    args = parser.parse_args(argv)

    folder = args.workspace or Path(tempfile.mkdtemp(prefix="onrecord-answers-"))
    ws_path = build(folder, args.seeds)
    questions = load_questions(args.questions)
    lines = [json.loads(line) for line in args.questions.read_text(encoding="utf-8").splitlines() if line.strip()]
    seed_of = {q.id: line.get("seed", "") for q, line in zip(questions, lines, strict=True)}

    seed000 = next(args.seeds.glob(f"{SEED_000}*"))
    segments = json.loads(seed000.read_text(encoding="utf-8"))
    labels = json.loads(args.labels.read_text(encoding="utf-8"))
    gold = [(t, w["gold"]) for w in gold_words(segments, labels) for t in words(w["text"])]
    label_names = {"Speaker 1": "Interviewer", "Speaker 2": "Alexandr Wang"}
    titles = set(json.loads(args.chapters.read_text(encoding="utf-8"))["titles"])
    file_words = {
        "wang": [w for s in segments for w in words(s["text"])],
        "seed003": [
            w
            for n, line in enumerate(next(args.seeds.glob(f"{SEED_003}*")).read_text(encoding="utf-8").splitlines(), 1)
            if n not in titles
            for w in words(line)
        ],
    }

    workspace = Workspace.open(ws_path)
    workspace.update_index()
    rerank_choice.apply(workspace, args)
    plan = {"wang": "000", "seed003": "003"}
    rows = []
    conversation = [0, 0, 0, 0, 0]  # answerable, cited in either answer, follow-ups answered, all new, not said
    every: list[tuple[str, Question, Answer]] = []
    started = time.perf_counter()
    for agent_name, seed in plan.items():
        agent = Agent(workspace, agent_name)
        asked = [q for q in questions if seed_of[q.id] in (seed, "any")]
        answers = [(q, agent.ask(q.question)) for q in asked]
        every += [(agent_name, q, a) for q, a in answers]
        answerable = [(q, a) for q, a in answers if q.answerable]
        uncovered = [(q, a) for q, a in answers if not q.answerable]
        for q, first_answer in answerable:
            more = agent.ask(FOLLOW_UP, [q.question])
            conversation[0] += 1
            conversation[1] += cites_evidence(q, first_answer) or cites_evidence(q, more)
            if more.status == "answered":
                conversation[2] += 1
                conversation[3] += not {c.quote for c in more.citations} & {c.quote for c in first_answer.citations}
            conversation[4] += sum(not said_in(c.quote, file_words[agent_name]) for c in more.citations)
        quotes = [c for _, a in answers for c in a.citations]
        not_said = [c for c in quotes if not said_in(c.quote, file_words[agent_name])]
        wrong = None
        if agent_name == "wang":
            checks = [misattributed(c.quote, c.speaker, gold, label_names) for c in quotes]
            wrong = (sum(bool(x) for x in checks), sum(x is not None for x in checks))
        rows.append(
            (
                agent_name,
                len(answerable),
                sum(a.status == "answered" for _, a in answerable),
                sum(cites_evidence(q, a) for q, a in answerable),
                len(uncovered),
                sum(a.status == "no_answer" for _, a in uncovered),
                len(quotes),
                len(not_said),
                wrong,
            )
        )
    elapsed = time.perf_counter() - started
    turns = {}
    for summary in workspace.store.sources():
        turns[summary.id] = workspace.store.get_source(summary.id).transcript.turns
    all_quotes = [c for _, _, a in every for c in a.citations]
    mid = [c for c in all_quotes if not starts_sentence(c.quote, turns[c.source_id][c.turn])]
    asking = [(q, a) for _, q, a in every if a.status == "answered" and only_asks(a)]

    stage = workspace.second_stage
    floor = "first-stage bar" if stage is None else f"second stage {stage.reranker.name}, bar {stage.operating_point}"
    print(f"seeds: {args.seeds}, questions: {args.questions.name}, no-answer: {floor}")
    print()
    print("| agent | answered | evidence cited | no answer (uncovered) | quotes | not said | seed 000 misattributed |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    total = [0] * 7
    for name, n, answered, cited, m, declined, q, bad, wrong in rows:
        misses = f"{wrong[0]} of {wrong[1]} located" if wrong else "n/a"
        print(
            f"| {name} | {answered}/{n} ({100 * answered / n:.1f}%) | {cited}/{n} ({100 * cited / n:.1f}%) "
            f"| {declined}/{m} | {q} | {bad} | {misses} |"
        )
        for i, value in enumerate((n, answered, cited, m, declined, q, bad)):
            total[i] += value
    n, answered, cited, m, declined, q, bad = total
    print(
        f"| all | {answered}/{n} ({100 * answered / n:.1f}%) | {cited}/{n} ({100 * cited / n:.1f}%) "
        f"| {declined}/{m} ({100 * declined / m:.1f}%) | {q} | {bad} | |"
    )
    n, cited, followed, new, bad = conversation
    print(
        f'\nEvidence cited in the answer or the answer to "{FOLLOW_UP}": {cited}/{n} ({100 * cited / n:.1f}%); '
        f"follow-ups answered {followed}, all quotes new {new}, quotes not said {bad}"
    )
    print(f"\nQuotes starting mid-sentence: {len(mid)} of {len(all_quotes)}")
    for c in mid:
        print(f"   {c.speaker}: {c.quote[:100]}")
    print(f"Answers made only of another speaker's question: {len(asking)}")
    for q, a in asking:
        print(f"   {q.question} -> {a.citations[0].quote[:100]}")
    print(f"\n{len(every)} questions and {n} follow-ups answered in {elapsed:.1f} s in one process")

    print("\nNo-answer threshold sweep (best retrieval score of each question; answerable kept / uncovered declined):")
    print("| threshold | answerable kept | uncovered declined |")
    print("|---:|---:|---:|")
    scored = [(q.answerable, a.score) for _, q, a in every if a.score is not None]
    for threshold in (0.3, 0.35, 0.4, 0.45, 0.5, 0.55, 0.6, 0.65, 0.7):
        kept = sum(s >= threshold for ok, s in scored if ok) / max(1, sum(ok for ok, _ in scored))
        declined_share = sum(s < threshold for ok, s in scored if not ok) / max(1, sum(not ok for ok, _ in scored))
        print(f"| {threshold:.2f} | {100 * kept:.1f}% | {100 * declined_share:.1f}% |")

    batch = [q.question for _, q, _ in every][:50]
    onrecord = Path(sys.executable).with_name("onrecord")
    started = time.perf_counter()
    done = subprocess.run(
        [str(onrecord), "-w", str(ws_path), "ask", "--batch", "-", "--agent", "wang"],
        input="\n".join(batch) + "\n",
        capture_output=True,
        text=True,
        check=True,
    )
    batch_seconds = time.perf_counter() - started
    print(f"\n`onrecord ask --batch` of {len(batch)} questions, new process: {batch_seconds:.2f} s")
    assert len(done.stdout.splitlines()) == len(batch)

    if args.show:
        for agent_name, q, a in every:
            cited = cites_evidence(q, a)
            mark = "" if not q.answerable else (" EVIDENCE" if cited else " miss")
            print(f"\n[{agent_name} {q.id}] {q.question}\n  -> {a.status} (score {a.score}){mark}")
            for c in a.citations:
                print(f"     {c.speaker}: {c.quote[:160]}")


if __name__ == "__main__":
    main()
