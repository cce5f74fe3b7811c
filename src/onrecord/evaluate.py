"""`onrecord eval`: retrieval quality of a workspace on a question file.

A question holds evidence in one of two ways:
- `evidence`: short phrases that the answer must contain (checked in the returned words);
- `evidence_text`: the full text of the evidence turns (as QMSum's turn spans give), and a
  returned passage holds evidence when most of its word 4-grams come from that text.
A question with neither is unanswerable: it measures how well the calibrated score tells
covered from uncovered questions.

Figures: found within the first 50, 100 and 300 words returned, hit@1/3/10, MRR, and for
the score: the ROC AUC of the top score between answerable and unanswerable questions.
Each is measured after the first stage alone and after the second stage (the reranker
reordering the first stage's candidates), so that what each stage adds is visible.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from onrecord.errors import InputError
from onrecord.readers import load
from onrecord.repair.clean import clean
from onrecord.text import clean_text

if TYPE_CHECKING:
    from onrecord.index.search import Hit, Searcher
    from onrecord.store import Scope
    from onrecord.workspace import Workspace

WINDOWS = (50, 100, 300)
HITS_AT = (1, 3, 10)
# A passage holds span evidence when at least this share of its 4-grams are in the evidence.
OVERLAP = 0.5
_WORD = re.compile(r"[a-z0-9$%]+(?:'[a-z]+)?")


def words(text: str) -> list[str]:
    return _WORD.findall(text.lower())


@dataclass(slots=True)
class Question:
    question: str
    phrases: list[str] = field(default_factory=list)
    evidence_text: list[str] = field(default_factory=list)
    id: str = ""

    @property
    def answerable(self) -> bool:
        return bool(self.phrases or self.evidence_text)


def _grams(tokens: Sequence[str], n: int = 4) -> set[tuple[str, ...]]:
    if len(tokens) < n:
        return {tuple(tokens)} if tokens else set()
    return {tuple(tokens[i : i + n]) for i in range(len(tokens) - n + 1)}


class Judge:
    """Decides which returned passages hold a question's evidence."""

    def __init__(self, question: Question) -> None:
        # A phrase also counts as clean verbatim, as answers quote it ("developing um models"
        # is quoted "developing models").
        said = question.phrases + [clean(p) for p in question.phrases]
        self.phrases = list(dict.fromkeys(" ".join(words(p)) for p in said if words(p)))
        self.grams: set[tuple[str, ...]] = set()
        self.tokens: set[str] = set()
        for text in question.evidence_text:
            tokens = words(text)
            self.grams |= _grams(tokens)
            self.tokens |= set(tokens)

    def holds(self, text: str) -> bool:
        tokens = words(text)
        if self.phrases:
            joined = f" {' '.join(tokens)} "
            return any(f" {p} " in joined for p in self.phrases)
        if not tokens:
            return False
        if len(tokens) < 4:
            return all(t in self.tokens for t in tokens)
        grams = _grams(tokens)
        return len(grams & self.grams) >= OVERLAP * len(grams)

    def found_within(self, texts: Sequence[str], limit: int) -> bool:
        """Evidence within the first `limit` words returned."""
        if self.phrases:
            window: list[str] = []
            for text in texts:
                window += words(text)
                if len(window) >= limit:
                    break
            joined = f" {' '.join(window[:limit])} "
            return any(f" {p} " in joined for p in self.phrases)
        offset = 0
        for text in texts:
            if offset >= limit:
                return False
            if self.holds(text):
                return True
            offset += len(words(text))
        return False


@dataclass(slots=True)
class Outcome:
    question: Question
    texts: list[str]
    scores: list[float]
    first_hit: int | None = None
    found: dict[int, bool] = field(default_factory=dict)


def judge(question: Question, texts: list[str], scores: list[float]) -> Outcome:
    outcome = Outcome(question, texts, scores)
    if question.answerable:
        j = Judge(question)
        outcome.first_hit = next((i for i, t in enumerate(texts) if j.holds(t)), None)
        outcome.found = {n: j.found_within(texts, n) for n in WINDOWS}
    return outcome


def run(searcher: Searcher, questions: Sequence[Question], k: int = 10, scope: Scope | None = None) -> list[Outcome]:
    """Search every question with the first stage only (batched) and judge what came back."""
    hits = searcher.search_many([q.question for q in questions], k, scope)
    return [
        judge(q, [h.passage.text for h in found], [h.score for h in found])
        for q, found in zip(questions, hits, strict=True)
    ]


