"""`ask` and `chat`: questions answered by an agent, once or as a conversation."""

from __future__ import annotations

import io
import sys
from typing import Any, BinaryIO

import click

from onrecord.answer import Agent, Answer
from onrecord.answer.agent import check_question
from onrecord.cli.common import echo_json, ensure_index, open_workspace, read_lines
from onrecord.errors import InputError, OnrecordError
from onrecord.export.document import player_time


def _show(answer: Answer) -> None:
    """An answer for people: its text, then one line per citation."""
    click.echo(answer.answer)
    if answer.status != "answered":
        click.echo(f"({answer.status.replace('_', ' ')})")
    if not answer.citations:
        return
    click.echo()
    for number, citation in enumerate(answer.citations, start=1):
        at = f" at {player_time(citation.start)}" if citation.start is not None else ""
        link = f"  {citation.url}" if citation.url else ""
        click.echo(f"[{number}] {citation.speaker}, {citation.source_title}{at}{link}")


def _agent(ctx: click.Context, name: str) -> Agent:
    workspace = open_workspace(ctx)
    agent = Agent(workspace, name)
    ensure_index(workspace)
    return agent


@click.command()
@click.argument("question", required=False)
@click.option("--agent", "agent_name", required=True, help="The agent that answers (a name in onrecord.toml).")
@click.option("--batch", type=click.File("rb"), help="Answer one question per line of FILE ('-' for stdin).")
@click.option("--json", "as_json", is_flag=True, help="Print JSON (always, with --batch).")
@click.pass_context
def ask(ctx: click.Context, question: str | None, agent_name: str, batch: BinaryIO | None, as_json: bool) -> None:
    """Ask an agent QUESTION; the answer quotes its owner's words, each with its source."""
    if (question is None) == (batch is None):
        raise InputError("give a QUESTION or --batch FILE, not both and not neither")
    if question is not None:
        question = check_question(question)
    agent = _agent(ctx, agent_name)
    if batch is not None:
        for text, error in read_lines(batch):
            line: dict[str, Any]
            try:
                if error is not None:
                    raise InputError(error)
                assert text is not None
                line = {"question": text, **agent.ask(text).to_json()}
            except OnrecordError as exc:
                line = {"question": text, "agent": agent_name, "error": str(exc)}
            echo_json(line)
        return
    assert question is not None
    answer = agent.ask(question)
    if as_json:
        echo_json(answer.to_json())
    else:
        _show(answer)


@click.command()
@click.option("--agent", "agent_name", required=True, help="The agent to talk with (a name in onrecord.toml).")
@click.pass_context
def chat(ctx: click.Context, agent_name: str) -> None:
    """Talk with an agent; follow-up questions are read against the conversation.

    One question per line; an empty line or end of input (Ctrl-D) ends the conversation.
    """
    agent = _agent(ctx, agent_name)
    if isinstance(sys.stdin, io.TextIOWrapper):
        # A line that is not UTF-8 becomes lone surrogates, which ask() replaces, not a traceback.
        sys.stdin.reconfigure(errors="surrogateescape")
    interactive = sys.stdin.isatty()
    click.echo(f"{agent.card.title}\n{agent.card.disclosure}\n")
    history: list[str] = []
    while True:
        if interactive:
            click.echo("> ", nl=False)
        line = sys.stdin.readline()
        if not line or not line.strip():
            return
        question = line.strip()
        try:
            answer = agent.ask(question, history)
        except OnrecordError as exc:
            click.echo(f"onrecord: error: {exc}", err=True)
            continue
        history.append(question)
        _show(answer)
        click.echo()


COMMANDS = [ask, chat]
