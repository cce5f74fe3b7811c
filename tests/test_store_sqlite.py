from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest

from onrecord.store import SQLiteStore, migrations
from tests.store_conformance import StoreConformance, make_source


class TestSQLiteStore(StoreConformance):
    @pytest.fixture
    def store(self, tmp_path: Path) -> Iterator[SQLiteStore]:
        store = SQLiteStore(tmp_path / "onrecord.db")
        yield store
        store.close()


def test_wal_mode_and_migrations_recorded(tmp_path: Path) -> None:
    SQLiteStore(tmp_path / "w.db").close()
    db = sqlite3.connect(tmp_path / "w.db")
    assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    names = [row[0] for row in db.execute("SELECT name FROM _migrations")]
    assert names == [name for name, _ in migrations.MIGRATIONS]


def test_reopening_applies_nothing_twice(tmp_path: Path) -> None:
    store = SQLiteStore(tmp_path / "w.db")
    store.add_source(make_source())
    store.close()
    again = SQLiteStore(tmp_path / "w.db")
    assert [s.id for s in again.sources()] == ["abc123"]
    again.close()


def test_a_failing_migration_rolls_back(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    SQLiteStore(tmp_path / "w.db").close()

    def broken(db: sqlite3.Connection) -> None:
        db.execute("CREATE TABLE half_done (x)")
        raise RuntimeError("boom")

    monkeypatch.setattr(migrations, "MIGRATIONS", [*migrations.MIGRATIONS, ("m999_broken", broken)])
    with pytest.raises(RuntimeError):
        SQLiteStore(tmp_path / "w.db")
    db = sqlite3.connect(tmp_path / "w.db")
    tables = {row[0] for row in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    assert "half_done" not in tables
