"""`search` and `index`: find the quotable moments of the workspace."""

from __future__ import annotations

from typing import BinaryIO

import click

from onrecord.cli.common import echo_json, ensure_index, open_workspace, read_lines
from onrecord.errors import InputError, OnrecordError
from onrecord.export.document import player_time, plural
from onrecord.index import scope as scopes
from onrecord.index.hits import HitFormatter
from onrecord.index.search import check_query


@click.command()
@click.argument("query", required=False)
@click.option("--batch", type=click.File("rb"), help="Read one query per line from FILE ('-' for stdin).")
@click.option("--agent", help="Search only this agent's sources.")
@click.option("--speaker", "speakers", multiple=True, help="Only passages by this speaker (name or label).")
@click.option("--source", "sources", multiple=True, metavar="ID", help="Only this source.")
@click.option("-k", "k", type=int, default=5, show_default=True, help="How many results.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON (always, with --batch).")
@click.option(
    "--no-rerank", "no_rerank", is_flag=True, help="Rank by the first stage only (skip the [rerank] second stage)."
)
@click.pass_context
def search(
    ctx: click.Context,
    query: str | None,
    batch: BinaryIO | None,
    agent: str | None,
    speakers: tuple[str, ...],
    sources: tuple[str, ...],
    k: int,
    as_json: bool,
    no_rerank: bool,
) -> None:
    """Find the passages that best answer QUERY, best first.

    The first stage (BM25 and the embedding model) finds candidates; the second stage (the
    bundled answer selector, or the reranker set in [rerank]) reads the question with each
    and puts them in its order."""
    if (query is None) == (batch is None):
        raise InputError("give a QUERY or --batch FILE, not both and not neither")
    if k < 1:
        raise InputError(f"must be at least 1, got {k}", path="-k")
    if query is not None:
        query = check_query(query)
    workspace = open_workspace(ctx)
    scope = scopes.resolve(workspace.store, workspace.settings, agent=agent, speakers=speakers, sources=sources)
    ensure_index(workspace)
    lookup = HitFormatter(workspace.store)
    if batch is not None:
        for text, error in read_lines(batch):
            if error is not None:
                echo_json({"query": None, "error": error, "results": []})
                continue
            assert text is not None
            try:
                hits = workspace.search(text, k, scope, rerank=not no_rerank)
            except OnrecordError as exc:
                echo_json({"query": text, "error": str(exc), "results": []})
                continue
            echo_json({"query": text, "results": [lookup.hit_json(h) for h in hits]})
        return
    assert query is not None
    hits = workspace.search(query, k, scope, rerank=not no_rerank)
    if as_json:
        echo_json({"query": query, "results": [lookup.hit_json(h) for h in hits]})
        return
    if not hits:
        click.echo("no passages match")
    for rank, hit in enumerate(hits, start=1):
        result = lookup.hit_json(hit)
        chapter = f"[{result['chapter']}]" if result["chapter"] else ""
        where = " ".join(filter(None, (player_time(result["start"]), chapter)))
        click.echo(f"{rank}. {result['speaker']} in {result['source']['title']} {where}  (score {hit.score:.2f})")
        click.echo(f"   {result['text']}\n")


@click.command()
@click.pass_context
def index(ctx: click.Context) -> None:
    """Bring the search index up to date (passages and their embeddings), with a progress bar
    on a terminal; completes the sources that `sources` shows as not yet indexed."""
    workspace = open_workspace(ctx)
    waiting = len(workspace.unindexed_sources())
    report = ensure_index(workspace)
    pending = workspace.pending_index()
    done = "nothing was pending"
    if report is not None:
        done = f"embedded {plural(report.embedded, 'passage')}"
        if waiting:
            done += f" of {plural(waiting, 'source')}"
        if report.recut:
            done += f"; cut {plural(report.recut, 'source')} again"
    state = "index up to date" if pending == 0 else f"{plural(pending, 'passage')} still pending"
    click.echo(f"{state} ({done})")


COMMANDS = [search, index]
