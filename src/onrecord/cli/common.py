"""Helpers shared by the command modules."""

from __future__ import annotations

import json
import sys
from typing import Any, BinaryIO

import click

from onrecord.errors import InputError, OnrecordError
from onrecord.workspace import IndexReport, Workspace


def open_workspace(ctx: click.Context, *, create: bool = False) -> Workspace:
    workspace = Workspace.open(ctx.obj, create=create)
    ctx.call_on_close(workspace.close)
    return workspace


def ensure_index(workspace: Workspace) -> IndexReport | None:
    """Embed whatever has no vector yet, with a progress bar on a terminal; None when nothing
    was pending."""
    pending = workspace.pending_index()
    if pending == 0:
        return None
    announce = lambda message: click.echo(f"onrecord: {message}", err=True)  # noqa: E731
    if sys.stderr.isatty():
        with click.progressbar(length=pending, label="embedding passages", file=sys.stderr) as bar:
            return workspace.update_index(progress=bar.update, announce=announce)
    return workspace.update_index(announce=announce)


def refresh_index(workspace: Workspace, done: str) -> None:
    """Embed what an import or a correction left without vectors (that source's passages);
    when that fails, what was `done` stays done and a warning says search lags behind."""
    try:
        ensure_index(workspace)
    except OnrecordError as exc:
        click.echo(f"onrecord: warning: {done}, but not yet searchable: {exc}", err=True)


def echo_json(data: Any) -> None:
    click.echo(json.dumps(data, ensure_ascii=False))


# The most a --batch file may hold: it is read whole (`/dev/zero` would never end).
MAX_BATCH_BYTES = 16_000_000


def read_lines(stream: BinaryIO) -> list[tuple[str | None, str | None]]:
    """(query, error) per input line, in order; a line that is not UTF-8 carries an error."""
    data = stream.read(MAX_BATCH_BYTES + 1)
    if len(data) > MAX_BATCH_BYTES:
        raise InputError(f"more than {MAX_BATCH_BYTES:,} bytes: split the batch", path="--batch")
    lines: list[tuple[str | None, str | None]] = []
    for raw in data.split(b"\n"):
        try:
            lines.append((raw.decode("utf-8").rstrip("\r"), None))
        except UnicodeDecodeError as exc:
            lines.append((None, f"line is not UTF-8 text (byte {exc.start})"))
    if lines and lines[-1] == ("", None):
        lines.pop()  # the newline that ends the last line
    return lines
