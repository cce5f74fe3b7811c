"""Insights for the owner, the last step after serving: what people ask, by topic, what the
archive could not answer, and which moments answers quote most.

Questions asked over HTTP are logged (`log_answer`, redacted first); `insights` reads the
log back. Questions are grouped into topics by meaning: each question joins the topic of
the most similar earlier question when their embeddings are close enough, else starts one.
A follow-up that only asks for more ("why?") is counted, but is not a topic; questions kept
to the owner's boundaries (deflected) are listed apart from those the archive could not answer.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from onrecord.answer import Answer
from onrecord.answer.followup import asks_for_more
from onrecord.answer.links import moment
from onrecord.errors import InputError
from onrecord.index.embed import EmbeddingModel, embed, get_model
from onrecord.model import Source
from onrecord.redact import redact
from onrecord.store import CitedMoment, LoggedQuestion, Store
from onrecord.workspace import Workspace

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt

    Vector = npt.NDArray[np.float32]

# Two questions whose embeddings are at least this similar (cosine) share a topic.
TOPIC_SIMILARITY = 0.55
# Questions read back for insights: the newest ones.
MAX_QUESTIONS = 5000
# Topics, unanswered topics and moments listed; examples per topic.
TOP = 15
EXAMPLES = 3
# Characters of a cited turn shown.
QUOTE_CHARS = 240


def log_answer(
    store: Store, answer: Answer, *, asked: datetime | None = None, vector: tuple[str, Vector] | None = None
) -> int:
    """Log a question and what became of it; emails and phone numbers are redacted first.
    `vector` is (model name, the redacted question's vector), kept so that insights need
    not embed the question again."""
    when = (asked or datetime.now(UTC)).astimezone(UTC).isoformat(timespec="seconds")
    cited = tuple(CitedMoment(c.source_id, c.turn, c.start, c.quote) for c in answer.citations)
    entry = LoggedQuestion(
        when, answer.agent, redact(answer.question), answer.status, answer.score, answer.topic, cited
    )
    return store.log_question(entry, vector)


def _vectors(
    workspace: Workspace, questions: Sequence[LoggedQuestion], model: EmbeddingModel | None = None
) -> dict[str, Vector]:
    """Each distinct question's unit-length embedding: the one stored when it was logged,
    else embedded now (questions logged before vectors were kept, or by another model)."""
    model = model or get_model(workspace.settings.embedding.model)
    stored = workspace.store.question_vectors(model.name, [q.id for q in questions if q.id is not None])
    vectors: dict[str, Vector] = {}
    for q in questions:
        if q.id in stored:
            vectors.setdefault(q.question.strip(), stored[q.id])
    texts = [t for t in dict.fromkeys(q.question.strip() for q in questions) if t not in vectors]
    if texts:
        # In batches of like length (one long question would pad every other to its length).
        fresh = embed(model, texts, batch_size=workspace.settings.embedding.batch_size)
        vectors.update(zip(texts, fresh, strict=True))
    return vectors


def _topics(questions: Sequence[LoggedQuestion], vector: dict[str, Vector]) -> list[dict[str, Any]]:
    """The questions grouped by meaning, biggest topic first; a topic is named by its first question."""
    import numpy as np

    counts = Counter(q.question.strip() for q in questions)
    texts = list(counts)  # first-asked order
    if not texts:
        return []
    vectors = np.stack([vector[t] for t in texts])
    leaders: list[int] = []
    members: list[list[str]] = []
    for i, text in enumerate(texts):
        if leaders:
            similarity = vectors[leaders] @ vectors[i]
            best = int(np.argmax(similarity))
            if similarity[best] >= TOPIC_SIMILARITY:
                members[best].append(text)
                continue
        leaders.append(i)
        members.append([text])
    statuses: dict[str, Counter[str]] = {}
    for q in questions:
        statuses.setdefault(q.question.strip(), Counter())[q.status] += 1
    topics: list[dict[str, Any]] = []
    for leader, texts_in in zip(leaders, members, strict=True):
        status: Counter[str] = Counter()
        for text in texts_in:
            status.update(statuses[text])
        examples = sorted(texts_in, key=lambda t: -counts[t])[:EXAMPLES]
        topics.append(
            {
                "topic": texts[leader],
                "questions": sum(counts[t] for t in texts_in),
                "statuses": dict(status.most_common()),
                "examples": examples,
            }
        )
    topics.sort(key=lambda t: -t["questions"])
    return topics[:TOP]


def _over_time(questions: Sequence[LoggedQuestion]) -> list[dict[str, Any]]:
    days: dict[str, Counter[str]] = {}
    for q in questions:
        days.setdefault(q.asked[:10], Counter())[q.status] += 1
    return [{"day": day, "questions": sum(c.values()), "statuses": dict(c)} for day, c in sorted(days.items())]


def _chapter(source: Source, turn: int) -> str | None:
    title = None
    for chapter in source.transcript.chapters:
        if chapter.turn <= turn:
            title = chapter.title
    return title


def _cited(store: Store, questions: Sequence[LoggedQuestion]) -> list[dict[str, Any]]:
    counts = Counter((m.source_id, m.turn) for q in questions for m in q.cited)
    # The words quoted most from each turn: what people were shown, not where the turn starts.
    quotes: dict[tuple[str, int], Counter[str]] = {}
    for m in (m for q in questions for m in q.cited if m.quote):
        quotes.setdefault((m.source_id, m.turn), Counter())[" ".join(str(m.quote).split())] += 1
    sources: dict[str, Source | None] = {s.id: None for s in store.sources()}
    moments = []
    for (source_id, turn), count in counts.most_common():
        if source_id not in sources:
            continue  # removed since
        source = sources[source_id]
        if source is None:
            source = sources[source_id] = store.get_source(source_id)
        turns = source.transcript.turns
        if not 0 <= turn < len(turns):
            continue
        said = turns[turn]
        quoted = quotes.get((source_id, turn))
        text = quoted.most_common(1)[0][0] if quoted else " ".join(said.clean_text.split())
        moments.append(
            {
                "source": {"id": source.id, "title": source.title, "url": source.url},
                "turn": turn,
                "speaker": source.transcript.speaker_name(said.speaker),
                "chapter": _chapter(source, turn),
                "start": said.start,
                "url": moment(source.url, said.start),
                "text": text if len(text) <= QUOTE_CHARS else text[: QUOTE_CHARS - 1].rstrip() + "…",
                "citations": count,
            }
        )
        if len(moments) == TOP:
            break
    return moments


def insights(
    workspace: Workspace,
    *,
    agent: str | None = None,
    since: str | None = None,
    model: EmbeddingModel | None = None,
) -> dict[str, Any]:
    """What people asked (the newest MAX_QUESTIONS), for the owner page and `onrecord insights`;
    `since` is an ISO date or time (InputError otherwise); `model` embeds questions logged
    without a vector (the workspace's model by default)."""
    if since is not None:
        try:
            datetime.fromisoformat(since)
        except ValueError:
            raise InputError(f"not an ISO date or time: {since!r} (e.g. 2026-11-01)", path="since") from None
    store = workspace.store
    questions = store.logged_questions(agent=agent, since=since, limit=MAX_QUESTIONS)
    # "why?" or "tell me more" is part of the conversation it follows, not a topic of its own.
    topical = [q for q in questions if not asks_for_more(q.question.strip())]
    vector = _vectors(workspace, topical, model)
    return {
        "questions": len(questions),
        "first": questions[0].asked if questions else None,
        "last": questions[-1].asked if questions else None,
        "statuses": dict(Counter(q.status for q in questions).most_common()),
        "over_time": _over_time(questions),
        "follow_ups": len(questions) - len(topical),
        "topics": _topics(topical, vector),
        "unanswered": _topics([q for q in topical if q.status == "no_answer"], vector),
        "deflected": _topics([q for q in topical if q.status == "deflected"], vector),
        "cited": _cited(store, questions),
        "logging": workspace.settings.serve.log_questions,
    }
