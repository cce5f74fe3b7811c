"""Writes docs/cli.md from the commands' own --help, so the reference cannot drift.

Run: python scripts/cli_docs.py  (tests/test_docs.py fails when docs/cli.md is stale).
"""

from __future__ import annotations

from pathlib import Path

import click
from click.testing import CliRunner

from onrecord.cli import main

DOCS = Path(__file__).resolve().parents[1] / "docs" / "cli.md"


def render() -> str:
    runner = CliRunner()
    parts = [
        "# CLI reference\n",
        "Generated from `--help` by `python scripts/cli_docs.py`; do not edit by hand.\n",
        "```\n$ onrecord --help\n"
        + runner.invoke(main, ["--help"], prog_name="onrecord", terminal_width=100).output
        + "```\n",
    ]
    ctx = click.Context(main)
    for name in main.list_commands(ctx):
        help_text = runner.invoke(main, [name, "--help"], prog_name="onrecord", terminal_width=100).output
        parts.append(f"## onrecord {name}\n\n```\n$ onrecord {name} --help\n{help_text}```\n")
    return "\n".join(parts)


if __name__ == "__main__":
    DOCS.write_text(render(), encoding="utf-8")
    print(f"wrote {DOCS}")
