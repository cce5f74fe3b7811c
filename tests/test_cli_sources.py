from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

from click.testing import CliRunner, Result

from onrecord.cli import main

Run = Callable[..., Result]


def test_init_creates_workspace_and_is_idempotent(cli: Run, tmp_path: Path) -> None:
    assert cli("init").exit_code == 0
    assert (tmp_path / "ws" / "onrecord.toml").exists()
    assert (tmp_path / "ws" / "onrecord.db").exists()
    assert cli("init").exit_code == 0


def test_read_commands_refuse_a_folder_that_is_no_workspace(cli: Run) -> None:
    result = cli("sources")
    assert result.exit_code != 0
    assert "not an onrecord workspace" in result.stderr
    assert "Traceback" not in result.output


def test_add_json_matches_interface(cli: Run, segments_file: Path) -> None:
    result = cli("add", str(segments_file), "--json", "--speaker", "Speaker 2=Rosa Lind")
    assert result.exit_code == 0, result.stderr
    [source] = json.loads(result.stdout)["sources"]
    # The INTERFACE fields, extended with the source's url and date (as `sources --json` lists them).
    assert set(source) == {"id", "title", "format", "speakers", "turns", "words", "chapters", "url", "date"}
    assert source["format"] == "caption-segments"
    assert "Rosa Lind" in source["speakers"]
    assert source["words"] == 43


def test_show_json_shape_and_rename_without_reimport(cli: Run, segments_file: Path) -> None:
    source_id = json.loads(cli("add", str(segments_file), "--json").stdout)["sources"][0]["id"]
    shown = json.loads(cli("show", source_id, "--as", "json").stdout)
    assert set(shown) == {"source", "speakers", "turns", "chapters"}
    assert set(shown["source"]) == {"id", "title", "url", "format"}
    turn = shown["turns"][0]
    # The INTERFACE fields, extended with how sure the speaker is (and whether that is under the bar).
    assert set(turn) == {"id", "speaker", "text", "clean_text", "start", "end", "teaser", "confidence", "uncertain"}
    assert (turn["confidence"], turn["uncertain"]) == (1.0, False)  # the file names its speakers
    labels = [s["label"] for s in shown["speakers"]]
    assert cli("speakers", source_id, f"{labels[0]}=Host Person").exit_code == 0
    again = json.loads(cli("show", source_id, "--as", "json").stdout)
    assert {"label": labels[0], "name": "Host Person"} in again["speakers"]
    assert any(t["speaker"] == "Host Person" for t in again["turns"])
    bad = cli("speakers", source_id, "Nobody=X")
    assert bad.exit_code != 0 and "no speaker label 'Nobody'" in bad.stderr


def test_readding_the_same_file_does_not_duplicate(cli: Run, segments_file: Path) -> None:
    first = json.loads(cli("add", str(segments_file), "--json").stdout)["sources"][0]["id"]
    again = cli("add", str(segments_file), "--json")
    assert again.exit_code == 0
    assert "already imported as" in again.stderr
    assert json.loads(again.stdout)["sources"][0]["id"] == first
    assert len(json.loads(cli("sources", "--json").stdout)["sources"]) == 1


def test_remove_takes_the_source_away(cli: Run, segments_file: Path) -> None:
    source_id = json.loads(cli("add", str(segments_file), "--json").stdout)["sources"][0]["id"]
    assert cli("remove", source_id).exit_code == 0
    assert json.loads(cli("sources", "--json").stdout)["sources"] == []
    missing = cli("remove", source_id)
    assert missing.exit_code != 0 and source_id in missing.stderr


def test_bad_options_fail_before_anything_is_written(cli: Run, segments_file: Path, tmp_path: Path) -> None:
    for args, expected in (
        (["--date", "2024-13-01"], "--date"),
        (["--date", "yesterday"], "--date"),
        (["--url", "ftp:/x"], "--url"),
        (["--speaker", "NoEquals"], "--speaker"),
    ):
        result = cli("add", str(segments_file), *args)
        assert result.exit_code != 0
        assert expected in result.stderr and "Traceback" not in result.output
    assert not (tmp_path / "ws").exists()


def test_unknown_speaker_label_is_an_error_but_good_files_stay(cli: Run, segments_file: Path) -> None:
    result = cli("add", str(segments_file), "--speaker", "Speaker 9=Nobody")
    assert result.exit_code != 0
    assert "Speaker 9" in result.stderr
    assert len(json.loads(cli("sources", "--json").stdout)["sources"]) == 1


def test_workspace_from_environment(segments_file: Path, tmp_path: Path) -> None:
    runner = CliRunner(env={"ONRECORD_WORKSPACE": str(tmp_path / "envws")})
    assert runner.invoke(main, ["add", str(segments_file)]).exit_code == 0
    assert (tmp_path / "envws" / "onrecord.toml").exists()


def test_a_folder_imports_every_file_inside(cli: Run, segments_file: Path, tmp_path: Path) -> None:
    folder = tmp_path / "archive"
    (folder / "sub").mkdir(parents=True)
    (folder / "a.json").write_bytes(segments_file.read_bytes())
    (folder / "sub" / "b.txt").write_text("Just one line of caption text here\nand another line of it\n")
    (folder / ".hidden").write_text("not imported")
    result = cli("add", str(folder), "--json")
    assert result.exit_code == 0, result.stderr
    assert len(json.loads(result.stdout)["sources"]) == 2


def _big_segments(path: Path, segments: int) -> None:
    rows = [
        {"i": i, "speaker": f"Speaker {1 + (i // 7) % 2}", "text": f"segment {i} says something about bread and ovens"}
        for i in range(segments)
    ]
    path.write_text(json.dumps(rows), encoding="utf-8")


def test_a_killed_import_leaves_no_half_source(tmp_path: Path) -> None:
    big = tmp_path / "big.json"
    _big_segments(big, 150_000)
    workspace = tmp_path / "ws"
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).parents[1] / "src")}
    subprocess.run([sys.executable, "-m", "onrecord", "-w", str(workspace), "init"], check=True, env=env)
    outcomes = set()
    for delay in (0.5, 1.0, 1.5, 2.5, 4.0):
        proc = subprocess.Popen(
            [sys.executable, "-m", "onrecord", "-w", str(workspace), "add", "--no-index", str(big)], env=env
        )
        time.sleep(delay)
        proc.kill()
        proc.wait()
        db = sqlite3.connect(workspace / "onrecord.db")
        sources = db.execute("SELECT id FROM sources").fetchall()
        turns = db.execute("SELECT count(*) FROM turns").fetchone()[0]
        db.close()
        if sources:
            outcomes.add("complete")
            assert turns > 0
            break
        outcomes.add("nothing")
        assert turns == 0, "turns were left without their source"
    # A later import over the same workspace succeeds and is whole.
    done = subprocess.run(
        [sys.executable, "-m", "onrecord", "-w", str(workspace), "add", "--no-index", str(big), "--json"],
        env=env,
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stderr
    db = sqlite3.connect(workspace / "onrecord.db")
    assert db.execute("SELECT count(*) FROM sources").fetchone()[0] == 1
    assert "nothing" in outcomes
