"""Helpers shared by the command modules."""

from __future__ import annotations

import json
from typing import Any

import click

from onrecord.workspace import Workspace


def open_workspace(ctx: click.Context, *, create: bool = False) -> Workspace:
    workspace = Workspace.open(ctx.obj, create=create)
    ctx.call_on_close(workspace.close)
    return workspace


def echo_json(data: Any) -> None:
    click.echo(json.dumps(data, ensure_ascii=False))
