"""The owner's pages: insights behind the owner token, as JSON and as one plain HTML page.

The token comes as `Authorization: Bearer TOKEN` or in the `onrecord_owner` cookie that the
login form sets; it is never part of a URL. No token sent: 401; a wrong one: 403.
"""

from __future__ import annotations

from html import escape
from typing import Annotated, Any
from urllib.parse import parse_qs

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from onrecord import owner
from onrecord.export.document import player_time
from onrecord.serve.errors import ApiError
from onrecord.serve.service import Service

router = APIRouter(tags=["owner"])

COOKIE = "onrecord_owner"


def _service(request: Request) -> Service:
    found: Service = request.app.state.service
    return found


def _given(request: Request) -> str | None:
    header = request.headers.get("authorization", "")
    scheme, _, value = header.partition(" ")
    if scheme.lower() == "bearer" and value.strip():
        return value.strip()
    return request.cookies.get(COOKIE)


def _check(request: Request, given: str | None) -> None:
    expected = owner.token(_service(request).workspace)
    if expected is None:
        raise ApiError("no owner token is set: run `onrecord token` on the server", 401, code="no_owner_token")
    if given is None:
        raise ApiError(
            "the owner token is missing: send it as `Authorization: Bearer TOKEN`",
            401,
            code="missing_owner_token",
            headers={"WWW-Authenticate": "Bearer"},
        )
    if not owner.matches(expected, given):
        raise ApiError("the owner token is wrong", 403, code="invalid_owner_token")


def is_owner(request: Request) -> bool:
    """Whether the request carries the owner token (header or the login cookie)."""
    try:
        _check(request, request.cookies.get(COOKIE) or _given(request))
    except ApiError:
        return False
    return True


def owner_page_error(request: Request) -> HTMLResponse | None:
    """The login page (with why) when the request is not the owner's, else None."""
    try:
        _check(request, request.cookies.get(COOKIE) or _given(request))
    except ApiError as exc:
        return _login(exc.message, exc.http_status)
    return None


def message_page(title: str, message: str, back: str, status: int) -> HTMLResponse:
    """A plain page saying what happened, with a link back."""
    return _page(
        title, f'<h1>{escape(title)}</h1><p>{escape(message)}</p><p><a href="{escape(back)}">Back</a></p>', status
    )


@router.get("/api/owner/insights")
def insights_json(
    request: Request,
    agent: Annotated[str | None, Query(description="Only this agent's questions.")] = None,
    since: Annotated[str | None, Query(description="Only questions asked on or after this date (YYYY-MM-DD).")] = None,
) -> dict[str, Any]:
    """What people asked, by day and by topic; what the archive could not answer; the most
    cited moments. The same as `onrecord insights --json`. Needs the owner token."""
    _check(request, _given(request))
    return _service(request).insights(agent, since)


_STYLE = """
body{font:16px/1.5 system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;color:#222}
table{border-collapse:collapse;width:100%;margin:.5rem 0 1.5rem}td,th{border-bottom:1px solid #ddd;
padding:.3rem .5rem;text-align:left;vertical-align:top}th{background:#f4f4f4}.n{text-align:right}
input,button{font:inherit;padding:.3rem .6rem}
"""


def _page(title: str, body: str, status: int = 200) -> HTMLResponse:
    html = (
        f'<!doctype html><html lang="en"><head><meta charset="utf-8">'
        f'<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{escape(title)}</title><style>{_STYLE}</style></head><body>{body}</body></html>"
    )
    return HTMLResponse(html, status_code=status, headers={"Cache-Control": "no-store"})


def _login(message: str, status: int) -> HTMLResponse:
    body = (
        "<h1>Owner pages</h1>"
        f"<p>{escape(message)}</p>"
        '<form method="post" action="/owner/login">'
        '<label for="token">Owner token (<code>onrecord token</code> prints it)</label><br>'
        '<input id="token" name="token" type="password" autocomplete="current-password" required> '
        "<button>Open</button></form>"
    )
    return _page("Owner pages", body, status)


