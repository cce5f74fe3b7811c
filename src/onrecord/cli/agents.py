"""`agents`: the agent cards of onrecord.toml, listed and checked against the sources."""

from __future__ import annotations

import click

from onrecord.answer import Agent, cards
from onrecord.cli.common import echo_json, ensure_index, open_workspace
from onrecord.errors import ConfigError
from onrecord.export.document import plural
from onrecord.rails.reach import TopicReach, reach
from onrecord.workspace import Workspace

# Passages shown per avoided topic (the JSON lists them all).
SHOWN = 5


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
        click.echo(f"{r.name}: {r.card.title} (speaks as {speaks}; {plural(len(r.sources), 'source')})")


def _reaches(workspace: Workspace, report: cards.CardReport) -> list[TopicReach]:
    """What each avoided topic of the card keeps out; a topic too broad is also a warning."""
    if not report.card.avoid:
        return []
    found = reach(Agent(workspace, report.name))
    for i, topic in enumerate(found):
        if topic.too_broad:
            report.warnings.append(
                f"agents.{report.name}.avoid[{i}] ({topic.topic!r}): keeps out {topic.share:.0%} of the agent's "
                f"passages ({len(topic.passages)} of {topic.total}); the agent would have little left to say"
            )
    return found


def _show_reach(name: str, topic: TopicReach) -> None:
    click.echo(
        f"{name}: avoids {topic.topic!r}: keeps out {len(topic.passages)} of {topic.total} passages ({topic.share:.1%})"
    )
    for kept in topic.passages[:SHOWN]:
        text = " ".join(kept.passage.text.split())
        click.echo(f"  {kept.score:.2f}  {kept.speaker}, {kept.source_title}: {text[:100]}")
    if len(topic.passages) > SHOWN:
        click.echo(f"  ... and {len(topic.passages) - SHOWN} more (--json lists them all)")


@agents.command()
@click.option("--json", "as_json", is_flag=True, help="Print JSON: errors, warnings and each avoided topic's passages.")
@click.pass_context
def check(ctx: click.Context, as_json: bool) -> None:
    """Check the agent cards, and show what each avoided topic keeps out.

    A `speaks_as` name no source has is an error (non-zero exit). Warnings name a pattern
    that finds nothing, an owner with few or uncertain words, an avoided topic without
    examples, and one that keeps out most of the agent's passages. For each avoided topic
    the passages it keeps out of answers are listed, nearest first."""
    reports = _reports(ctx, words=True)  # a card that does not validate stops here, naming agent and field
    workspace = open_workspace(ctx)
    if any(r.card.avoid for r in reports):
        ensure_index(workspace)
    reaches = {r.name: _reaches(workspace, r) for r in reports}
    if as_json:
        echo_json({"agents": [_report_json(r, reaches[r.name]) for r in reports]})
        if any(r.errors for r in reports):
            raise SystemExit(ConfigError.exit_code)
        return
    for r in reports:
        for topic in reaches[r.name]:
            _show_reach(r.name, topic)
        for warning in r.warnings:
            click.echo(f"onrecord: warning: {warning}", err=True)
        for error in r.errors:
            click.echo(f"onrecord: error: {error}", err=True)
    warned = sum(bool(r.warnings) for r in reports)
    failed = sum(bool(r.errors) for r in reports)
    click.echo(f"{len(reports)} agents checked, {failed} with errors, {warned} with warnings")
    if failed:
        raise SystemExit(ConfigError.exit_code)


def _report_json(report: cards.CardReport, topics: list[TopicReach]) -> dict[str, object]:
    return {
        "name": report.name,
        "errors": report.errors,
        "warnings": report.warnings,
        "avoid": [
            {
                "topic": t.topic,
                "passages_total": t.total,
                "share_kept_out": round(t.share, 4),
                "kept_out": [
                    {
                        "passage_id": k.passage.id,
                        "text": k.passage.text,
                        "speaker": k.speaker,
                        "source": {"id": k.passage.source_id, "title": k.source_title},
                        "start": k.passage.start,
                        "score": round(k.score, 4),
                    }
                    for k in t.passages
                ],
            }
            for t in topics
        ],
    }


COMMANDS = [agents]
