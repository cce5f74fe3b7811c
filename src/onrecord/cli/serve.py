"""`serve`: the agents of a workspace over HTTP."""

from __future__ import annotations

import click


@click.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on (loopback by default).")
@click.option("--port", default=8000, show_default=True, type=click.IntRange(0, 65535), help="Port to listen on.")
@click.pass_context
def serve(ctx: click.Context, host: str, port: int) -> None:
    """Serve the workspace's agents: OpenAI-compatible API, JSON API and web chat."""
    import uvicorn

    from onrecord.serve import create_app

    uvicorn.run(create_app(ctx.obj), host=host, port=port, log_level="info")


COMMANDS = [serve]
