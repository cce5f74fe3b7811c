"""`serve`: the agents of a workspace over HTTP, in one process or several."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import click


@click.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on (loopback by default).")
@click.option("--port", default=8000, show_default=True, type=click.IntRange(0, 65535), help="Port to listen on.")
@click.option(
    "--workers",
    default=1,
    show_default=True,
    type=click.IntRange(1, 64),
    help="Processes answering on the same port (they share the data and the rate limit; "
    "one that dies is started again).",
)
@click.pass_context
def serve(ctx: click.Context, host: str, port: int, workers: int) -> None:
    """Serve the workspace's agents: OpenAI-compatible API, JSON API and web chat.

    API docs at /docs; limits, CORS and the question log are set in the [serve] section
    of onrecord.toml.
    """
    import uvicorn

    from onrecord.serve import create_app, proxies, worker

    if host not in ("127.0.0.1", "::1", "localhost"):
        click.echo(f"onrecord: serving on {host}: anyone who can reach this machine can ask the agents", err=True)
    click.echo("onrecord: owner pages at /owner (`onrecord token` prints the owner token)", err=True)
    # Warmed here rather than in the server's start-up, so that a bad card or setting is one
    # clear message from the CLI instead of a traceback from inside uvicorn.
    app = create_app(ctx.obj, warm=False)
    app.state.service.warm()
    if workers == 1:
        uvicorn.run(app, host=host, port=port, log_level="info", **proxies.SERVER_OPTIONS)
        return
    app.state.service.close()
    with tempfile.TemporaryDirectory(prefix="onrecord-serve-") as shared:
        os.environ[worker.WORKSPACE] = str(Path(ctx.obj).absolute())
        os.environ[worker.SHARED_LIMIT] = str(Path(shared) / "rate-limit.db")
        os.environ[worker.THREADS] = str(max(1, (os.cpu_count() or 1) // workers))
        uvicorn.run(
            "onrecord.serve.worker:app",
            factory=True,
            host=host,
            port=port,
            workers=workers,
            log_level="info",
            **proxies.SERVER_OPTIONS,
        )


COMMANDS = [serve]
