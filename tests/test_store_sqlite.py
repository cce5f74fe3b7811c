from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest

from onrecord.store import SQLiteStore, migrations
from tests.store_conformance import (
    PassageStoreConformance,
    QuestionLogConformance,
    SourceStoreConformance,
    StoreConformance,
    VectorStoreConformance,
    make_source,
)


class TestSQLiteStore(
    SourceStoreConformance, PassageStoreConformance, VectorStoreConformance, QuestionLogConformance, StoreConformance
):
    @pytest.fixture
    def store(self, tmp_path: Path) -> Iterator[SQLiteStore]:
        store = SQLiteStore(tmp_path / "onrecord.db")
        yield store
        store.close()

    @pytest.fixture
    def other(self, store: SQLiteStore) -> Iterator[SQLiteStore]:
        other = SQLiteStore(store.path)
        yield other
        other.close()


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


def test_terms_in_most_passages_are_left_out_of_lexical_queries(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from onrecord.index import passages
    from onrecord.model import Sentence, Source, Speaker, Transcript, Turn
    from onrecord.store import lexical as backend

    monkeypatch.setattr(backend, "COMMON_TERM", 0.5)
    monkeypatch.setattr(backend, "COMMON_TERM_MIN", 1)

    def source(n: int, texts: list[str]) -> Source:
        turns = [Turn("A", t, t, None, None, sentences=[Sentence(0, len(t), None, None)]) for t in texts]
        return Source(f"s{n}", f"Show {n}", "json", f"{n}" * 64, Transcript(turns, [], [Speaker("A")]))

    store = SQLiteStore(tmp_path / "w.db")
    first = source(1, ["bread and ovens every morning", "bread for the village", "bread and rye flour"])
    other = source(2, ["a talk about the weather and the harvest"])
    store.add_source(first, passages.cut(first))
    store.add_source(other, passages.cut(other))
    # "bread" is in 3 of 4 passages: left out while a rarer term remains.
    assert store._informative(["bread", "rye"]) == ["rye"]
    # Passages cut again leave gaps in the ids: the share is of passages, not of the largest id.
    for _ in range(3):
        store.replace_passages(first, passages.cut(first))
    assert store._informative(["bread", "rye"]) == ["rye"]
    # Counts are remembered until the next write: then "rye" becomes common too.
    more = source(3, ["rye bread again", "rye and more rye", "rye for everyone here"])
    store.add_source(more, passages.cut(more))
    assert store._informative(["bread", "rye", "village"]) == ["village"]
    store.close()


def test_a_file_that_is_not_a_store_is_a_clear_error(tmp_path: Path) -> None:
    from onrecord.errors import StoreError

    path = tmp_path / "onrecord.db"
    path.write_bytes(b"this is not a database, just some text the user put here " * 100)
    with pytest.raises(StoreError, match="cannot open the store"):
        SQLiteStore(path)


def test_voices_guessed_before_confidence_was_kept_start_uncertain(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A workspace made before m007: its guessed voices ("Speaker A") are not known to be right.
    with monkeypatch.context() as patch:
        patch.setattr(migrations, "MIGRATIONS", [m for m in migrations.MIGRATIONS if m[0] < "m007"])
        old = SQLiteStore(tmp_path / "w.db")
        with old.db.write() as db:
            db.execute(
                "INSERT INTO sources (id, title, format, kind, sha256, added, words) VALUES ('s1', 't', 'caption-text',"
                " 'speech', 'x', '2026-01-01', 3)"
            )
            for i, speaker in enumerate(["Speaker A", "Speaker B", "Ana Lee"]):
                db.execute(
                    "INSERT INTO turns (source_id, idx, speaker, text, clean_text) VALUES ('s1', ?, ?, 'Hi.', 'Hi.')",
                    (i, speaker),
                )
        old.close()
    store = SQLiteStore(tmp_path / "w.db")
    turns = store.get_source("s1").transcript.turns
    assert [t.confidence for t in turns] == [0.0, 0.0, 1.0]
    assert store.get_source("s1").revision == 0 and store.edits("s1") == []
    store.close()


def test_questions_logged_before_quotes_were_kept_still_read(tmp_path: Path) -> None:
    SQLiteStore(tmp_path / "w.db").close()
    db = sqlite3.connect(tmp_path / "w.db")
    with db:
        db.execute(
            "INSERT INTO questions (asked, agent, question, status, cited) VALUES (?, ?, ?, ?, ?)",
            ("2026-01-01T00:00:00+00:00", "ana", "Why bread?", "answered", '[["abc123", 1, 2.5]]'),
        )
    db.close()
    store = SQLiteStore(tmp_path / "w.db")
    try:
        (moment,) = store.logged_questions()[0].cited
    finally:
        store.close()
    assert (moment.source_id, moment.turn, moment.start, moment.quote) == ("abc123", 1, 2.5, None)
