"""Rows as both backends store them, turned back into the product's nouns."""

from __future__ import annotations

import json
from typing import Any

from onrecord.model import Passage, Sentence, Turn

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


def sentences_json(turn: Turn) -> str:
    return json.dumps([[s.begin, s.end, s.start, s.stop] for s in turn.sentences])


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
