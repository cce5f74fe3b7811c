"""`token` and `insights`: the owner's side of a served workspace."""

from __future__ import annotations

from typing import Any

import click

from onrecord import insights as owner_insights
from onrecord import owner
from onrecord.cli.common import echo_json, open_workspace
from onrecord.export.document import player_time


@click.command()
@click.option("--new", is_flag=True, help="Replace the token (the old one stops working).")
@click.pass_context
def token(ctx: click.Context, new: bool) -> None:
    """Print the owner token for the owner pages of `serve` (made on first use).

    Send it as `Authorization: Bearer TOKEN`, or type it into the form at /owner.
    """
    workspace = open_workspace(ctx)
    click.echo(owner.ensure_token(workspace, new=new))


def _statuses(counts: dict[str, int]) -> str:
    return ", ".join(f"{status.replace('_', ' ')} {n}" for status, n in counts.items())


def _topics(title: str, topics: list[dict[str, Any]]) -> None:
    click.echo(f"\n{title}")
    if not topics:
        click.echo("  none yet")
    for topic in topics:
        click.echo(f"  {topic['questions']:>4}  {topic['topic']}  ({_statuses(topic['statuses'])})")
        for example in topic["examples"][1:]:
            click.echo(f"        also: {example}")


@click.command()
@click.option("--agent", help="Only this agent's questions.")
@click.option("--since", metavar="YYYY-MM-DD", help="Only questions asked on or after this date.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON (the shape of /api/owner/insights).")
@click.pass_context
def insights(ctx: click.Context, agent: str | None, since: str | None, as_json: bool) -> None:
    """What people asked the served agents: by day, by topic, what went unanswered, and the
    most cited moments."""
    workspace = open_workspace(ctx)
    data = owner_insights.insights(workspace, agent=agent, since=since)
    if as_json:
        echo_json(data)
        return
    if not data["logging"]:
        click.echo("question logging is off ([serve] log_questions = false)")
    click.echo(f"{data['questions']} questions" + (f": {_statuses(data['statuses'])}" if data["questions"] else ""))
    if data["over_time"]:
        click.echo("\nby day")
        for day in data["over_time"]:
            click.echo(f"  {day['day']}  {day['questions']:>4}  ({_statuses(day['statuses'])})")
    _topics("topics", data["topics"])
    if data["follow_ups"]:
        click.echo(f"  (and {data['follow_ups']} follow-ups such as “why?”, counted with their conversations)")
    _topics("not answered: what to record next", data["unanswered"])
    _topics("deflected: kept to your boundaries", data["deflected"])
    click.echo("\nmost cited moments")
    if not data["cited"]:
        click.echo("  none yet")
    for moment in data["cited"]:
        where = " ".join(filter(None, (player_time(moment["start"]), moment["chapter"])))
        click.echo(f"  {moment['citations']:>4}  {moment['speaker']}, {moment['source']['title']} {where}".rstrip())
        click.echo(f"        {moment['text']}")


COMMANDS = [token, insights]
