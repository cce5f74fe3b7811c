"""HEAD over real HTTP: wherever GET answers, HEAD gives its status and headers, no body; and
the favicon a browser asks for is there."""

from __future__ import annotations

import httpx
import pytest


@pytest.mark.parametrize(
    "path",
    [
        "/",
        "/agents/mara",
        "/widget",
        "/widget.js",
        "/static/style.css",
        "/favicon.ico",
        "/owner",
        "/api/agents",
        "/api/sources",
        "/api/search?q=bees",
        "/v1/models",
        "/v1/models/mara",
        "/docs",
        "/openapi.json",
        "/agents/nobody",
        "/api/owner/insights",
    ],
)
def test_head_answers_like_get(server: str, path: str) -> None:
    get = httpx.get(f"{server}{path}")
    head = httpx.head(f"{server}{path}")
    assert head.status_code == get.status_code != 405
    assert head.content == b""
    assert head.headers["content-type"] == get.headers["content-type"]
    for name in ("content-security-policy", "x-content-type-options", "www-authenticate"):
        assert head.headers.get(name) == get.headers.get(name)


def test_head_where_only_post_answers_is_405(server: str) -> None:
    response = httpx.head(f"{server}/v1/chat/completions")
    assert response.status_code == 405 and "POST" in response.headers["allow"]


def test_favicon_is_an_svg_the_pages_link_to(server: str) -> None:
    icon = httpx.get(f"{server}/favicon.ico")
    assert icon.status_code == 200 and icon.headers["content-type"].startswith("image/svg+xml")
    assert icon.text.startswith("<svg")
    assert '<link rel="icon" href="/static/favicon.svg"' in httpx.get(f"{server}/").text
    assert httpx.get(f"{server}/static/favicon.svg").content == icon.content
