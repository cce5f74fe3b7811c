"""An unlabelled interview whose voices are guessed (and, being short, guessed unsurely), with an
agent that speaks as its guest: for the tests of uncertain turns and of owner corrections."""

from __future__ import annotations

import shutil
from pathlib import Path

from click.testing import CliRunner

from onrecord.cli import main
from onrecord.workspace import Workspace

FIXTURE = Path(__file__).parent / "fixtures" / "captions" / "bakery_interview.txt"
CARD = """
[agents.tom]
title = "Tom Alder, baker (AI stand-in)"
speaks_as = ["Tom Alder"]
no_answer = "I have not talked about that on the record."

[speakers]
min_confidence = 0.95
"""
# The start of the guest's answer about his first loaves.
ANSWER = "Honestly the first hundred loaves were terrible."


def build(root: Path) -> tuple[Path, str]:
    """(workspace, source id): the bakery interview imported at root/ws and indexed, the
    guessed voice of ANSWER named Tom Alder, the card above (its bar over every guessed turn)."""
    shutil.copy(FIXTURE, root / "bakery.txt")
    ws = root / "ws"
    result = CliRunner().invoke(main, ["-w", str(ws), "add", str(root / "bakery.txt"), "--no-index"])
    assert result.exit_code == 0, result.stderr
    with (ws / "onrecord.toml").open("a", encoding="utf-8") as toml:
        toml.write(CARD)
    with Workspace.open(ws) as workspace:
        source_id = workspace.store.sources()[0].id
        workspace.store.name_speaker(source_id, voice_of(workspace, source_id, ANSWER), "Tom Alder")
        workspace.update_index()
    return ws, source_id


def turn_with(workspace: Workspace, source_id: str, words: str) -> int:
    """The index of the first turn (not of the cold open) holding `words`."""
    turns = workspace.store.get_source(source_id).transcript.turns
    return next(i for i, turn in enumerate(turns) if words in turn.text and not turn.teaser)


def voice_of(workspace: Workspace, source_id: str, words: str) -> str:
    return workspace.store.get_source(source_id).transcript.turns[turn_with(workspace, source_id, words)].speaker
