"""`onrecord db start/stop` and `onrecord migrate`: a local server, and copies all or nothing."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from onrecord.cli import main
from onrecord.store.postgres.local import LocalServer
from onrecord.workspace import Workspace
from tests.postgres_support import database, free_port, server_folder, tables


def _run(*args: str, workspace: Path | None = None) -> tuple[int, str, str]:
    options = ["-w", str(workspace)] if workspace is not None else []
    result = CliRunner().invoke(main, [*options, *args])
    return result.exit_code, result.stdout, result.stderr


def test_db_start_prints_the_url_of_a_server_that_a_workspace_can_use(
    tmp_path: Path, segments_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with server_folder() as place:
        _start_use_and_stop(place / "pg", free_port(), tmp_path, segments_file, monkeypatch)


def _start_use_and_stop(
    folder: Path, port: int, tmp_path: Path, segments_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    code, out, err = _run("db", "start", "--dir", str(folder), "--port", str(port))
    try:
        assert code == 0, err
        url = out.strip()
        assert url == f"postgresql://onrecord@127.0.0.1:{port}/onrecord"
        assert "password_env" in err and str(folder / "password") in err
        assert (folder / "password").stat().st_mode & 0o077 == 0
        monkeypatch.setenv("ONRECORD_DB_PASSWORD", (folder / "password").read_text().strip())
        root = tmp_path / "ws"
        root.mkdir()
        (root / "onrecord.toml").write_text(f'[store]\nurl = "{url}"\npassword_env = "ONRECORD_DB_PASSWORD"\n')
        assert _run("add", str(segments_file), workspace=root)[0] == 0
        assert len(json.loads(_run("sources", "--json", workspace=root)[1])["sources"]) == 1
        # Started again: the same server, still running.
        assert _run("db", "start", "--dir", str(folder), "--port", str(port))[1].strip() == url
    finally:
        assert _run("db", "stop", "--dir", str(folder))[0] == 0
    assert "not running" in _run("db", "stop", "--dir", str(folder))[2]


def _imported(root: Path, segments_file: Path) -> Path:
    assert _run("add", str(segments_file), workspace=root)[0] == 0
    with (root / "onrecord.toml").open("a", encoding="utf-8") as toml:
        toml.write('\n[agents.baker]\ntitle = "The baker"\n')
    assert _run("ask", "How did the bakery start?", "--agent", "baker", workspace=root)[0] == 0
    with Workspace.open(root) as workspace:
        from onrecord import insights
        from onrecord.answer import Agent

        answer = Agent(workspace, "baker").ask("When did you hire someone?")
        vector = workspace.searcher.queries.embed_batch([answer.question])[0]
        insights.log_answer(workspace.store, answer, vector=(workspace.searcher.model.name, vector))
    return root


def test_migrate_to_postgresql_and_back_keeps_everything(
    pg_server: LocalServer, segments_file: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = _imported(tmp_path / "ws", segments_file)
    monkeypatch.setenv("ONRECORD_DB_PASSWORD", pg_server.password())
    with Workspace.open(root) as workspace:
        before = workspace.store.counts()
        question = workspace.store.logged_questions()[0]
    assert before["vectors"] > 0 and before["questions"] == 1
    with database(pg_server) as url:
        code, out, err = _run("migrate", "--to", url, "--json", workspace=root)
        assert code == 0, err
        assert json.loads(out) == before
        code, _, err = _run("migrate", "--to", url, workspace=root)
        assert code == 5 and "already holds 1 sources" in err  # never into a store with data
        # The copy answers as the original does, and copies back to SQLite whole.
        toml = (root / "onrecord.toml").read_text()
        store = f'[store]\nurl = "{url}"\npassword_env = "ONRECORD_DB_PASSWORD"\n'
        (root / "onrecord.toml").write_text(toml.replace("[store]\n", store, 1))
        with Workspace.open(root) as workspace:
            assert workspace.store.counts() == before
            copied = workspace.store.logged_questions()[0]
            assert (copied.question, copied.status, copied.cited) == (
                question.question,
                question.status,
                question.cited,
            )
            assert len(workspace.store.question_vectors(workspace.searcher.model.name, [copied.id or 0])) == 1
            assert workspace.pending_index() == 0
        code, out, _ = _run("ask", "How did the bakery start?", "--agent", "baker", "--json", workspace=root)
        assert code == 0 and json.loads(out)["status"] == "answered"
        back = tmp_path / "back.db"
        code, out, err = _run("migrate", "--to", str(back), "--json", workspace=root)
        assert code == 0 and json.loads(out) == before, err


def test_an_interrupted_migration_leaves_the_target_empty_and_can_run_again(
    pg_server: LocalServer, segments_file: Path, tmp_path: Path
) -> None:
    root = _imported(tmp_path / "ws", segments_file)
    other = tmp_path / "second.json"
    other.write_text(segments_file.read_text().replace("bakery", "pottery"), encoding="utf-8")
    assert _run("add", str(other), workspace=root)[0] == 0
    with database(pg_server) as url, Workspace.open(root) as workspace:
        copied: list[str] = []

        def interrupt(source_id: str) -> None:
            copied.append(source_id)
            raise KeyboardInterrupt  # as Ctrl-C after the first source

        with pytest.raises(KeyboardInterrupt):
            workspace.migrate(url, pg_server.password(), progress=interrupt)
        assert len(copied) == 1
        from onrecord.store.postgres import PostgresStore

        target = PostgresStore(url, pg_server.password())
        assert target.counts() == dict.fromkeys(("sources", "turns", "passages", "vectors", "questions"), 0)
        target.close()
        assert "sources" in tables(pg_server, url)  # the schema is there, the data is not
        assert workspace.migrate(url, pg_server.password()) == workspace.store.counts()
