"""What an agent says back: a status, the answer text, and a citation per quote."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

Status = Literal["answered", "no_answer", "deflected", "refused"]
STATUSES: tuple[Status, ...] = ("answered", "no_answer", "deflected", "refused")


@dataclass(slots=True)
class Citation:
    """A quote and the exact moment it comes from.

    `quote` is what the answer shows (clean verbatim when that checks, else verbatim);
    `speaker` is the display name of who said it; `turn` the index of the turn in its source
    (for checking and for transcript links); `own` says it is the agent's own words;
    `chapter` the title of the chapter it is in.
    """

    quote: str
    speaker: str
    source_id: str
    source_title: str
    source_url: str | None
    start: float | None
    end: float | None
    url: str | None
    turn: int
    own: bool = True
    chapter: str | None = None

    def to_json(self) -> dict[str, Any]:
        return {
            "quote": self.quote,
            "speaker": self.speaker,
            "source": {"id": self.source_id, "title": self.source_title, "url": self.source_url},
            "start": self.start,
            "end": self.end,
            "url": self.url,
            "turn": self.turn,
            "chapter": self.chapter,
        }


@dataclass(slots=True)
class Answer:
    """An agent's reply to one question.

    `score` is the best calibrated retrieval score in the agent's sources (None when the
    question never reached retrieval); `topic` the avoided topic matched; `reason` why a
    question was refused or deflected, for logs and insights (never shown to the asker).
    """

    agent: str
    status: Status
    answer: str
    citations: list[Citation] = field(default_factory=list)
    question: str = ""
    score: float | None = None
    topic: str | None = None
    reason: str | None = None

    def to_json(self) -> dict[str, Any]:
        return {
            "agent": self.agent,
            "status": self.status,
            "answer": self.answer,
            "citations": [c.to_json() for c in self.citations],
        }
