"""`agents`: the agent cards of onrecord.toml, listed and checked against the sources."""

from __future__ import annotations

import click

from onrecord.answer import cards
from onrecord.cli.common import echo_json, open_workspace, plural


def _reports(ctx: click.Context) -> list[cards.CardReport]:
    workspace = open_workspace(ctx)
    sources = workspace.store.sources()
    return [cards.check(name, card, sources) for name, card in sorted(workspace.settings.agents.items())]


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
        click.echo(f"{r.name}: {r.card.title} (speaks as {speaks}; {plural(len(r.sources), 'source')})")


@agents.command()
@click.pass_context
def check(ctx: click.Context) -> None:
    """Validate the agent cards: errors stop, warnings name what finds nothing."""
    reports = _reports(ctx)  # a card that does not validate stops here, naming agent and field
    for r in reports:
        for warning in r.warnings:
            click.echo(f"onrecord: warning: {warning}", err=True)
    warned = sum(bool(r.warnings) for r in reports)
    click.echo(f"{len(reports)} agents checked, {warned} with warnings")


COMMANDS = [agents]
