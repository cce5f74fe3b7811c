"""The ASGI app factory: one workspace, its agents, every route."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import FastAPI
from fastapi_offline import FastAPIOffline

from onrecord.serve import errors, head, json_api, limits, openai_api, owner_corrections, owner_pages, proxies, web
from onrecord.serve.service import Service

DESCRIPTION = """\
Agents that answer with their owner's recorded words, each quote cited to its moment.

- `/v1`: OpenAI-compatible chat completions; each agent is a model. System messages from
  clients are ignored: an agent's boundaries come from its card only.
- `/api`: answers, search, sources and transcripts as JSON.
- `/api/owner`: the owner's insights (needs the owner token).

Errors always have the shape `{"error": {"message", "type", "param", "code"}}`.
"""


def create_app(root: str | Path, *, warm: bool = True, shared_limit: Path | None = None) -> FastAPI:
    """The app serving the workspace at `root`; `shared_limit` is the rate-limit file that the
    workers of `serve --workers N` share."""
    service = Service(root)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        if warm:
            service.warm()
        yield
        service.close()

    # FastAPIOffline serves the /docs assets from the package instead of a CDN.
    app = FastAPIOffline(title="onrecord", description=DESCRIPTION, lifespan=lifespan)
    app.state.service = service
    for router in (openai_api.router, json_api.router, owner_pages.router, owner_corrections.router, web.router):
        app.include_router(router)
    errors.install(app)
    limits.install(app, service.settings, shared_limit)
    proxies.install(app, service.settings.trusted_proxies)
    app.add_middleware(head.HeadAsGet)
    return app
