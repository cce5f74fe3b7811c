"""The web pages, where serving meets people: an agent's chat, transcripts to read, the widget.

Pages are rendered on the server (pages.py); the chat itself is a small plain script in static/ that asks the JSON API.
Every asset is served from here: the pages work offline and load nothing from elsewhere.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from urllib.parse import urlsplit

from fastapi import APIRouter, Request
from fastapi.responses import FileResponse, HTMLResponse, Response

from onrecord.answer.links import moment
from onrecord.errors import NotFoundError
from onrecord.model import Source, Turn
from onrecord.serve.owner_auth import is_owner
from onrecord.serve.pages import page
from onrecord.serve.service import Service

router = APIRouter(include_in_schema=False)

_HERE = Path(__file__).parent
STATIC = _HERE / "static"

_STATIC_TYPES = {".css": "text/css", ".js": "text/javascript", ".svg": "image/svg+xml"}


@cache
def _static_files() -> frozenset[str]:
    # Only files that ship in static/ are served: a name is never joined into a path unchecked.
    return frozenset(p.name for p in STATIC.iterdir() if p.suffix in _STATIC_TYPES)


def safe_link(url: str | None) -> str | None:
    """`url` when a browser may follow it (http or https); never a javascript: or data: URL."""
    if url and urlsplit(url).scheme.lower() in ("http", "https"):
        return url
    return None


def _service(request: Request) -> Service:
    found: Service = request.app.state.service
    return found


def _not_found(request: Request, what: str) -> HTMLResponse:
    return page(request, "not_found.html", {"what": what}, status_code=404)


@router.get("/", response_class=HTMLResponse)
def index(request: Request) -> HTMLResponse:
    """The agents of the workspace and the sources they answer from."""
    service = _service(request)
    return page(request, "index.html", {"agents": sorted(service.cards.items()), "sources": service.sources()})


@router.get("/agents/{name}", response_class=HTMLResponse)
def chat(request: Request, name: str, embed: bool = False) -> HTMLResponse:
    """The web chat with agent `name`; `embed=1` is the compact page the widget frames."""
    card = _service(request).cards.get(name)
    if card is None:
        return _not_found(request, f"There is no agent named “{name}” here.")
    return page(request, "chat.html", {"name": name, "card": card, "embed": embed})


@dataclass(slots=True, frozen=True)
class _TurnView:
    index: int
    speaker: str
    turn: Turn
    chapter: str | None
    play: str | None
    uncertain: bool
    # Each sentence's first words, for the owner's "split here" choice.
    sentences: list[str]


@router.get("/sources/{source_id}", response_class=HTMLResponse)
def transcript(request: Request, source_id: str) -> HTMLResponse:
    """A source's repaired transcript: chapters, then every turn with its anchor `turn-N`; a
    turn whose speaker is uncertain says so. The owner (logged in at /owner) also gets a
    form per turn to set its speaker, split it or merge it with the next."""
    service = _service(request)
    try:
        source = service.source(source_id)
    except NotFoundError:
        return _not_found(request, f"There is no source with id “{source_id}” here.")
    bar = service.workspace.settings.speakers.min_confidence
    context = {
        "source": source,
        "url": safe_link(source.url),
        "turns": _turns(source, bar),
        "owner": is_owner(request),
        "speakers": [speaker.display for speaker in source.transcript.speakers],
    }
    return page(request, "transcript.html", context)


# The words of a sentence shown where the owner picks where a split goes.
_SENTENCE_GLIMPSE = 8


def _turns(source: Source, bar: float) -> list[_TurnView]:
    transcript = source.transcript
    titles: dict[int, list[str]] = {}
    for chapter in transcript.chapters:
        titles.setdefault(chapter.turn, []).append(chapter.title)
    # Two chapters starting at one turn read as one heading.
    chapters = {turn: " / ".join(names) for turn, names in titles.items()}
    url = safe_link(source.url)
    return [
        _TurnView(
            index=i,
            speaker=transcript.speaker_name(turn.speaker),
            turn=turn,
            chapter=chapters.get(i),
            play=moment(url, turn.start) if url and turn.start is not None else None,
            uncertain=turn.confidence < bar,
            sentences=[" ".join(turn.text[s.begin : s.end].split()[:_SENTENCE_GLIMPSE]) for s in turn.sentences],
        )
        for i, turn in enumerate(transcript.turns)
    ]


@router.get("/widget", response_class=HTMLResponse)
def widget_page(request: Request) -> HTMLResponse:
    """How to put an agent on another site: the script tag for each agent, and the widget itself."""
    service = _service(request)
    base = str(request.base_url).rstrip("/")
    return page(request, "widget.html", {"agents": sorted(service.cards.items()), "base": base})


@router.get("/widget.js")
def widget_script(request: Request) -> Response:
    """The script another site includes to open a chat with an agent (see docs/web.md), with
    the agents' titles filled in for its button."""
    titles = {name: card.title for name, card in _service(request).cards.items()}
    # ASCII JSON is a JavaScript literal that no title can break out of.
    script = (STATIC / "widget.js").read_text(encoding="utf-8")
    script = script.replace("var TITLES = {};", f"var TITLES = {json.dumps(titles, ensure_ascii=True)};", 1)
    return Response(script, media_type=_STATIC_TYPES[".js"], headers={"Cache-Control": "no-cache"})


@router.get("/favicon.ico")
def favicon() -> FileResponse:
    """The icon browsers ask for by this name; it is the SVG the pages link to."""
    return _static("favicon.svg")


@router.get("/static/{name}")
def static(name: str) -> Response:
    if name not in _static_files():
        return Response("not found", status_code=404, media_type="text/plain")
    return _static(name)


def _static(name: str) -> FileResponse:
    path = STATIC / name
    # Revalidated on each load (cheap, with the ETag) so that an upgrade is seen at once.
    return FileResponse(path, media_type=_STATIC_TYPES[path.suffix], headers={"Cache-Control": "no-cache"})
