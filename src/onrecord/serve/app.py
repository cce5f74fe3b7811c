"""The ASGI app factory: one workspace, its agents, every route."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse

from onrecord.errors import OnrecordError
from onrecord.serve import json_api, web
from onrecord.serve.service import Service


def create_app(root: str | Path, *, warm: bool = True) -> FastAPI:
    """The app serving the workspace at `root`."""
    service = Service(root)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        if warm:
            service.warm()
        yield
        service.close()

    app = FastAPI(title="onrecord", lifespan=lifespan)
    app.state.service = service
    app.include_router(json_api.router)
    app.include_router(web.router)

    @app.exception_handler(OnrecordError)
    async def _expected(request: Request, exc: OnrecordError) -> JSONResponse:
        return JSONResponse({"error": {"message": str(exc), "type": type(exc).__name__}}, status_code=exc.http_status)

    return app
