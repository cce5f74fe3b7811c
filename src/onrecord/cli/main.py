"""The root command, the workspace option, and the one place errors become messages."""

from __future__ import annotations

import sys
from typing import Any

import click

from onrecord.errors import OnrecordError


class _Group(click.Group):
    """Turns OnrecordError into one line on stderr and its exit code; never a traceback."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except OnrecordError as exc:
            click.echo(f"onrecord: error: {exc}", err=True)
            sys.exit(exc.exit_code)
        except KeyboardInterrupt:
            click.echo("onrecord: interrupted; nothing half-written was kept", err=True)
            sys.exit(130)
        except BrokenPipeError:
            sys.exit(0)


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.option(
    "--workspace",
    "-w",
    envvar="ONRECORD_WORKSPACE",
    default=".",
    show_default=True,
    type=click.Path(file_okay=False),
    help="The workspace folder (or set ONRECORD_WORKSPACE).",
)
@click.version_option(package_name="onrecord")
@click.pass_context
def main(ctx: click.Context, workspace: str) -> None:
    """onrecord: an AI stand-in that answers with its owner's own recorded words."""
    ctx.obj = workspace


def _register() -> None:
    from onrecord.cli import agents, ask, database, evaluate, example, owner, search, serve, sources

    for module in (sources, search, ask, agents, serve, owner, evaluate, example, database):
        for command in module.COMMANDS:
            main.add_command(command)


_register()
