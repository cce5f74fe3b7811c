"""Citations as the server hands them out: every one has a link a reader can follow.

A quote from a source with times links to its moment in the media; one without (a document,
caption text without timestamps) had no link at all. The server, which knows its own
address, links it to the quoted turn on its transcript page instead.
"""

from __future__ import annotations

from dataclasses import replace
from urllib.parse import quote

from fastapi import Request

from onrecord.answer import Answer


def transcript_link(request: Request, source_id: str, turn: int) -> str:
    """The absolute URL of turn `turn` on the transcript page of `source_id`."""
    base = str(request.base_url).rstrip("/")
    return f"{base}/sources/{quote(source_id, safe='')}#turn-{turn}"


def linked(answer: Answer, request: Request) -> Answer:
    """`answer` with each citation that has no time linked to its turn in the transcript."""
    citations = [
        c if c.start is not None else replace(c, url=transcript_link(request, c.source_id, c.turn))
        for c in answer.citations
    ]
    return replace(answer, citations=citations)
