"""Owner corrections through the real CLI: one turn's speaker, splits, merges, a source's fields,
uncertain turns, and the edits kept over a re-cut and a re-import of the same file."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from click.testing import Result

from onrecord import corrections
from onrecord.errors import ConflictError
from onrecord.model import Edit
from onrecord.workspace import PASSAGE_RULES, Workspace

Run = Callable[..., Result]
FIXTURE = Path(__file__).parent / "fixtures" / "captions" / "bakery_interview.txt"


@pytest.fixture
def source(cli: Run, tmp_path: Path) -> str:
    """The unlabelled bakery interview, imported (voices guessed) without vectors."""
    path = tmp_path / "bakery.txt"
    shutil.copy(FIXTURE, path)
    result = cli("add", str(path), "--json", "--no-index", "--speaker", "Speaker B=Tom Alder")
    assert result.exit_code == 0, result.stderr
    return str(json.loads(result.stdout)["sources"][0]["id"])


def shown(cli: Run, source_id: str) -> dict[str, Any]:
    result = cli("show", source_id, "--as", "json")
    assert result.exit_code == 0, result.stderr
    data: dict[str, Any] = json.loads(result.stdout)
    return data


def turn_with(data: dict[str, Any], words: str) -> int:
    return next(t["id"] for t in data["turns"] if words in t["text"] and not t["teaser"])


def test_uncertain_turns_are_marked_in_show_and_listed(cli: Run, source: str) -> None:
    data = shown(cli, source)
    doubtful = [t for t in data["turns"] if t["uncertain"]]
    assert doubtful and all(t["confidence"] < 0.8 for t in doubtful)
    assert all(not t["uncertain"] for t in data["turns"] if t["confidence"] >= 0.8)
    listed = json.loads(cli("speakers", source, "--uncertain", "--json").stdout)
    assert listed["bar"] == 0.8 and [t["id"] for t in listed["turns"]] == [t["id"] for t in doubtful]
    text = cli("show", source, "--as", "txt").stdout
    assert "(speaker uncertain, " in text
    assert "_(speaker uncertain, " in cli("show", source, "--as", "md").stdout
    plain = cli("speakers", source, "--uncertain")
    assert plain.exit_code == 0 and f"of {len(data['turns'])} turns under 80% sure" in plain.stderr


def test_one_turn_is_given_to_someone_and_becomes_certain(cli: Run, source: str) -> None:
    before = shown(cli, source)
    index = turn_with(before, "Christmas Day")
    result = cli("speakers", source, "--turn", str(index), "Priya")
    assert result.exit_code == 0, result.stderr
    after = shown(cli, source)
    turn = after["turns"][index]
    assert (turn["speaker"], turn["confidence"], turn["uncertain"]) == ("Priya", 1.0, False)
    assert {"label": "Priya", "name": None} in after["speakers"]
    # Every other turn is as it was, and the words are the same.
    assert [t for t in after["turns"] if t["id"] != index] == [t for t in before["turns"] if t["id"] != index]
    # A name already in the source is that speaker, by name or label, in any case.
    assert cli("speakers", source, "--turn", str(index), "tom alder").exit_code == 0
    assert shown(cli, source)["turns"][index]["speaker"] == "Tom Alder"


def test_a_turn_is_split_at_a_sentence_and_merged_again(cli: Run, source: str, tmp_path: Path) -> None:
    before = shown(cli, source)
    index = int(places(tmp_path, source)["{many}"])
    listing = cli("turns", "show", source, str(index)).stdout.splitlines()
    first, second = listing[1].split("\t")[1], listing[2].split("\t")[1]
    assert listing[1].startswith("  0\t") and listing[2].startswith("  1\t")
    result = cli("turns", "split", source, str(index), "--at", "1")
    assert result.exit_code == 0, result.stderr
    split = shown(cli, source)
    assert len(split["turns"]) == len(before["turns"]) + 1
    assert split["turns"][index]["text"] == first
    assert split["turns"][index + 1]["text"].startswith(second)
    assert split["turns"][index]["text"] + " " + split["turns"][index + 1]["text"] == before["turns"][index]["text"]
    assert [c["turn_id"] for c in split["chapters"]] == [
        c["turn_id"] + (c["turn_id"] > index) for c in before["chapters"]
    ]
    assert cli("speakers", source, "--turn", str(index + 1), "Tom Alder").exit_code == 0
    merged = cli("turns", "merge", source, str(index))
    assert merged.exit_code == 0, merged.stderr
    again = shown(cli, source)
    assert again["turns"][index]["text"] == before["turns"][index]["text"]
    assert len(again["turns"]) == len(before["turns"])
    assert [c["turn_id"] for c in again["chapters"]] == [c["turn_id"] for c in before["chapters"]]


def test_a_source_title_url_and_date_are_edited(cli: Run, source: str) -> None:
    result = cli("sources", "edit", source, "--title", "Slow Mornings 12", "--url", "https://example.org/ep12")
    assert result.exit_code == 0, result.stderr
    assert cli("sources", "edit", source, "--date", "2024-03-05").exit_code == 0
    [listed] = json.loads(cli("sources", "--json").stdout)["sources"]
    assert (listed["title"], listed["url"], listed["date"]) == (
        "Slow Mornings 12",
        "https://example.org/ep12",
        "2024-03-05",
    )
    assert cli("sources", "edit", source, "--url", "").exit_code == 0
    assert json.loads(cli("sources", "--json").stdout)["sources"][0]["url"] is None


def places(tmp_path: Path, source_id: str) -> dict[str, str]:
    """Turns that each bad correction aims at, found in the stored transcript (so that the
    test does not hang on how the voices model cut this interview)."""
    with Workspace.open(tmp_path / "ws") as workspace:
        transcript = workspace.store.get_source(source_id).transcript
    turns = transcript.turns
    many = next(i for i, t in enumerate(turns) if len(t.sentences) > 1)
    chapter = next(c.turn for c in transcript.chapters if c.turn > 0 and not turns[c.turn - 1].teaser)
    return {
        "{id}": source_id,
        "{last}": str(len(turns) - 1),
        "{many}": str(many),
        "{count}": str(len(turns[many].sentences)),
        "{one}": str(next(i for i, t in enumerate(turns) if len(t.sentences) == 1)),
        "{before-chapter}": str(chapter - 1),
        "{chapter}": str(chapter),
        "{cold-open-ends}": str(max(i for i, t in enumerate(turns) if t.teaser)),
    }


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (
            ["speakers", "{id}", "--turn", "99", "Tom Alder"],
            2,
            "TURN: source {id} has turns 0 to {last}; there is no turn 99",
        ),
        (["speakers", "{id}", "--turn", "-1", "Tom Alder"], 2, "there is no turn -1"),
        (["speakers", "{id}", "--turn", "3", "  "], 2, "NAME: the speaker's name is empty"),
        (["speakers", "{id}", "--turn", "3", "A", "B"], 2, "give exactly one NAME with --turn N"),
        (["speakers", "nope", "--turn", "3", "Tom"], 4, "no source with id 'nope'"),
        (
            ["turns", "split", "{id}", "{many}", "--at", "{count}"],
            2,
            "--at: turn {many} has {count} sentences: a split goes at sentence 1 to",
        ),
        (["turns", "split", "{id}", "{many}", "--at", "0"], 2, "a split goes at sentence 1 to"),
        (["turns", "split", "{id}", "{one}", "--at", "1"], 2, "turn {one} has one sentence: there is nothing to split"),
        (["turns", "split", "{id}", "40", "--at", "1"], 2, "there is no turn 40"),
        (["turns", "merge", "{id}", "{last}"], 2, "turn {last} is the last turn of source {id}: there is no next turn"),
        (
            ["turns", "merge", "{id}", "{before-chapter}"],
            2,
            "turns {before-chapter} and {chapter} are in different chapters",
        ),
        (["turns", "merge", "{id}", "{cold-open-ends}"], 2, "the cold open cannot be joined to the conversation"),
        (["turns", "merge", "nope", "1"], 4, "no source with id 'nope'"),
        (["sources", "edit", "{id}", "--url", "ftp://x"], 2, "--url: not an http(s) URL: 'ftp://x'"),
        (["sources", "edit", "{id}", "--date", "2024-13-01"], 2, "--date: not a date of the form YYYY-MM-DD"),
        (["sources", "edit", "{id}", "--title", " "], 2, "--title: the title is empty"),
        (["sources", "edit", "{id}"], 2, "nothing to change: give --title, --url or --date"),
        (["sources", "edit", "nope", "--title", "x"], 4, "no source with id 'nope'"),
    ],
)
def test_bad_corrections_say_what_is_wrong_and_change_nothing(
    cli: Run, source: str, tmp_path: Path, args: list[str], code: int, message: str
) -> None:
    where = places(tmp_path, source)

    def filled(text: str) -> str:
        for key, value in where.items():
            text = text.replace(key, value)
        return text

    before = shown(cli, source)
    sources_before = cli("sources", "--json").stdout
    result = cli(*[filled(a) for a in args])
    assert result.exit_code == code, result.output
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and filled(message) in lines[0], result.stderr
    assert "Traceback" not in result.output
    assert shown(cli, source) == before and cli("sources", "--json").stdout == sources_before


def test_edits_survive_a_recut_and_a_reimport_of_the_same_file(cli: Run, source: str, tmp_path: Path) -> None:
    # The owner gives "The starter is older than my kids." (and what follows) to Tom, cutting
    # it out of whatever turn the voices model put it in.
    data = shown(cli, source)
    index = turn_with(data, "The starter is older than my kids. It came")
    sentences = cli("turns", "show", source, str(index)).stdout.splitlines()[1:]
    at = next(n for n, line in enumerate(sentences) if line.endswith("\tThe starter is older than my kids."))
    if at:
        assert cli("turns", "split", source, str(index), "--at", str(at)).exit_code == 0
        index += 1
    assert cli("speakers", source, "--turn", str(index), "Tom Alder").exit_code == 0
    assert cli("speakers", source, "--turn", "0", "Priya").exit_code == 0
    assert cli("sources", "edit", source, "--title", "Slow Mornings 12").exit_code == 0
    corrected = shown(cli, source)

    # Passages cut by older rules are cut again from the stored, corrected transcript.
    with Workspace.open(tmp_path / "ws") as workspace:
        workspace.store.set_meta(PASSAGE_RULES, "older rules")
    result = cli("index")
    assert result.exit_code == 0, result.stderr
    assert shown(cli, source) == corrected
    found = json.loads(cli("search", "older than my kids grandmother", "--speaker", "Tom Alder", "--json").stdout)
    assert found["results"] and found["results"][0]["text"].startswith("The starter is older than my kids.")

    # Added again, the file is repaired anew and the owner's edits applied over it.
    result = cli("add", str(tmp_path / "bakery.txt"), "--again", "--json")
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout)["sources"][0]["title"] == "Slow Mornings 12"
    assert shown(cli, source) == corrected
    # Without --again the same file is left as it is.
    assert "already imported" in cli("add", str(tmp_path / "bakery.txt")).stderr
    assert shown(cli, source) == corrected


def test_a_correction_from_an_old_read_is_refused_whole(cli: Run, source: str, tmp_path: Path) -> None:
    with Workspace.open(tmp_path / "ws") as workspace, Workspace.open(tmp_path / "ws") as other:
        store = workspace.store
        stale = store.get_source(source)
        corrections.set_speaker(other.store, source, 5, "Priya")  # another process gets there first
        before = store.get_source(source)
        edit = Edit("split", {"at": 60})
        corrections.apply(stale, edit)
        with pytest.raises(ConflictError, match="nothing was changed"):
            store.replace_transcript(stale, [], edit)
        after = store.get_source(source)
        assert after.transcript.turns == before.transcript.turns and after.revision == before.revision
        assert [e.kind for e in store.edits(source)] == ["speaker"]


def test_a_correction_waits_for_another_process_writing(cli: Run, source: str, tmp_path: Path) -> None:
    # Another process holds the write lock for a second (an import in progress): the
    # correction waits for it, then applies whole.
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sqlite3, sys, time; db = sqlite3.connect(sys.argv[1], isolation_level=None);"
            " db.execute('BEGIN IMMEDIATE'); print('locked', flush=True); time.sleep(1.0); db.execute('COMMIT')",
            str(tmp_path / "ws" / "onrecord.db"),
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    assert holder.stdout is not None and holder.stdout.readline().strip() == "locked"
    started = time.monotonic()
    result = cli("speakers", source, "--turn", "5", "Priya")
    waited = time.monotonic() - started
    assert holder.wait(timeout=10) == 0
    assert result.exit_code == 0, result.stderr
    assert waited > 0.5 and shown(cli, source)["turns"][5]["speaker"] == "Priya"
