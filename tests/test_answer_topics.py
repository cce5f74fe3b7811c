"""A card's `topics`: an agent quotes only what is on them, even when its archive covers more."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from onrecord.answer import Agent
from onrecord.cli import main
from onrecord.workspace import Workspace

TALK = """WEBVTT

00:00:01.000 --> 00:00:04.000
<v Sam Ortiz>Why do you bake sourdough rather than yeasted bread?

00:00:04.000 --> 00:00:14.000
<v Noor Haddad>I bake sourdough because the long fermentation makes the bread easier to digest,
and a sourdough loaf keeps for days without going stale.

00:00:14.000 --> 00:00:17.000
<v Sam Ortiz>Which flour do you use most in the winter months?

00:00:17.000 --> 00:00:27.000
<v Noor Haddad>Rye flour is what I bake with most in winter, because it holds water well
and keeps the crumb of the loaf moist for longer.

00:00:27.000 --> 00:00:30.000
<v Sam Ortiz>Away from the bakery, which football team do you support?

00:00:30.000 --> 00:00:40.000
<v Noor Haddad>I have supported Liverpool since I was a child,
and on Saturdays I play football in the park with my neighbours and their kids.

00:00:40.000 --> 00:00:43.000
<v Sam Ortiz>And where do you like to go on holiday?

00:00:43.000 --> 00:00:53.000
<v Noor Haddad>My favourite holiday is hiking in the Scottish Highlands in September,
when the midges are gone and the hills are quiet.
"""

CARDS = """
[agents.baker]
title = "Noor, bread only"
speaks_as = ["Noor Haddad"]
topics = ["bread and baking", "sourdough, flour and ovens"]

[agents.noor]
title = "Noor, anything on record"
speaks_as = ["Noor Haddad"]
"""


@pytest.fixture(scope="module")
def workspace(tmp_path_factory: pytest.TempPathFactory) -> Workspace:
    root = tmp_path_factory.mktemp("topics")
    (root / "talk.vtt").write_text(TALK, encoding="utf-8")
    result = CliRunner().invoke(main, ["-w", str(root / "ws"), "add", str(root / "talk.vtt")])
    assert result.exit_code == 0, result.output
    config = root / "ws" / "onrecord.toml"
    config.write_text(config.read_text(encoding="utf-8") + CARDS, encoding="utf-8")
    ws = Workspace.open(root / "ws")
    ws.update_index()
    return ws


OFF_TOPIC = ["Which football team do you support?", "Where do you like to go on holiday?"]
ON_TOPIC = ["Why do you bake sourdough?", "Which flour do you use in winter?"]


def test_questions_off_the_topics_get_no_answer_though_the_archive_covers_them(workspace: Workspace) -> None:
    anything, baker = Agent(workspace, "noor"), Agent(workspace, "baker")
    for question in OFF_TOPIC:
        assert anything.ask(question).status == "answered", question  # the archive covers it
        answer = baker.ask(question)
        assert answer.status == "no_answer" and answer.answer == baker.card.no_answer, question


def test_questions_on_the_topics_are_answered_from_what_is_on_them(workspace: Workspace) -> None:
    baker = Agent(workspace, "baker")
    for question in ON_TOPIC:
        answer = baker.ask(question)
        assert answer.status == "answered", question
        assert not any("Liverpool" in c.quote or "Highlands" in c.quote for c in answer.citations), question
