"""The JSON API: agents and their answers (documented by OpenAPI at /docs)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from pydantic import BaseModel, Field

from onrecord.serve.service import Service

router = APIRouter(prefix="/api", tags=["answers"])


class AskBody(BaseModel):
    question: str = Field(description="The question, as the asker typed it.")
    history: list[str] = Field(default_factory=list, description="Earlier questions of the conversation.")


def service(request: Request) -> Service:
    found: Service = request.app.state.service
    return found


@router.get("/agents")
def agents(request: Request) -> dict[str, Any]:
    """Every agent of the workspace: name, title and disclosure."""
    cards = service(request).cards
    return {
        "agents": [
            {"name": name, "title": card.title, "disclosure": card.disclosure} for name, card in sorted(cards.items())
        ]
    }


@router.post("/agents/{name}/ask")
def ask(name: str, body: AskBody, request: Request) -> dict[str, Any]:
    """Ask agent `name` a question; the answer has the shape of `onrecord ask --json`."""
    return service(request).ask(name, body.question, body.history).to_json()
