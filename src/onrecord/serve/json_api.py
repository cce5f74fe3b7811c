"""The JSON API: agents, their answers, search, sources and transcripts (OpenAPI at /docs)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request
from pydantic import BaseModel, Field

from onrecord.serve.citations import linked
from onrecord.serve.limits import rate_limited
from onrecord.serve.questions import check_question, check_unicode, recent
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


@router.post("/agents/{name}/ask", dependencies=[Depends(rate_limited)])
def ask(name: str, body: AskBody, request: Request) -> dict[str, Any]:
    """Ask agent `name` a question; the answer has the shape of `onrecord ask --json`.

    `history` holds the earlier questions of the conversation, oldest first, so that a
    follow-up ("and why?") is read against them.
    """
    served = service(request)
    question = check_question(body.question, served.settings, "question")
    return linked(served.ask(name, question, recent(body.history, served.settings)), request).to_json()


@router.get("/search", dependencies=[Depends(rate_limited)])
def search(
    request: Request,
    q: Annotated[str, Query(min_length=1, max_length=2000, description="What to search for.")],
    agent: Annotated[str | None, Query(description="Search only this agent's sources.")] = None,
    k: Annotated[int, Query(ge=1, le=50, description="How many results.")] = 5,
) -> dict[str, Any]:
    """The passages that best answer `q`, best first: the shape of `onrecord search --json`.

    Without `agent`, searches the sources of every agent (never a source no agent draws on).
    """
    return service(request).search(check_unicode(q, "q"), agent, k)


@router.get("/sources", tags=["sources"])
def sources(request: Request) -> dict[str, Any]:
    """The sources the agents draw on: the shape of `onrecord sources --json`."""
    return {"sources": service(request).sources_json()}


@router.get("/sources/{source_id}", tags=["sources"])
def transcript(source_id: str, request: Request) -> dict[str, Any]:
    """One source's repaired transcript: the shape of `onrecord show SOURCE_ID --as json`."""
    return service(request).transcript(source_id)
