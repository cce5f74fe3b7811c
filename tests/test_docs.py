"""Docs are generated from code and checked: the CLI reference and the README's commands."""

from __future__ import annotations

import re
import runpy
from pathlib import Path

import click

from onrecord.cli import main

ROOT = Path(__file__).resolve().parents[1]


def test_cli_reference_is_current() -> None:
    render = runpy.run_path(str(ROOT / "scripts" / "cli_docs.py"))["render"]
    assert (ROOT / "docs" / "cli.md").read_text(encoding="utf-8") == render(), (
        "docs/cli.md is stale: run python scripts/cli_docs.py"
    )


def test_configuration_reference_is_current() -> None:
    script = runpy.run_path(str(ROOT / "scripts" / "config_docs.py"))
    assert (ROOT / "docs" / "configuration.md").read_text(encoding="utf-8") == script["render"](), (
        "docs/configuration.md is stale: run python scripts/config_docs.py"
    )


def test_configuration_reference_covers_every_table_and_is_linked() -> None:
    from onrecord import config

    script = runpy.run_path(str(ROOT / "scripts" / "config_docs.py"))
    documented = {model for _, model, _ in script["SECTIONS"]}
    tables = {f.annotation for f in config.Settings.model_fields.values()} | {config.AgentCard, config.AvoidTopic}
    models = {t for t in tables if isinstance(t, type)} | {config.LLMSettings}
    assert models - {dict} <= documented
    for text in (config.DEFAULT_TOML, (ROOT / "README.md").read_text(encoding="utf-8")):
        assert "docs/configuration.md" in text


def test_cli_reference_shows_the_installed_command_name() -> None:
    text = (ROOT / "docs" / "cli.md").read_text(encoding="utf-8")
    assert "Usage: onrecord [OPTIONS] COMMAND" in text and "Usage: main" not in text


def test_every_command_has_help_and_is_in_the_readme() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    ctx = click.Context(main)
    for name in main.list_commands(ctx):
        command = main.get_command(ctx, name)
        assert command is not None and command.help, f"{name} has no help text"
        assert re.search(rf"onrecord (-w \S+ )?{name}\b", readme), f"README shows no use of `onrecord {name}`"


def test_readme_names_the_two_commands_that_ci_runs() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "./scripts/demo" in readme and "./scripts/test" in readme
    assert "scripts/test" in (ROOT / ".ci" / "run").read_text(encoding="utf-8")
