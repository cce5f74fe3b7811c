"""Limits on what one request and one client may ask of the server, and who may call it.

The request body is capped (413), a question's length is capped (413), each client address
has a token bucket of questions and searches (429 with Retry-After), and browsers on other
origins are refused unless `[serve] cors_origins` names them. Binding to loopback is the
CLI's default. Buckets live in the process, or with `serve --workers N` in a file the workers
share (shared_limit.py).
"""

from __future__ import annotations

import json
import math
import time
from collections.abc import Awaitable, Callable, MutableMapping
from pathlib import Path
from typing import Any

from fastapi import FastAPI, Request
from starlette.concurrency import run_in_threadpool
from starlette.middleware.cors import CORSMiddleware

from onrecord.config import ServeSettings
from onrecord.serve.errors import ApiError, error_json
from onrecord.serve.shared_limit import SharedRateLimiter

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

# Buckets kept before idle, full ones are dropped.
MAX_CLIENTS = 10_000


class BodyLimit:
    """ASGI middleware: a request body over `max_bytes` gets 413 before any handler reads it.

    Bodies are small (a question and its conversation), so the body is read here whole and
    handed on; a declared Content-Length over the limit is refused without reading.
    """

    def __init__(self, app: ASGIApp, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = dict(scope.get("headers", ())).get(b"content-length")
        if declared is not None and declared.isdigit() and int(declared) > self.max_bytes:
            await self._too_large(send)
            return
        chunks: list[bytes] = []
        size = 0
        while True:
            message = await receive()
            if message["type"] != "http.request":
                break  # the client went away
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > self.max_bytes:
                await self._too_large(send)
                return
            chunks.append(chunk)
            if not message.get("more_body", False):
                break
        body = b"".join(chunks)
        replayed = False

        async def replay() -> Message:
            nonlocal replayed
            if not replayed:
                replayed = True
                return {"type": "http.request", "body": body, "more_body": False}
            return await receive()

        await self.app(scope, replay, send)

    async def _too_large(self, send: Send) -> None:
        message = f"the request body is larger than {self.max_bytes:,} bytes"
        payload = json.dumps(error_json(message, 413, code="request_too_large")).encode()
        await send(
            {
                "type": "http.response.start",
                "status": 413,
                "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(payload)).encode())],
            }
        )
        await send({"type": "http.response.body", "body": payload})


class RateLimiter:
    """A token bucket per client: `burst` requests at once, then `per_minute` a minute."""

    def __init__(self, per_minute: int, burst: int, clock: Callable[[], float] = time.monotonic) -> None:
        self.rate = per_minute / 60.0
        self.burst = float(burst)
        self.clock = clock
        self._buckets: dict[str, tuple[float, float]] = {}

    def take(self, client: str) -> float:
        """Spend one request of `client`: 0 when allowed, else the seconds until one is."""
        if self.rate <= 0:
            return 0.0
        now = self.clock()
        tokens, then = self._buckets.get(client, (self.burst, now))
        tokens = min(self.burst, tokens + (now - then) * self.rate)
        if tokens < 1.0:
            self._buckets[client] = (tokens, now)
            return (1.0 - tokens) / self.rate
        if len(self._buckets) >= MAX_CLIENTS and client not in self._buckets:
            self._forget_idle(now)
        self._buckets[client] = (tokens - 1.0, now)
        return 0.0

    def _forget_idle(self, now: float) -> None:
        full = [c for c, (tokens, then) in self._buckets.items() if tokens + (now - then) * self.rate >= self.burst]
        for client in full:
            del self._buckets[client]


def client_of(request: Request) -> str:
    """The client's address (a trusted proxy's X-Forwarded-For is put here: proxies.py)."""
    return request.client.host if request.client else "unknown"


async def rate_limited(request: Request) -> None:
    """Dependency of the routes that answer or search: one request from this client's bucket."""
    limiter: RateLimiter | SharedRateLimiter = request.app.state.rate_limiter
    if isinstance(limiter, SharedRateLimiter):
        # A write to the shared file may wait for another worker's: not on the event loop.
        wait = await run_in_threadpool(limiter.take, client_of(request))
    else:
        # Handlers run on the event loop one at a time, so the bucket needs no lock.
        wait = limiter.take(client_of(request))
    if wait > 0:
        seconds = max(1, math.ceil(wait))
        raise ApiError(
            f"too many requests from this client; try again in {seconds} s",
            429,
            code="rate_limit_exceeded",
            headers={"Retry-After": str(seconds)},
        )


def install(app: FastAPI, settings: ServeSettings, shared_limit: Path | None = None) -> None:
    """The body limit on every request; CORS only for the configured origins; the rate limit
    in this process, or in the file `shared_limit` that several workers share."""
    app.state.rate_limiter = (
        SharedRateLimiter(shared_limit, settings.rate_limit, settings.rate_burst)
        if shared_limit is not None
        else RateLimiter(settings.rate_limit, settings.rate_burst)
    )
    app.add_middleware(BodyLimit, max_bytes=settings.max_body_bytes)
    if settings.cors_origins:
        # Added last, so outermost: even a 413 or 429 carries the CORS headers a browser needs.
        # No credentials: another site can never use the owner's cookie.
        app.add_middleware(
            CORSMiddleware,
            allow_origins=settings.cors_origins,
            allow_methods=["GET", "POST"],
            allow_headers=["Authorization", "Content-Type"],
            allow_credentials=False,
            max_age=600,
        )
