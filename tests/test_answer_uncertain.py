"""An agent never quotes a turn whose speaker is uncertain as anyone's words; an owner's
correction makes it quotable, and the next answer uses the corrected speaker."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from onrecord import corrections
from onrecord.answer import Agent
from onrecord.answer.result import Citation
from onrecord.answer.verify import QuoteChecker
from onrecord.cli import main
from onrecord.workspace import Workspace

FIXTURE = Path(__file__).parent / "fixtures" / "captions" / "bakery_interview.txt"
CARD = """
[agents.tom]
title = "Tom Alder, baker (AI stand-in)"
speaks_as = ["Tom Alder"]
no_answer = "I have not talked about that on the record."
"""
QUESTION = "What did your first loaves taste like?"
ANSWER = "the first hundred loaves were terrible"


@pytest.fixture
def workspace(tmp_path: Path) -> Workspace:
    """The unlabelled bakery interview (voices guessed from a short text, so unsure), with the
    guessed guest named Tom Alder and a card that speaks as him; the bar is set above every
    guessed turn."""
    shutil.copy(FIXTURE, tmp_path / "bakery.txt")
    ws = tmp_path / "ws"
    result = CliRunner().invoke(main, ["-w", str(ws), "add", str(tmp_path / "bakery.txt"), "--no-index"])
    assert result.exit_code == 0, result.stderr
    config = ws / "onrecord.toml"
    config.write_text(config.read_text(encoding="utf-8") + "\n[speakers]\nmin_confidence = 0.95\n" + CARD)
    opened = Workspace.open(ws)
    source = opened.store.sources()[0]
    guest = next(t.speaker for t in opened.store.get_source(source.id).transcript.turns if ANSWER in t.text)
    opened.store.name_speaker(source.id, guest, "Tom Alder")
    opened.update_index()
    return opened


def test_guessed_turns_are_not_quoted_until_the_owner_confirms_them(workspace: Workspace) -> None:
    store = workspace.store
    source = store.get_source(store.sources()[0].id)
    index = next(i for i, t in enumerate(source.transcript.turns) if ANSWER in t.text and not t.teaser)
    assert source.transcript.turns[index].confidence < 0.95
    before = Agent(workspace, "tom").ask(QUESTION)
    assert before.status == "no_answer", before.answer
    # A quote of the guessed turn does not check out either, whoever phrased it.
    checker = QuoteChecker(store, sure=0.95)
    guessed = Citation(ANSWER, "Tom Alder", source.id, source.title, None, None, None, None, index, True)
    assert not checker.holds(guessed) and QuoteChecker(store).holds(guessed)

    corrections.set_speaker(store, source.id, index, "Tom Alder")
    workspace.update_index()
    after = Agent(workspace, "tom").ask(QUESTION)
    assert after.status == "answered", after.answer
    assert after.citations[0].speaker == "Tom Alder" and ANSWER in after.citations[0].quote.lower()

    # Given to the host instead, the same words are never Tom's again (they may be quoted as hers).
    corrections.set_speaker(store, source.id, index, "Priya")
    workspace.update_index()
    again = Agent(workspace, "tom").ask(QUESTION)
    quoted = [c for c in again.citations if ANSWER in c.quote.lower()]
    assert all(c.speaker == "Priya" and not c.own for c in quoted), again.answer
