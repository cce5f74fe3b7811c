"""The owner's pages: insights behind the owner token, as JSON and as an HTML page that is
made like every other page (pages.py), with headers that forbid framing and caching.

Who the owner is, owner_auth.py decides.
"""

from __future__ import annotations

from typing import Annotated, Any
from urllib.parse import parse_qs

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from onrecord.export.document import player_time
from onrecord.serve.errors import ApiError
from onrecord.serve.owner_auth import COOKIE, check, given
from onrecord.serve.pages import PRIVATE, page
from onrecord.serve.service import Service
from onrecord.serve.web import safe_link

router = APIRouter(tags=["owner"])


def _service(request: Request) -> Service:
    found: Service = request.app.state.service
    return found


@router.get("/api/owner/insights")
def insights_json(
    request: Request,
    agent: Annotated[str | None, Query(description="Only this agent's questions.")] = None,
    since: Annotated[str | None, Query(description="Only questions asked on or after this date (YYYY-MM-DD).")] = None,
) -> dict[str, Any]:
    """What people asked, by day and by topic; what the archive could not answer; the most
    cited moments. The same as `onrecord insights --json`. Needs the owner token."""
    check(request, given(request))
    return _service(request).insights(agent, since)


_MISSING = "Enter the owner token to see what people ask."


def _login(request: Request, message: str, status: int, *, problem: bool = True) -> HTMLResponse:
    return page(request, "owner_login.html", {"message": message, "problem": problem}, status, PRIVATE)


def _moments(cited: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The most cited moments with a link a browser may follow and where in the source they are."""
    return [
        {
            **m,
            "link": safe_link(m["url"]),
            "where": " ".join(filter(None, (player_time(m["start"]), m["chapter"] or ""))),
        }
        for m in cited
    ]


def owner_page_error(request: Request) -> HTMLResponse | None:
    """The login page (with why) when the request is not the owner's, else None."""
    try:
        check(request, given(request))
    except ApiError as exc:
        # A browser has no header to send: it is asked for the token by the form instead.
        if exc.code == "missing_owner_token":
            return _login(request, _MISSING, exc.http_status, problem=False)
        return _login(request, exc.message, exc.http_status)
    return None


def message_page(request: Request, title: str, message: str, back: str, status: int) -> HTMLResponse:
    """A page of the owner's saying what happened, with a link back."""
    return page(request, "message.html", {"title": title, "message": message, "back": back}, status, PRIVATE)


@router.get("/owner", response_class=HTMLResponse, include_in_schema=False)
def owner_page(request: Request) -> HTMLResponse:
    refused = owner_page_error(request)
    if refused is not None:
        return refused
    data = _service(request).insights()
    return page(request, "owner.html", {"data": {**data, "cited": _moments(data["cited"])}}, headers=PRIVATE)


@router.post("/owner/login", include_in_schema=False)
async def login(request: Request) -> Response:
    form = parse_qs((await request.body()).decode("utf-8", "replace"))
    token = (form.get("token") or [""])[0].strip() or None
    try:
        check(request, token)
    except ApiError as exc:
        return _login(request, _MISSING if token is None else exc.message, exc.http_status)
    response = RedirectResponse("/owner", status_code=303, headers=PRIVATE)
    assert token is not None
    response.set_cookie(
        COOKIE, token, httponly=True, samesite="strict", secure=request.url.scheme == "https", max_age=30 * 86400
    )
    return response


@router.post("/owner/logout", include_in_schema=False)
def logout() -> Response:
    response = RedirectResponse("/owner", status_code=303, headers=PRIVATE)
    response.delete_cookie(COOKIE)
    return response
