"""The app factory each process of `onrecord serve --workers N` calls (uvicorn imports it by
name in every worker it starts, and again in one it starts in place of a worker that died).

The command that starts the workers says what to serve through the environment, since a
worker is a new interpreter: ONRECORD_WORKSPACE (the workspace folder),
ONRECORD_SHARED_LIMIT (the rate-limit file they share) and ONRECORD_WORKER_THREADS (the
embedding threads each may use: the cores shared out, so that N workers do not run N times
as many threads as there are cores).
"""

from __future__ import annotations

import os
from pathlib import Path

from fastapi import FastAPI

from onrecord.serve.app import create_app

WORKSPACE = "ONRECORD_WORKSPACE"
SHARED_LIMIT = "ONRECORD_SHARED_LIMIT"
THREADS = "ONRECORD_WORKER_THREADS"


def app() -> FastAPI:
    from onrecord.index.minilm import model

    model.threads = int(os.environ.get(THREADS, "0"))
    shared = os.environ.get(SHARED_LIMIT)
    return create_app(os.environ[WORKSPACE], shared_limit=Path(shared) if shared else None)
