"""Rows as both backends store them, turned back into the product's nouns, and the SQL of a scope."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

from onrecord.errors import ConflictError
from onrecord.model import Edit, Passage, Sentence, Turn
from onrecord.store.types import CitedMoment, LoggedQuestion, Scope

# Passage columns in the order both backends insert them.
PASSAGE_COLUMNS = (
    "source_id",
    "turn",
    "begin",
    '"end"',
    "speaker",
    "text",
    "prompt",
    "prompt_turn",
    "chapter",
    "context",
    "start",
    "stop",
    "asks",
    "lead_in",
)


# Turn columns in the order both backends insert them.
TURN_COLUMNS = (
    "source_id",
    "idx",
    "speaker",
    "text",
    "clean_text",
    "start",
    '"end"',
    "teaser",
    "sentences",
    "anchors",
    "confidence",
)


def sentences_json(turn: Turn) -> str:
    return json.dumps([[s.begin, s.end, s.start, s.stop] for s in turn.sentences])


def turn_values(source_id: str, idx: int, turn: Turn) -> tuple[Any, ...]:
    """A turn's values in TURN_COLUMNS order (`teaser` as a bool: SQLite stores it as 0/1)."""
    return (
        source_id,
        idx,
        turn.speaker,
        turn.text,
        turn.clean_text,
        turn.start,
        turn.end,
        turn.teaser,
        sentences_json(turn),
        json.dumps(turn.anchors),
        turn.confidence,
    )


def turn_from(row: Any) -> Turn:
    """A stored turn from a row with its columns by name (sentences and anchors as JSON)."""
    return Turn(
        speaker=row["speaker"],
        text=row["text"],
        clean_text=row["clean_text"],
        start=row["start"],
        end=row["end"],
        teaser=bool(row["teaser"]),
        sentences=[Sentence(*s) for s in json.loads(row["sentences"])],
        anchors=[(a, t) for a, t in json.loads(row["anchors"])],
        confidence=row["confidence"],
    )


def edit_values(edit: Edit) -> tuple[str, str, str]:
    """An owner's edit as (kind, data as JSON, when it was made: now if not known)."""
    return edit.kind, json.dumps(edit.data), edit.made or datetime.now(UTC).isoformat(timespec="seconds")


def edit_from(row: Any) -> Edit:
    """An edit from a row of (kind, data as JSON, made)."""
    return Edit(row[0], json.loads(row[1]), row[2])


def stale(source_id: str) -> ConflictError:
    """The refusal of a write made from a read of a source older than the stored one."""
    return ConflictError(
        f"source {source_id} was changed by another process while this change was made; nothing was changed: try again"
    )


def context(passage: Passage, names: dict[str, str], title: str) -> str:
    """The labels a passage is also found by: who said it, its chapter, its source's title."""
    return " ".join(filter(None, (names.get(passage.speaker, passage.speaker), passage.chapter, title)))


def passage_values(passage: Passage, names: dict[str, str], title: str) -> tuple[Any, ...]:
    """A passage's values in PASSAGE_COLUMNS order."""
    return (
        passage.source_id,
        passage.turn,
        passage.begin,
        passage.end,
        passage.speaker,
        passage.text,
        passage.prompt,
        passage.prompt_turn,
        passage.chapter,
        context(passage, names, title),
        passage.start,
        passage.stop,
        passage.asks,
        passage.lead_in,
    )


def passage_from(row: Any) -> Passage:
    """A stored passage from a row with its columns by name."""
    return Passage(
        source_id=row["source_id"],
        turn=row["turn"],
        begin=row["begin"],
        end=row["end"],
        speaker=row["speaker"],
        text=row["text"],
        prompt=row["prompt"],
        prompt_turn=row["prompt_turn"],
        chapter=row["chapter"],
        start=row["start"],
        stop=row["stop"],
        id=row["id"],
        asks=bool(row["asks"]),
        lead_in=row["lead_in"],
    )


def scope_sql(scope: Scope | None, mark: str = "?") -> tuple[str, list[object]]:
    """A WHERE clause over passages `p` for `scope`, and its parameters."""
    clauses: list[str] = []
    params: list[object] = []
    if scope is not None and scope.source_ids is not None:
        clauses.append(f"p.source_id IN ({','.join([mark] * len(scope.source_ids)) or 'NULL'})")
        params += sorted(scope.source_ids)
    if scope is not None and scope.speakers is not None:
        marks = ",".join([mark] * len(scope.speakers)) or "NULL"
        clauses.append(
            "EXISTS (SELECT 1 FROM speakers s WHERE s.source_id = p.source_id AND s.label = p.speaker"
            f" AND (lower(s.label) IN ({marks}) OR lower(s.name) IN ({marks})))"
        )
        params += sorted(name.lower() for name in scope.speakers) * 2
    if scope is not None and scope.sure is not None:
        clauses.append(
            f"(SELECT t.confidence FROM turns t WHERE t.source_id = p.source_id AND t.idx = p.turn) >= {mark}"
        )
        params.append(scope.sure)
    return (" AND ".join(clauses) or "1 = 1"), params


def cited_json(entry: LoggedQuestion) -> str:
    return json.dumps([[m.source_id, m.turn, m.start, m.quote] for m in entry.cited])


def question_from(row: Any) -> LoggedQuestion:
    """A logged question from a row with its columns by name (cited moments as JSON)."""
    return LoggedQuestion(
        asked=row["asked"],
        agent=row["agent"],
        question=row["question"],
        status=row["status"],
        score=row["score"],
        topic=row["topic"],
        # Rows logged before quotes were kept have three fields.
        cited=tuple(CitedMoment(*moment) for moment in json.loads(row["cited"])),
        id=row["id"],
    )


def questions_sql(agent: str | None, since: str | None, limit: int | None, mark: str = "?") -> tuple[str, list[str]]:
    """The query for logged questions, newest first, and its parameters."""
    clauses, params = [], []
    if agent is not None:
        clauses.append(f"agent = {mark}")
        params.append(agent)
    if since is not None:
        clauses.append(f"asked >= {mark}")
        params.append(since)
    sql = f"SELECT * FROM questions WHERE {' AND '.join(clauses) or '1 = 1'} ORDER BY asked DESC, id DESC"
    if limit is not None:
        sql += f" LIMIT {int(limit)}"
    return sql, params
