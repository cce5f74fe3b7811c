"""How every HTML page leaves the server: one set of templates, one stylesheet, one set of
security headers (the public pages in web.py and the owner's in owner_pages.py alike).

Templates are Jinja2, autoescaped, so text from sources and askers is always text.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

import jinja2
from fastapi import Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates

from onrecord.export.document import player_time, plural

_HERE = Path(__file__).parent

# Scripts only from this server (never inline), so that text that slipped past escaping still
# could not run.
_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; base-uri 'none'; form-action 'self'; object-src 'none'"
)
# Any site may frame the public pages: that is what the widget does.
PUBLIC = {
    "Content-Security-Policy": _POLICY + "; frame-ancestors *",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
}
# No site may frame the owner's pages (a framed login could be clicked through), and no
# cache keeps them.
PRIVATE = {
    **PUBLIC,
    "Content-Security-Policy": _POLICY + "; frame-ancestors 'none'",
    "X-Frame-Options": "DENY",
    "Cache-Control": "no-store",
}


@cache
def _templates() -> Jinja2Templates:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(_HERE / "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["clock"] = player_time
    env.filters["plural"] = plural
    return Jinja2Templates(env=env)


def page(
    request: Request,
    name: str,
    context: dict[str, Any],
    status_code: int = 200,
    headers: dict[str, str] = PUBLIC,
) -> HTMLResponse:
    """The template `name` rendered with `context`, sent with `headers`."""
    response: HTMLResponse = _templates().TemplateResponse(
        request, name, context, status_code=status_code, headers=headers
    )
    return response
