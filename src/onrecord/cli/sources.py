"""`init`, `add`, `sources` (and `sources edit`), `show`, `remove`: the workspace's sources."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from onrecord import corrections, export, importer
from onrecord.cli.common import echo_json, open_workspace, refresh_index
from onrecord.errors import InputError
from onrecord.export.document import plural
from onrecord.store import SourceSummary
from onrecord.workspace import Workspace


def _summary_line(s: SourceSummary, unindexed: bool = False) -> str:
    speakers = ", ".join(s.speakers)
    counts = ", ".join((plural(s.turns, "turn"), plural(s.words, "word"), plural(s.chapters, "chapter")))
    state = "  (not yet indexed: run onrecord index)" if unindexed else ""
    return f"{s.id}  {s.title}  [{s.format}; {counts}; {speakers}]{state}"


def _speakers(values: tuple[str, ...]) -> dict[str, str]:
    return dict(importer.parse_speaker(v) for v in values)


@click.command()
@click.pass_context
def init(ctx: click.Context) -> None:
    """Create a workspace (onrecord.toml and its data store)."""
    workspace = Workspace.init(ctx.obj)
    workspace.close()
    click.echo(f"workspace ready at {Path(ctx.obj).resolve()}")


@click.command()
@click.argument("files", nargs=-1, required=True, type=click.Path())
@click.option("--format", "format_", metavar="NAME", help="Read as this format instead of detecting it.")
@click.option("--title", help="The source's title (default: the file name).")
@click.option("--url", help="Where the recording lives; citations link to it with a time offset.")
@click.option("--date", metavar="YYYY-MM-DD", help="When it was recorded or published.")
@click.option("--speaker", "speakers", multiple=True, metavar="LABEL=NAME", help="Name a speaker label.")
@click.option("--json", "as_json", is_flag=True, help="Print the imported sources as JSON.")
@click.option(
    "--again",
    is_flag=True,
    help="Repair files imported before once more (this onrecord's repair), keeping their title, URL, date, "
    "speaker names and the owner's corrections.",
)
@click.option("--index/--no-index", default=True, show_default=True, help="Embed the new passages for search now.")
@click.pass_context
def add(
    ctx: click.Context,
    files: tuple[str, ...],
    format_: str | None,
    title: str | None,
    url: str | None,
    date: str | None,
    speakers: tuple[str, ...],
    as_json: bool,
    again: bool,
    index: bool,
) -> None:
    """Import files (a folder imports every file inside it), one source each."""
    options = importer.ImportOptions(
        format=format_, title=title, url=url, date=date, speakers=_speakers(speakers), again=again
    )
    importer.validate(options)
    workspace = open_workspace(ctx, create=True)
    options.limits = workspace.settings.input
    paths = list(importer.expand(files))
    show_bar = sys.stderr.isatty() and len(paths) > 1
    if show_bar:
        with click.progressbar(length=len(paths), label="importing", file=sys.stderr) as bar:
            report = importer.import_paths(workspace.store, paths, options, progress=lambda _: bar.update(1))
    else:
        report = importer.import_paths(workspace.store, paths, options)
    for error in report.failed:
        click.echo(f"onrecord: error: {error}", err=True)
    for path, existing in report.duplicates:
        click.echo(f"onrecord: {path}: already imported as {existing.id}; not added again", err=True)
    for summary, skipped in report.repaired:
        for problem in skipped:
            click.echo(f"onrecord: warning: {summary.id}: an earlier correction no longer applies: {problem}", err=True)
    for label in report.unknown_labels:
        click.echo(f"onrecord: error: --speaker {label}: no imported file has this speaker label", err=True)
    repaired = [summary for summary, _ in report.repaired]
    imported = report.added + repaired + [existing for _, existing in report.duplicates]
    if not as_json:
        # Each file is stored (one transaction) before anything is embedded: say so first, so
        # that an interrupted embedding leaves no doubt about what is in the workspace.
        for summary in report.added:
            click.echo(f"added {_summary_line(summary)}")
        for summary in repaired:
            click.echo(f"repaired again {_summary_line(summary)}")
    if (report.added or repaired) and index:
        refresh_index(workspace, "imported")
    if as_json:
        echo_json({"sources": [export.summary_dict(s) for s in imported]})
    if not report.ok:
        sys.exit(InputError.exit_code)


@click.group("sources", invoke_without_command=True)
@click.option("--json", "as_json", is_flag=True, help="Print as JSON.")
@click.pass_context
def list_sources(ctx: click.Context, as_json: bool) -> None:
    """List the workspace's sources (`sources edit` changes one's title, URL or date); those
    whose passages are not all embedded yet say so."""
    if ctx.invoked_subcommand is not None:
        return
    workspace = open_workspace(ctx)
    summaries = workspace.store.sources()
    if as_json:
        # The shape of `add --json` and of the HTTP API's source list (INTERFACE.md).
        echo_json({"sources": [export.summary_dict(s) for s in summaries]})
        return
    unindexed = workspace.unindexed_sources()
    for summary in summaries:
        click.echo(_summary_line(summary, summary.id in unindexed))


@list_sources.command("edit")
@click.argument("source_id")
@click.option("--title", help="The new title.")
@click.option("--url", help="The new URL (http or https); an empty value clears it.")
@click.option("--date", metavar="YYYY-MM-DD", help="The new date; an empty value clears it.")
@click.pass_context
def edit_source(ctx: click.Context, source_id: str, title: str | None, url: str | None, date: str | None) -> None:
    """Change a source's title, URL or date (kept over a later `add --again`)."""
    workspace = open_workspace(ctx)
    source = corrections.edit_source(workspace.store, source_id, title=title, url=url, date=date)
    refresh_index(workspace, "changed")
    click.echo(f"{source.id}: title {source.title!r}, url {source.url or '-'}, date {source.date or '-'}")


@click.command()
@click.argument("source_id")
@click.option(
    "--as",
    "as_",
    default="md",
    show_default=True,
    type=click.Choice(["json", "md", "txt", "vtt", "srt"]),
    help="Output format.",
)
@click.pass_context
def show(ctx: click.Context, source_id: str, as_: str) -> None:
    """Print a repaired transcript (turns whose speaker is uncertain are marked)."""
    workspace = open_workspace(ctx)
    source = workspace.store.get_source(source_id)
    click.echo(export.export(source, as_, bar=workspace.settings.speakers.min_confidence))


@click.command()
@click.argument("source_id")
@click.pass_context
def remove(ctx: click.Context, source_id: str) -> None:
    """Remove a source and everything derived from it."""
    open_workspace(ctx).store.remove_source(source_id)
    click.echo(f"removed {source_id}")


COMMANDS = [init, add, list_sources, show, remove]
