"""`agents`: the agent cards of onrecord.toml, listed and checked against the sources."""

from __future__ import annotations

import click

from onrecord.answer import cards
from onrecord.cli.common import echo_json, open_workspace
from onrecord.errors import ConfigError


def _reports(ctx: click.Context, *, words: bool = False) -> list[cards.CardReport]:
    workspace = open_workspace(ctx)
    return cards.check_all(workspace.store, workspace.settings, words=words)


@click.group(invoke_without_command=True)
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@click.pass_context
def agents(ctx: click.Context, as_json: bool) -> None:
    """List the agents of the workspace (`agents check` validates their cards)."""
    if ctx.invoked_subcommand is not None:
        return
    reports = _reports(ctx)
    if as_json:
        echo_json(
            {
                "agents": [
                    {
                        "name": r.name,
                        "title": r.card.title,
                        "speaks_as": r.card.speaks_as,
                        "sources": r.sources,
                        "topics": r.card.topics,
                        "avoid": [topic.topic for topic in r.card.avoid],
                    }
                    for r in reports
                ]
            }
        )
        return
    if not reports:
        click.echo("no agents yet: add an [agents.NAME] card to onrecord.toml")
    for r in reports:
        speaks = ", ".join(r.card.speaks_as) or "every speaker"
        click.echo(f"{r.name}: {r.card.title} (speaks as {speaks}; {len(r.sources)} sources)")


@agents.command()
@click.pass_context
def check(ctx: click.Context) -> None:
    """Validate the agent cards against the sources: a `speaks_as` name no source has is an
    error (non-zero exit); a pattern that finds nothing, or an owner with few or uncertain
    words, is a warning."""
    reports = _reports(ctx, words=True)  # a card that does not validate stops here, naming agent and field
    for r in reports:
        for warning in r.warnings:
            click.echo(f"onrecord: warning: {warning}", err=True)
        for error in r.errors:
            click.echo(f"onrecord: error: {error}", err=True)
    warned = sum(bool(r.warnings) for r in reports)
    failed = sum(bool(r.errors) for r in reports)
    click.echo(f"{len(reports)} agents checked, {failed} with errors, {warned} with warnings")
    if failed:
        raise SystemExit(ConfigError.exit_code)


COMMANDS = [agents]
