"""`onrecord agents check`: each avoided topic's reach into the sources, and the card warnings."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from onrecord.answer.agent import Agent
from onrecord.cli import main
from onrecord.rails.reach import reach
from onrecord.workspace import Workspace

# A baker's interview written for this test: four answers on bread, two on her divorce.
TURNS = [
    ("Host", "How did you learn to bake sourdough?"),
    (
        "Mira Holt",
        "My grandmother kept a starter in a clay jar for forty years, and she taught me to feed it every "
        "morning before school. I still use a piece of that same starter in every loaf we bake today.",
    ),
    ("Host", "What makes a good crust?"),
    (
        "Mira Holt",
        "A very hot oven and plenty of steam in the first twenty minutes. We bake the loaves dark, almost "
        "burnt at the edges, because that is where all the flavour of the crust comes from.",
    ),
    ("Host", "Which flour do you use?"),
    (
        "Mira Holt",
        "We buy stone-ground wheat and rye from two farms in the valley. The rye gives the bread a sour, "
        "earthy taste that people come back for every single week.",
    ),
    ("Host", "How long does the dough rise?"),
    (
        "Mira Holt",
        "The dough rises slowly overnight in the cold room, about sixteen hours. A long cold proof makes the "
        "bread easier to digest and gives it that open, glossy crumb.",
    ),
    ("Host", "Can you tell me about your divorce from your ex-husband?"),
    (
        "Mira Holt",
        "My divorce from my ex-husband was final last spring. My ex-husband and I had been married twelve "
        "years, and the divorce lawyers took months to split the house between us.",
    ),
    ("Host", "Do you still talk to your ex-husband after the divorce?"),
    (
        "Mira Holt",
        "I barely talk to my ex-husband since the divorce. My ex-husband moved out in April, and after the "
        "divorce we only speak through lawyers about our son.",
    ),
]
TRANSCRIPT = "".join(f"{who}: {text}\n" for who, text in TURNS)

CARD = """
[agents.mira]
title = "Mira Holt (AI stand-in)"
speaks_as = ["Mira Holt"]

[[agents.mira.avoid]]
topic = "my divorce and my ex-husband"
examples = ["Why did your marriage end?", "Do you still talk to your ex-husband?"]
reply = "I keep my private life private."
"""

BROAD = """
[[agents.mira.avoid]]
topic = "my son's school"
reply = "I keep my son out of this."

[[agents.mira.avoid]]
topic = "how I bake my sourdough bread"
examples = ["How do you make your sourdough?", "What flour and starter do you use for your bread?",
            "How long does your dough rise?", "How do you get a good crust on a loaf?"]
reply = "That's a trade secret."
"""


def _workspace(root: Path, card: str) -> Path:
    (root / "mira.txt").write_text(TRANSCRIPT, encoding="utf-8")
    ws = root / "ws"
    result = CliRunner().invoke(main, ["-w", str(ws), "add", str(root / "mira.txt")])
    assert result.exit_code == 0, result.output
    toml = ws / "onrecord.toml"
    toml.write_text(toml.read_text() + card)
    return ws


@pytest.fixture(scope="module")
def narrow(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _workspace(tmp_path_factory.mktemp("reach"), CARD)


def test_a_topic_keeps_out_the_passages_on_it_and_only_those(narrow: Path) -> None:
    workspace = Workspace.open(narrow)
    try:
        workspace.update_index()
        (topic,) = reach(Agent(workspace, "mira"))
    finally:
        workspace.close()
    kept = " ".join(k.passage.text for k in topic.passages)
    assert "lawyers took months" in kept and "moved out in April" in kept
    assert "starter" not in kept and "crust" not in kept and "rye" not in kept
    assert 0 < topic.share < 0.5 and not topic.too_broad


def test_agents_check_shows_the_reach_and_its_json_lists_every_passage(narrow: Path) -> None:
    result = CliRunner().invoke(main, ["-w", str(narrow), "agents", "check"])
    assert result.exit_code == 0, result.output
    assert "mira: avoids 'my divorce and my ex-husband': keeps out" in result.stdout
    assert "Mira Holt" in result.stdout
    data = json.loads(CliRunner().invoke(main, ["-w", str(narrow), "agents", "check", "--json"]).stdout)
    (agent,) = data["agents"]
    (topic,) = agent["avoid"]
    assert {k["speaker"] for k in topic["kept_out"]} >= {"Mira Holt"}
    assert all("ex-husband" in k["text"] for k in topic["kept_out"])
    assert agent["warnings"] == []


def test_a_topic_without_examples_and_one_too_broad_are_warned_about(tmp_path: Path) -> None:
    ws = _workspace(tmp_path, CARD + BROAD)
    result = CliRunner().invoke(main, ["-w", str(ws), "agents", "check"])
    assert result.exit_code == 0, result.output
    warnings = [line for line in result.stderr.splitlines() if "warning" in line]
    assert any("avoid[1]" in w and "no examples" in w for w in warnings), warnings
    assert any("avoid[2]" in w and "keeps out" in w and "%" in w for w in warnings), warnings
    assert not any("avoid[0]" in w for w in warnings), warnings


def test_a_blank_reply_stops_with_the_field_named(tmp_path: Path) -> None:
    ws = _workspace(tmp_path, CARD.replace('reply = "I keep my private life private."', 'reply = "  "'))
    result = CliRunner().invoke(main, ["-w", str(ws), "agents", "check"])
    assert result.exit_code != 0
    assert "agents.mira.avoid.0.reply" in result.stderr and "blank" in result.stderr
