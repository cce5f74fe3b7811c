"""`init`, `add`, `sources`, `show`, `speakers`, `remove`: the workspace's sources."""

from __future__ import annotations

import sys
from dataclasses import asdict
from pathlib import Path

import click

from onrecord import export, importer
from onrecord.cli.common import echo_json, ensure_index, open_workspace, plural
from onrecord.errors import InputError, OnrecordError
from onrecord.store import SourceSummary
from onrecord.text import clean_text
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
    index: bool,
) -> None:
    """Import files (a folder imports every file inside it), one source each."""
    options = importer.ImportOptions(format=format_, title=title, url=url, date=date, speakers=_speakers(speakers))
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
    for label in report.unknown_labels:
        click.echo(f"onrecord: error: --speaker {label}: no imported file has this speaker label", err=True)
    imported = report.added + [existing for _, existing in report.duplicates]
    if not as_json:
        # Each file is stored (one transaction) before anything is embedded: say so first, so
        # that an interrupted embedding leaves no doubt about what is in the workspace.
        for summary in report.added:
            click.echo(f"added {_summary_line(summary)}")
    if report.added and index:
        try:
            ensure_index(workspace)
        except OnrecordError as exc:
            click.echo(f"onrecord: warning: imported, but not yet searchable: {exc}", err=True)
    if as_json:
        echo_json({"sources": [export.summary_dict(s) for s in imported]})
    if not report.ok:
        sys.exit(InputError.exit_code)


@click.command("sources")
@click.option("--json", "as_json", is_flag=True, help="Print as JSON.")
@click.pass_context
def list_sources(ctx: click.Context, as_json: bool) -> None:
    """List the workspace's sources; those whose passages are not all embedded yet say so."""
    workspace = open_workspace(ctx)
    summaries = workspace.store.sources()
    if as_json:
        # The shape of `add --json` and of the HTTP API's source list (INTERFACE.md).
        echo_json({"sources": [export.summary_dict(s) for s in summaries]})
        return
    unindexed = workspace.unindexed_sources()
    for summary in summaries:
        click.echo(_summary_line(summary, summary.id in unindexed))


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
    """Print a repaired transcript."""
    source = open_workspace(ctx).store.get_source(source_id)
    click.echo(export.export(source, as_))


@click.command()
@click.argument("source_id")
@click.argument("names", nargs=-1, metavar="[LABEL=NAME]...")
@click.option("--json", "as_json", is_flag=True, help="Print as JSON.")
@click.pass_context
def speakers(ctx: click.Context, source_id: str, names: tuple[str, ...], as_json: bool) -> None:
    """List a source's speakers, or name them (LABEL=NAME; an empty NAME clears it)."""
    store = open_workspace(ctx).store
    for value in names:
        label, sep, name = value.partition("=")
        if not sep or not label.strip():
            raise InputError(f"expected LABEL=NAME, got {value!r}")
        store.name_speaker(source_id, clean_text(label).strip(), clean_text(name).strip() or None)
    people = store.get_source(source_id).transcript.speakers
    if as_json:
        echo_json({"speakers": [asdict(s) for s in people]})
        return
    for person in people:
        click.echo(f"{person.label}\t{person.name or ''}")


@click.command()
@click.argument("source_id")
@click.pass_context
def remove(ctx: click.Context, source_id: str) -> None:
    """Remove a source and everything derived from it."""
    open_workspace(ctx).store.remove_source(source_id)
    click.echo(f"removed {source_id}")


COMMANDS = [init, add, list_sources, show, speakers, remove]
