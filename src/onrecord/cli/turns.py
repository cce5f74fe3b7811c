"""`speakers` and `turns`: who said what in one source, and the owner's corrections of it."""

from __future__ import annotations

from dataclasses import asdict

import click

from onrecord import corrections
from onrecord.cli.common import echo_json, open_workspace, refresh_index
from onrecord.errors import InputError
from onrecord.export.document import clock
from onrecord.model import Source, Turn
from onrecord.text import clean_text

# Words of a turn shown in a listing.
GLIMPSE_WORDS = 12


def _glimpse(turn: Turn) -> str:
    words = turn.text.split()
    return " ".join(words[:GLIMPSE_WORDS]) + (" ..." if len(words) > GLIMPSE_WORDS else "")


def _turn_line(source: Source, index: int) -> str:
    turn = source.transcript.turns[index]
    stamp = f" [{clock(turn.start)}]" if turn.start is not None else ""
    who = source.transcript.speaker_name(turn.speaker)
    return f"{index}\t{turn.confidence:.0%}\t{who}{stamp}\t{_glimpse(turn)}"


@click.command()
@click.argument("source_id")
@click.argument("names", nargs=-1, metavar="[LABEL=NAME]... | NAME")
@click.option("--turn", "turn", type=int, metavar="N", help="Give turn N (as `show` numbers turns) to NAME.")
@click.option("--uncertain", is_flag=True, help="List the turns whose speaker is uncertain, to check first.")
@click.option("--json", "as_json", is_flag=True, help="Print as JSON.")
@click.pass_context
def speakers(
    ctx: click.Context, source_id: str, names: tuple[str, ...], turn: int | None, uncertain: bool, as_json: bool
) -> None:
    """List a source's speakers, name them (LABEL=NAME; an empty NAME clears it), give one turn
    to someone (--turn N NAME), or list the turns whose speaker is uncertain (--uncertain)."""
    workspace = open_workspace(ctx)
    store = workspace.store
    if turn is not None:
        if len(names) != 1:
            raise InputError("give exactly one NAME with --turn N (quote a name with spaces)", path="NAME")
        source = corrections.set_speaker(store, source_id, turn, clean_text(names[0]))
        refresh_index(workspace, "changed")
        click.echo(_turn_line(source, turn))
        return
    for value in names:
        label, sep, name = value.partition("=")
        if not sep or not label.strip():
            raise InputError(f"expected LABEL=NAME, got {value!r}")
        store.name_speaker(source_id, clean_text(label).strip(), clean_text(name).strip() or None)
    source = store.get_source(source_id)
    if uncertain:
        bar = workspace.settings.speakers.min_confidence
        found = corrections.uncertain(source, bar)
        if as_json:
            echo_json(
                {
                    "bar": bar,
                    "turns": [
                        {
                            "id": u.index,
                            "speaker": source.transcript.speaker_name(u.turn.speaker),
                            "confidence": u.turn.confidence,
                            "start": u.turn.start,
                            "text": u.turn.text,
                        }
                        for u in found
                    ],
                }
            )
            return
        for u in found:
            click.echo(_turn_line(source, u.index))
        click.echo(f"{len(found)} of {len(source.transcript.turns)} turns under {bar:.0%} sure", err=True)
        return
    people = source.transcript.speakers
    if as_json:
        echo_json({"speakers": [asdict(s) for s in people]})
        return
    for person in people:
        click.echo(f"{person.label}\t{person.name or ''}")


@click.group()
def turns() -> None:
    """A source's turns: show one with its sentences, split one, or merge one with the next."""


@turns.command("show")
@click.argument("source_id")
@click.argument("turn", type=int)
@click.pass_context
def show_turn(ctx: click.Context, source_id: str, turn: int) -> None:
    """Print turn N with its sentences numbered (for `turns split --at`)."""
    source = open_workspace(ctx).store.get_source(source_id)
    found = corrections.check_turn(source, turn)
    click.echo(_turn_line(source, turn))
    for number, sentence in enumerate(found.sentences):
        click.echo(f"  {number}\t{found.text[sentence.begin : sentence.end]}")


@turns.command("split")
@click.argument("source_id")
@click.argument("turn", type=int)
@click.option("--at", "at", type=int, required=True, metavar="K", help="The sentence (from 0) the new turn starts at.")
@click.pass_context
def split_turn(ctx: click.Context, source_id: str, turn: int, at: int) -> None:
    """Split turn N in two: a new turn starts at its sentence K (see `turns show`)."""
    workspace = open_workspace(ctx)
    source = corrections.split_turn(workspace.store, source_id, turn, at)
    refresh_index(workspace, "changed")
    click.echo(_turn_line(source, turn))
    click.echo(_turn_line(source, turn + 1))


@turns.command("merge")
@click.argument("source_id")
@click.argument("turn", type=int)
@click.pass_context
def merge_turn(ctx: click.Context, source_id: str, turn: int) -> None:
    """Merge turn N with the turn after it (the merged turn keeps turn N's speaker)."""
    workspace = open_workspace(ctx)
    source = corrections.merge_turn(workspace.store, source_id, turn)
    refresh_index(workspace, "changed")
    click.echo(_turn_line(source, turn))


COMMANDS = [speakers, turns]
