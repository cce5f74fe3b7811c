"""Training and evaluation groups for the answer selector: a question, and the first stage's
candidates for it, each labelled 1 (it answers) or 0.

    python training/selector_pairs.py OUT.jsonl --qmsum ../shared/data/qmsum/train/*.json \
        --friendsqa /path/to/friendsqa_tst.json --dialogue ../shared/data/changelog/*.md \
        --dialogue ../shared/data/qmsum/train/*.json

Every transcript goes through onrecord's own import, repair, cutting and first-stage search
(the library, in a temporary workspace), so the selector learns on candidates as it will meet
them. Three kinds of group:

- `qmsum`: QMSum's specific queries; a passage answers when it lies in the query's evidence
  turns (evaluate.Judge, as `onrecord eval` judges). Queries whose evidence spans more than
  MAX_SPAN_TURNS turns are left out (a "summarise the whole meeting" query labels everything).
- `friendsqa`: FriendsQA questions over TV-show scenes; a passage answers when it holds the
  answer utterance's words (and the answer's words, for a span answer).
- `dialogue`: questions asked inside a transcript (a turn that asks, then another speaker's
  long turn): the question is the query, the first passages of the turn that follows are the
  answer, and the passages right after the question that are not labelled are left out. The
  answer's prompt is the question itself, so the query is the question with a share of its
  words dropped (QUERY_DROPOUT), as an audience would ask it in other words; with
  --no-prompts, no candidate shows its prompt at all.

Candidates are the first stage's best CANDIDATES for the question within its source, plus
any answering passage it missed (the selector must learn the answer wherever it is).
"""

from __future__ import annotations

import argparse
import json
import random
import re
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))

import friendsqa
from onrecord import evaluate, importer
from onrecord.model import Passage
from onrecord.rerank.candidates import candidate_text
from onrecord.store import Scope
from onrecord.workspace import Workspace

CANDIDATES = 16
MAX_SPAN_TURNS = 40
# A QMSum passage shorter than this is not labelled as answering ("Mm-hmm." inside the
# evidence turns answers nothing), and at most MISSED answering passages the first stage
# did not find are added to a group.
MIN_ANSWER_WORDS = 8
MISSED = 3
# A dialogue question: its words (at most), and the answering turn's least words.
QUESTION_WORDS = 40
ANSWER_WORDS = 20
# Passages of the answering turn labelled as answering.
ANSWER_PASSAGES = 2
# Share of a dialogue question's content words dropped from the query.
QUERY_DROPOUT = 0.3
_SENTENCE = re.compile(r"[^.!?]*[.!?]+|[^.!?]+$")


def _workspace(folder: Path, files: list[Path]) -> Workspace:
    workspace = Workspace.init(folder)
    report = importer.import_paths(workspace.store, files, importer.ImportOptions())
    for error in report.failed:
        print(f"warning: {error}", file=sys.stderr)
    workspace.update_index()
    return workspace


def _source_of(workspace: Workspace) -> dict[str, str]:
    """Imported file path -> source id."""
    return {str(s.path): s.id for s in workspace.store.iter_sources()}


class _Sources:
    """Passages of one source by id, and readable speaker names."""

    def __init__(self, workspace: Workspace, source_id: str) -> None:
        store = workspace.store
        scope = Scope(source_ids=frozenset([source_id]))
        ids = store.scope_ids(scope) or set()
        self.passages = {p.id: p for p in store.passages(sorted(ids)) if p.id is not None}
        self.names = store.speaker_names(source_id)
        self.scope = scope

    def item(self, passage: Passage, label: int, rank: int | None, prompt: bool = True) -> dict[str, object]:
        speaker = self.names.get(passage.speaker, passage.speaker)
        return {
            "id": passage.id,
            "text": candidate_text(passage.text, speaker, passage.prompt if prompt else ""),
            "label": label,
            "rank": rank,
        }


def _group(
    workspace: Workspace,
    sources: _Sources,
    query: str,
    answers: set[int],
    *,
    corpus: str,
    group_id: str,
    prompt: bool = True,
    leave_out: set[int] | frozenset[int] = frozenset(),
) -> dict[str, object] | None:
    if not answers:
        return None
    hits = workspace.searcher.search(query, CANDIDATES, sources.scope)
    items = []
    seen: set[int] = set()
    for rank, hit in enumerate(hits):
        pid = hit.passage.id
        if pid is None or pid in leave_out:
            continue
        items.append(sources.item(hit.passage, int(pid in answers), rank, prompt))
        seen.add(pid)
    for pid in sorted(answers - seen)[:MISSED]:
        items.append(sources.item(sources.passages[pid], 1, None, prompt))
    return {"id": group_id, "corpus": corpus, "query": query, "items": items}


def qmsum_groups(files: list[Path]) -> Iterator[dict[str, object]]:
    with tempfile.TemporaryDirectory() as tmp:
        workspace = _workspace(Path(tmp) / "ws", files)
        ids = _source_of(workspace)
        for path in files:
            if str(path) not in ids:
                continue
            sources = _Sources(workspace, ids[str(path)])
            data = json.loads(path.read_text(encoding="utf-8"))
            spans = [item.get("relevant_text_span", []) for item in data.get("specific_query_list", [])]
            for question, span in zip(evaluate.load_questions(path), spans, strict=True):
                width = sum(int(b) - int(a) + 1 for a, b in span)
                if width > MAX_SPAN_TURNS:
                    continue
                judge = evaluate.Judge(question)
                answers = {
                    pid for pid, p in sources.passages.items() if p.words >= MIN_ANSWER_WORDS and judge.holds(p.text)
                }
                group = _group(workspace, sources, question.question, answers, corpus="qmsum", group_id=question.id)
                if group is not None:
                    yield group
        workspace.close()