def _statuses(counts: dict[str, int]) -> str:
    return escape(", ".join(f"{status.replace('_', ' ')} {n}" for status, n in counts.items()))


def _topics_table(topics: list[dict[str, Any]]) -> str:
    if not topics:
        return "<p>None yet.</p>"
    rows = "".join(
        f"<tr><td>{escape(t['topic'])}</td><td class=n>{t['questions']}</td><td>{_statuses(t['statuses'])}</td>"
        f"<td>{'<br>'.join(escape(e) for e in t['examples'])}</td></tr>"
        for t in topics
    )
    return f"<table><tr><th>Topic</th><th>Questions</th><th>Outcome</th><th>Asked as</th></tr>{rows}</table>"


def render(data: dict[str, Any]) -> str:
    """The insights as HTML; every value from a question or a source is escaped."""
    parts = ["<h1>What people ask</h1>"]
    if not data["logging"]:
        parts.append("<p>Question logging is off (<code>[serve] log_questions = false</code>).</p>")
    parts.append(f"<p>{data['questions']} questions")
    if data["questions"]:
        parts.append(
            f" from {escape(data['first'][:10])} to {escape(data['last'][:10])}: {_statuses(data['statuses'])}"
        )
    parts.append(".</p><h2>Over time</h2>")
    if data["over_time"]:
        rows = "".join(
            f"<tr><td>{escape(d['day'])}</td><td class=n>{d['questions']}</td><td>{_statuses(d['statuses'])}</td></tr>"
            for d in data["over_time"]
        )
        parts.append(f"<table><tr><th>Day</th><th>Questions</th><th>Outcome</th></tr>{rows}</table>")
    else:
        parts.append("<p>None yet.</p>")
    parts.append("<h2>Topics</h2>" + _topics_table(data["topics"]))
    parts.append("<h2>Not answered: what to record next</h2>" + _topics_table(data["unanswered"]))
    parts.append("<h2>Most cited moments</h2>")
    if data["cited"]:
        moments = []
        for m in data["cited"]:
            title = escape(m["source"]["title"])
            where = escape(" ".join(filter(None, (player_time(m["start"]), m["chapter"] or ""))))
            link = f'<a href="{escape(m["url"])}">{title}</a>' if m["url"] else title
            moments.append(
                f"<tr><td class=n>{m['citations']}</td><td>{escape(m['speaker'])}</td><td>{link}<br>{where}</td>"
                f"<td>{escape(m['text'])}</td></tr>"
            )
        parts.append(
            f"<table><tr><th>Cited</th><th>Speaker</th><th>Source</th><th>Said</th></tr>{''.join(moments)}</table>"
        )
    else:
        parts.append("<p>None yet.</p>")
    parts.append('<form method="post" action="/owner/logout"><button>Close the owner pages</button></form>')
    return "".join(parts)


@router.get("/owner", response_class=HTMLResponse, include_in_schema=False)
def owner_page(request: Request) -> HTMLResponse:
    refused = owner_page_error(request)
    if refused is not None:
        return refused
    return _page("What people ask", render(_service(request).insights()))


@router.post("/owner/login", include_in_schema=False)
async def login(request: Request) -> Response:
    form = parse_qs((await request.body()).decode("utf-8", "replace"))
    given = (form.get("token") or [""])[0].strip() or None
    try:
        _check(request, given)
    except ApiError as exc:
        return _login(exc.message, exc.http_status)
    response = RedirectResponse("/owner", status_code=303)
    assert given is not None
    response.set_cookie(
        COOKIE, given, httponly=True, samesite="strict", secure=request.url.scheme == "https", max_age=30 * 86400
    )
    return response


@router.post("/owner/logout", include_in_schema=False)
def logout() -> Response:
    response = RedirectResponse("/owner", status_code=303)
    response.delete_cookie(COOKIE)
    return response
