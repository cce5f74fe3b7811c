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
        parts += _section(runner, [name])
        command = main.get_command(ctx, name)
        if isinstance(command, click.Group):
            for sub in command.list_commands(ctx):
                parts += _section(runner, [name, sub])
    return "\n".join(parts)


def _section(runner: CliRunner, words: list[str]) -> list[str]:
    help_text = runner.invoke(main, [*words, "--help"], prog_name="onrecord", terminal_width=100).output
    command = " ".join(words)
    return [f"## onrecord {command}\n\n```\n$ onrecord {command} --help\n{help_text}```\n"]


if __name__ == "__main__":
    DOCS.write_text(render(), encoding="utf-8")
    print(f"wrote {DOCS}")