def friendsqa_answers(sources: _Sources, scene: friendsqa.Scene, question: dict[str, object]) -> set[int]:
    """The passages holding one of the question's answers: inside the answer's utterance,
    and holding the answer's words for a span answer."""
    answers: set[int] = set()
    for answer in question["answers"]:  # type: ignore[attr-defined]
        said = scene.utterance(int(answer["utterance_id"]))
        if said is None:
            continue
        line = f" {' '.join(evaluate.words(said))} "
        phrase = (
            "" if answer.get("is_speaker") else " ".join(evaluate.words(friendsqa.detokenize(answer["answer_text"])))
        )
        for pid, passage in sources.passages.items():
            joined = f" {' '.join(evaluate.words(passage.text))} "
            inside = joined.strip() and (joined in line or line in joined)
            if inside and (not phrase or f" {phrase} " in joined):
                answers.add(pid)
    return answers


def friendsqa_groups(path: Path) -> Iterator[dict[str, object]]:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "scenes"
        folder.mkdir()
        written = friendsqa.write_scenes(path, folder)
        workspace = _workspace(Path(tmp) / "ws", [file for file, _ in written])
        ids = _source_of(workspace)
        for file, scene in written:
            if str(file) not in ids:
                continue
            sources = _Sources(workspace, ids[str(file)])
            for question in scene.questions:
                answers = friendsqa_answers(sources, scene, question)
                group_id = f"{scene.id}-{question['id']}"
                query = str(question["question"])
                group = _group(workspace, sources, query, answers, corpus="friendsqa", group_id=group_id)
                if group is not None:
                    yield group
        workspace.close()


def _question_of(text: str) -> str:
    """The question a turn ends on: its last sentences that ask, at most QUESTION_WORDS words."""
    sentences = [s.strip() for s in _SENTENCE.findall(text) if s.strip()]
    asked: list[str] = []
    for sentence in reversed(sentences):
        if not sentence.endswith("?") and asked:
            break
        if sentence.endswith("?"):
            asked.insert(0, sentence)
        if len(" ".join(asked).split()) >= QUESTION_WORDS // 2:
            break
    return " ".join(" ".join(asked).split()[-QUESTION_WORDS:])


def _reworded(question: str, rng: random.Random) -> str:
    """The question with about QUERY_DROPOUT of its longer words left out (never all)."""
    words = question.split()
    kept = [w for w in words if len(w) <= 3 or rng.random() >= QUERY_DROPOUT]
    return " ".join(kept) if len(kept) >= 3 else question


def dialogue_groups(
    files: list[Path], per_source: int, seed: int = 7, prompts: bool = True
) -> Iterator[dict[str, object]]:
    rng = random.Random(seed)
    with tempfile.TemporaryDirectory() as tmp:
        workspace = _workspace(Path(tmp) / "ws", files)
        for summary in workspace.store.sources():
            source = workspace.store.get_source(summary.id)
            sources = _Sources(workspace, summary.id)
            by_turn: dict[int, list[int]] = {}
            for pid in sorted(sources.passages):
                by_turn.setdefault(sources.passages[pid].turn, []).append(pid)
            turns = source.transcript.turns
            pairs = []
            for i in range(len(turns) - 1):
                asking, answering = turns[i], turns[i + 1]
                if asking.teaser or answering.speaker == asking.speaker or answering.teaser:
                    continue
                if not asking.text.rstrip().endswith("?") or len(answering.text.split()) < ANSWER_WORDS:
                    continue
                query = _question_of(asking.text)
                if len(query.split()) < 4 or i + 1 not in by_turn:
                    continue
                pairs.append((i, query))
            rng.shuffle(pairs)
            for i, query in pairs[:per_source]:
                answers = set(by_turn[i + 1][:ANSWER_PASSAGES])
                nearby = {pid for t in range(i + 1, i + 5) for pid in by_turn.get(t, [])} - answers
                group = _group(
                    workspace,
                    sources,
                    _reworded(query, rng) if prompts else query,
                    answers,
                    corpus="dialogue",
                    group_id=f"{summary.id}-{i}",
                    prompt=prompts,
                    leave_out=nearby,
                )
                if group is not None:
                    yield group
        workspace.close()


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("out", type=Path)
    parser.add_argument("--qmsum", type=Path, nargs="*", default=[])
    parser.add_argument("--friendsqa", type=Path, nargs="*", default=[])
    parser.add_argument("--dialogue", type=Path, nargs="*", default=[])
    parser.add_argument("--per-source", type=int, default=40, help="dialogue questions taken per transcript")
    parser.add_argument("--no-prompts", action="store_true", help="dialogue candidates without their prompts")
    args = parser.parse_args(argv)
    counts: dict[str, list[int]] = {}
    with args.out.open("w", encoding="utf-8") as out:
        streams: list[Iterator[dict[str, object]]] = []
        if args.qmsum:
            streams.append(qmsum_groups(sorted(args.qmsum)))
        for path in args.friendsqa:
            streams.append(friendsqa_groups(path))
        if args.dialogue:
            streams.append(dialogue_groups(sorted(args.dialogue), args.per_source, prompts=not args.no_prompts))
        for stream in streams:
            for group in stream:
                out.write(json.dumps(group) + "\n")
                tally = counts.setdefault(str(group["corpus"]), [0, 0, 0])
                items = group["items"]
                assert isinstance(items, list)
                tally[0] += 1
                tally[1] += len(items)
                tally[2] += sum(int(item["label"]) for item in items)
    for corpus, (groups, pairs, positives) in counts.items():
        print(f"{corpus}: {groups} questions, {pairs} pairs, {positives} answering")


if __name__ == "__main__":
    main()