def run_stages(
    workspace: Workspace, questions: Sequence[Question], k: int = 10, scope: Scope | None = None
) -> dict[str, list[Outcome]]:
    """Judge each question's first k results after the first stage and, when a reranker is
    configured, after the second stage reorders the first stage's candidates: {"first":
    outcomes, "second": outcomes} (no "second" without a reranker)."""
    stage = workspace.second_stage
    wide = max(k, workspace.settings.rerank.candidates) if stage is not None else k
    candidates = workspace.searcher.search_many([q.question for q in questions], wide, scope)
    stages = {"first": [_judged(q, found[:k]) for q, found in zip(questions, candidates, strict=True)]}
    if stage is not None:
        stages["second"] = [
            _judged(q, stage.apply(q.question, found)[:k]) for q, found in zip(questions, candidates, strict=True)
        ]
    return stages


def _judged(question: Question, hits: Sequence[Hit]) -> Outcome:
    return judge(question, [h.passage.text for h in hits], [h.score for h in hits])


def auc(positives: Sequence[float], negatives: Sequence[float]) -> float | None:
    """Probability that a random positive outranks a random negative (ties count half)."""
    if not positives or not negatives:
        return None
    wins = sum((p > n) + 0.5 * (p == n) for p in positives for n in negatives)
    return wins / (len(positives) * len(negatives))


def summarise(outcomes: Sequence[Outcome]) -> dict[str, Any]:
    answerable = [o for o in outcomes if o.question.answerable]
    unanswerable = [o for o in outcomes if not o.question.answerable]
    n = len(answerable)
    figures: dict[str, Any] = {"questions": len(outcomes), "answerable": n, "unanswerable": len(unanswerable)}
    if n:
        for limit in WINDOWS:
            figures[f"found_within_{limit}"] = sum(o.found[limit] for o in answerable) / n
        for k in HITS_AT:
            figures[f"hit@{k}"] = sum(o.first_hit is not None and o.first_hit < k for o in answerable) / n
        figures["mrr"] = sum(1 / (o.first_hit + 1) for o in answerable if o.first_hit is not None) / n
    top = [o.scores[0] if o.scores else 0.0 for o in answerable]
    none_top = [o.scores[0] if o.scores else 0.0 for o in unanswerable]
    figures["score_auc"] = auc(top, none_top)
    return figures


def _qmsum(data: dict[str, Any], path: Path) -> list[Question]:
    turns = data.get("meeting_transcripts")
    if not isinstance(turns, list):
        raise InputError("no meeting_transcripts", path=path)
    questions = []
    for n, item in enumerate(data.get("specific_query_list", [])):
        texts = []
        for span in item.get("relevant_text_span", []):
            first, last = int(span[0]), int(span[1])
            texts += [str(turns[i].get("content", "")) for i in range(first, min(last, len(turns) - 1) + 1)]
        questions.append(Question(clean_text(str(item["query"])), evidence_text=texts, id=f"{path.stem}-{n}"))
    return questions


def load_questions(path: Path) -> list[Question]:
    """Questions from a JSONL file (see the module docstring) or a QMSum meeting JSON."""
    data = load(path)  # refuses a device, a FIFO or an oversized file before reading it
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise InputError(f"cannot read the question file: {exc}", path=path) from None
    stripped = text.lstrip()
    if stripped.startswith("{") and "meeting_transcripts" in stripped[:200_000]:
        try:
            return _qmsum(json.loads(text), path)
        except (
            json.JSONDecodeError,
            KeyError,
            ValueError,
            TypeError,
            IndexError,
            OverflowError,
            AttributeError,
        ) as exc:
            raise InputError(f"not a QMSum meeting file: {exc}", path=path) from None
    questions = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            item = json.loads(line)
            question = Question(
                clean_text(str(item["question"])),
                phrases=[str(p) for p in item.get("evidence", [])],
                evidence_text=[str(p) for p in item.get("evidence_text", [])],
                id=str(item.get("id", number)),
            )
        except (json.JSONDecodeError, KeyError, TypeError, AttributeError) as exc:
            raise InputError(f"not a question object: {exc}", path=path, where=f"line {number}") from None
        questions.append(question)
    if not questions:
        raise InputError("no questions in the file", path=path)
    return questions


def format_stages(stages: dict[str, dict[str, Any]]) -> str:
    """Figures of each stage side by side, one row per figure."""
    names = list(stages)
    header = f"{'':<18}" + "".join(f"{name + ' stage':>14}" for name in names)
    rows = [header]
    for key in stages[names[0]]:
        cells = []
        for name in names:
            value = stages[name].get(key)
            shown = "n/a" if value is None else (f"{value:.3f}" if isinstance(value, float) else str(value))
            cells.append(f"{shown:>14}")
        rows.append(f"{key:<18}" + "".join(cells))
    return "\n".join(rows)


def format_table(figures: dict[str, Any]) -> str:
    rows = []
    for key, value in figures.items():
        shown = "n/a" if value is None else (f"{value:.3f}" if isinstance(value, float) else str(value))
        rows.append(f"{key:<18} {shown:>8}")
    return "\n".join(rows)
