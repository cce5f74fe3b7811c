"""The app factory each process of `onrecord serve --workers N` calls (uvicorn imports it by
name in every worker it starts, and again in one it starts in place of a worker that died).

The command that starts the workers says what to serve through the environment, since a
worker is a new interpreter: ONRECORD_WORKSPACE (the workspace folder) and
ONRECORD_SHARED_LIMIT (the rate-limit file they share).
"""

from __future__ import annotations

import os
from pathlib import Path

from fastapi import FastAPI

from onrecord.serve.app import create_app

WORKSPACE = "ONRECORD_WORKSPACE"
SHARED_LIMIT = "ONRECORD_SHARED_LIMIT"


def app() -> FastAPI:
    shared = os.environ.get(SHARED_LIMIT)
    return create_app(os.environ[WORKSPACE], shared_limit=Path(shared) if shared else None)
