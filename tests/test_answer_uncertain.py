"""An agent never quotes a turn whose speaker is uncertain as anyone's words; an owner's
correction makes it quotable, and the next answer uses the corrected speaker."""

from __future__ import annotations

from pathlib import Path

import pytest

from onrecord import corrections
from onrecord.answer import Agent
from onrecord.answer.result import Citation
from onrecord.answer.verify import QuoteChecker
from onrecord.workspace import Workspace
from tests.corrections_support import build, turn_with

QUESTION = "What did your first loaves taste like?"
ANSWER = "the first hundred loaves were terrible"


@pytest.fixture
def workspace(tmp_path: Path) -> Workspace:
    root, _ = build(tmp_path)
    return Workspace.open(root)


def test_guessed_turns_are_not_quoted_until_the_owner_confirms_them(workspace: Workspace) -> None:
    store = workspace.store
    source = store.get_source(store.sources()[0].id)
    index = turn_with(workspace, source.id, ANSWER)
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
