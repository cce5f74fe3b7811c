"""Who the client is: the connecting address, or what a trusted proxy says it forwarded for.

`X-Forwarded-For` and `X-Forwarded-Proto` are believed only from the addresses listed in
`[serve] trusted_proxies` (default: none), so a client cannot pick its own address, and with
it a fresh rate-limit bucket, by sending a made-up header. The ASGI server must not read
these headers itself: `SERVER_OPTIONS` is how the CLI and the tests run uvicorn.
"""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI
from uvicorn.middleware.proxy_headers import ProxyHeadersMiddleware

# uvicorn trusts X-Forwarded-For from loopback unless told otherwise.
SERVER_OPTIONS: dict[str, Any] = {"proxy_headers": False}


def install(app: FastAPI, trusted: list[str]) -> None:
    """Read the proxy headers of requests that come from a `trusted` address or network."""
    if trusted:
        app.add_middleware(ProxyHeadersMiddleware, trusted_hosts=trusted)
