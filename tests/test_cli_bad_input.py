"""Bad input through the real CLI (issue 16): invalid Unicode in arguments and question files,
special files, size limits, links that lead nowhere, empty folders. Each ends in one line on
stderr and a non-zero exit, with nothing stored that was not complete."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from onrecord import importer
from onrecord.cli import main
from onrecord.config import InputSettings
from onrecord.workspace import Workspace
from tests.readers_support import FIXTURES

Run = Callable[..., Result]
ENV = {**os.environ, "PYTHONPATH": str(Path(__file__).parents[1] / "src")}


def _onrecord(workspace: Path, *args: str | bytes) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "onrecord", "-w", str(workspace), *args],
        env=ENV,
        capture_output=True,
        text=True,
        errors="replace",
        timeout=120,
    )


@pytest.fixture(scope="module")
def indexed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    workspace = tmp_path_factory.mktemp("bad-input") / "ws"
    result = CliRunner().invoke(main, ["-w", str(workspace), "add", str(FIXTURES / "interview.vtt")])
    assert result.exit_code == 0, result.stderr
    with (workspace / "onrecord.toml").open("a", encoding="utf-8") as toml:
        toml.write('\n[agents.maya]\ntitle = "Maya"\nspeaks_as = ["Maya Ortiz"]\n')
    return workspace


def test_a_byte_that_is_not_utf8_in_a_search_or_question_is_replaced_not_a_traceback(indexed: Path) -> None:
    # The shell hands Python the raw byte 0xff; Python makes it the lone surrogate U+DCFF.
    found = _onrecord(indexed, "search", b"What kind of bees \xff do you keep?", "-k", "1", "--json")
    assert found.returncode == 0, found.stderr
    assert "Traceback" not in found.stderr
    reply = json.loads(found.stdout)
    assert reply["query"] == "What kind of bees \ufffd do you keep?" and reply["results"]
    asked = _onrecord(indexed, "ask", "--agent", "maya", b"Why rooftops \xff?", "--json")
    assert asked.returncode == 0, asked.stderr
    assert json.loads(asked.stdout)["status"] in {"answered", "no_answer"}


def test_escaped_surrogates_in_a_question_file_are_replaced(indexed: Path, tmp_path: Path) -> None:
    questions = tmp_path / "q.jsonl"
    questions.write_text('{"question": "what \\ud800 bees?", "evidence": ["bees"]}\n', encoding="utf-8")
    result = CliRunner().invoke(main, ["-w", str(indexed), "eval", str(questions), "--json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["questions"][0]["question"] == "what \ufffd bees?"


def test_special_files_are_refused_by_type_without_waiting(cli: Run, tmp_path: Path) -> None:
    fifo = tmp_path / "pipe.vtt"
    os.mkfifo(fifo)
    started = time.perf_counter()
    for path, kind in ((fifo, "named pipe"), (Path("/dev/zero"), "character device")):
        result = cli("add", str(path))
        assert result.exit_code == 2
        assert result.stderr == f"onrecord: error: {path}: is a {kind}{' (FIFO)' if path == fifo else ''}, not a file\n"
    assert time.perf_counter() - started < 5
    assert json.loads(cli("sources", "--json").stdout) == {"sources": []}


def test_a_50_mb_one_line_file_is_refused_in_under_a_second_naming_the_setting(tmp_path: Path) -> None:
    big = tmp_path / "big.txt"
    with big.open("wb") as out:
        out.write(b"word " * 10_000_000)
    with Workspace.init(tmp_path / "ws") as ws:
        started = time.perf_counter()
        report = importer.import_paths(ws.store, [big], importer.ImportOptions(limits=ws.settings.input))
        assert time.perf_counter() - started < 1.0
        [error] = report.failed
        assert "50.0 MB" in str(error) and "[input] max_file_bytes" in str(error)
        # With a larger file limit, the line limit refuses it, also before any parsing.
        limits = InputSettings(max_file_bytes=60_000_000)
        started = time.perf_counter()
        report = importer.import_paths(ws.store, [big], importer.ImportOptions(limits=limits))
        assert time.perf_counter() - started < 3.0
        assert "line 1" in str(report.failed[0]) and "[input] max_line_chars" in str(report.failed[0])
        assert ws.store.sources() == []


def test_the_word_limit_names_its_setting(tmp_path: Path) -> None:
    with Workspace.init(tmp_path / "ws") as ws:
        options = importer.ImportOptions(limits=InputSettings(max_source_words=100))
        report = importer.import_paths(ws.store, [FIXTURES / "interview.vtt"], options)
        assert "more than 100 words" in str(report.failed[0]) and "[input] max_source_words" in str(report.failed[0])
        assert ws.store.sources() == []


def test_links_that_lead_nowhere_and_empty_folders_are_reported(cli: Run, tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "dangling.vtt").symlink_to(tmp_path / "gone.vtt")
    (folder / "loop.vtt").symlink_to(folder / "loop.vtt")
    (folder / "talk.vtt").write_bytes((FIXTURES / "interview.vtt").read_bytes())
    (tmp_path / "empty").mkdir()
    result = cli("add", str(folder), str(tmp_path / "empty"))
    assert result.exit_code == 2
    assert result.stderr.splitlines() == [
        f"onrecord: error: {folder / 'dangling.vtt'}: dangling symbolic link (to {tmp_path / 'gone.vtt'}, "
        "which does not exist)",
        f"onrecord: error: {folder / 'loop.vtt'}: symbolic link loop (the link leads back to itself)",
        f"onrecord: error: {tmp_path / 'empty'}: nothing to import: the folder holds no files",
    ]
    assert result.stdout.startswith("added ") and "20 turns" in result.stdout


def test_a_bad_file_in_a_folder_leaves_the_others_imported_and_indexed(cli: Run, tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a.vtt").write_bytes((FIXTURES / "interview.vtt").read_bytes())
    spans = {"meeting_transcripts": [{"speaker": "A", "content": "Bees."}], "topic_list": [{"topic": "x"}]}
    spans["topic_list"][0]["relevant_text_span"] = [[1e300, 2]]  # type: ignore[index]
    (folder / "b.json").write_text(json.dumps(spans).replace("1e+300", "1e400"), encoding="utf-8")
    (folder / "c.srt").write_bytes((FIXTURES / "interview.srt").read_bytes())
    result = cli("add", str(folder))
    assert result.exit_code == 2
    assert result.stderr.startswith(f"onrecord: error: {folder / 'b.json'}: topic_list[0].relevant_text_span[0]")
    assert result.stdout.count("added ") == 2
    listed = cli("sources").stdout
    assert listed.count("\n") == 2 and "not yet indexed" not in listed
    assert Workspace.open(tmp_path / "ws").pending_index() == 0


def test_one_turn_is_not_turns(cli: Run, tmp_path: Path) -> None:
    one = tmp_path / "one.json"
    one.write_text('[{"i": 0, "speaker": "A", "text": "We keep forty hives on the roofs of offices."}]')
    result = cli("add", "--no-index", str(one))
    assert "[caption-segments; 1 turn, 9 words, 0 chapters; A]" in result.stdout


def test_a_file_name_and_title_that_are_not_utf8_are_stored_as_text(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / os.fsdecode(b"caf\xe9.sbv")).write_bytes((FIXTURES / "interview.sbv").read_bytes())
    (folder / os.fsdecode(b"na\xefve.srt")).write_bytes((FIXTURES / "interview.srt").read_bytes())
    workspace = tmp_path / "ws"
    added = _onrecord(workspace, "add", "--no-index", str(folder / os.fsdecode(b"na\xefve.srt")), "--title", b"T\xff")
    assert added.returncode == 0, added.stderr
    folder_added = _onrecord(workspace, "add", "--no-index", str(folder), "--json")
    assert folder_added.returncode == 0, folder_added.stderr
    titles = {s["title"] for s in json.loads(_onrecord(workspace, "sources", "--json").stdout)["sources"]}
    assert titles == {"T\ufffd", "caf\ufffd"}
    with (workspace / "onrecord.toml").open("a", encoding="utf-8") as toml:
        toml.write('\n[agents.maya]\ntitle = "Maya"\nspeaks_as = ["Maya Ortiz"]\n')
    chat = subprocess.run(
        [sys.executable, "-m", "onrecord", "-w", str(workspace), "chat", "--agent", "maya"],
        input=b"why bees on roofs \xff?\n",
        env=ENV,
        capture_output=True,
        timeout=300,
    )
    assert chat.returncode == 0, chat.stderr
    assert b"Traceback" not in chat.stderr and b"[1] " in chat.stdout


def test_question_files_that_never_end_are_refused(indexed: Path) -> None:
    batch = CliRunner().invoke(main, ["-w", str(indexed), "search", "--batch", "/dev/zero"])
    assert batch.exit_code == 2 and "--batch: more than 16,000,000 bytes" in batch.stderr
    questions = CliRunner().invoke(main, ["-w", str(indexed), "eval", "/dev/zero"])
    assert questions.exit_code == 2 and "/dev/zero: is a character device, not a file" in questions.stderr
