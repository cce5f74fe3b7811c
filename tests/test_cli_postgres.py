"""A workspace whose data is in PostgreSQL: the same commands, one clear error when it is not there."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from onrecord.cli import main
from onrecord.store.postgres.local import LocalServer
from tests.postgres_support import free_port, tables


def _workspace(root: Path, url: str) -> Path:
    root.mkdir(parents=True)
    (root / "onrecord.toml").write_text(
        f'[store]\nurl = "{url}"\npassword_env = "TEST_DB_PASSWORD"\n\n[agents.baker]\ntitle = "The baker"\n',
        encoding="utf-8",
    )
    return root


def _run(root: Path, *args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, ["-w", str(root), *args])
    return result.exit_code, result.stdout, result.stderr


def test_import_search_and_ask_on_postgresql(
    pg_database: tuple[str, str], segments_file: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    url, password = pg_database
    monkeypatch.setenv("TEST_DB_PASSWORD", password)
    root = _workspace(tmp_path / "ws", url)
    code, out, err = _run(root, "add", str(segments_file), "--json")
    assert code == 0, err
    source = json.loads(out)["sources"][0]
    assert not (root / "onrecord.db").exists()  # nothing went to SQLite
    code, out, _ = _run(root, "search", "when did you hire someone", "--json")
    assert code == 0 and json.loads(out)["results"][0]["source"]["id"] == source["id"]
    code, out, _ = _run(root, "ask", "How did the bakery start?", "--agent", "baker", "--json")
    answer = json.loads(out)
    assert code == 0 and answer["status"] == "answered" and answer["citations"]
    code, out, _ = _run(root, "remove", source["id"])
    assert code == 0 and json.loads(_run(root, "sources", "--json")[1]) == {"sources": []}


def test_a_password_in_the_url_is_refused_without_echoing_it(tmp_path: Path) -> None:
    root = _workspace(tmp_path / "ws", "postgresql://onrecord:hunter2@127.0.0.1:5433/onrecord")
    code, _, err = _run(root, "sources")
    assert code == 3 and "must not hold a password" in err and "hunter2" not in err


def test_an_unset_password_variable_is_named(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("TEST_DB_PASSWORD", raising=False)
    root = _workspace(tmp_path / "ws", "postgresql://onrecord@127.0.0.1:5433/onrecord")
    code, _, err = _run(root, "sources")
    assert code == 3 and "TEST_DB_PASSWORD is not set" in err


def test_unreachable_server_and_wrong_credentials_are_one_line_each(
    pg_server: LocalServer, pg_database: tuple[str, str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TEST_DB_PASSWORD", "wrong")
    url, _ = pg_database
    root = _workspace(tmp_path / "ws", url)
    code, _, err = _run(root, "add", str(tmp_path))
    assert code == 5 and err.count("\n") == 1 and "refused the credentials of user 'onrecord'" in err
    assert tables(pg_server, url) == []
    away = _workspace(tmp_path / "away", f"postgresql://onrecord@127.0.0.1:{free_port()}/onrecord")
    code, _, err = _run(away, "sources")
    assert code == 5 and err.count("\n") == 1 and "cannot reach PostgreSQL at 127.0.0.1" in err
