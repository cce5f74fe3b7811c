"""The SQLite store's passages, and lexical search over them (FTS5, BM25)."""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Sequence

from onrecord.errors import NotFoundError
from onrecord.model import Passage, Source
from onrecord.store import lexical
from onrecord.store.lexical import BM25_WEIGHTS, TERM, informative, query_terms
from onrecord.store.rows import PASSAGE_COLUMNS, passage_from, passage_values, scope_sql
from onrecord.store.sqlite.database import Database
from onrecord.store.types import Scope


def insert_passages(db: sqlite3.Connection, source: Source, passages: Sequence[Passage]) -> None:
    """Insert a source's passages inside the caller's write transaction; each gets a new id."""
    names = {s.label: s.display for s in source.transcript.speakers}
    first = int(db.execute("SELECT next_passage FROM store_state").fetchone()[0])
    marks = ", ".join("?" * (len(PASSAGE_COLUMNS) + 1))
    db.executemany(
        f"INSERT INTO passages (id, {', '.join(PASSAGE_COLUMNS)}) VALUES ({marks})",
        [(first + i, *passage_values(p, names, source.title)) for i, p in enumerate(passages)],
    )
    for i, passage in enumerate(passages):
        passage.id = first + i
    db.execute("UPDATE store_state SET next_passage = ?", (first + len(passages),))


class SQLitePassages:
    """PassageStore over a `Database`."""

    db: Database
    _df: dict[str, int]
    _df_version: int
    _df_lock: threading.Lock

    def replace_passages(self, source: Source, passages: Sequence[Passage]) -> None:
        with self.db.write() as db:
            if db.execute("SELECT 1 FROM sources WHERE id = ?", (source.id,)).fetchone() is None:
                raise NotFoundError(f"no source with id {source.id!r}")
            db.execute("DELETE FROM passages WHERE source_id = ?", (source.id,))
            insert_passages(db, source, passages)

    def passages(self, ids: Sequence[int]) -> list[Passage]:
        found: dict[int, Passage] = {}
        with self.db.read() as db:
            for chunk in range(0, len(ids), 500):
                part = list(ids[chunk : chunk + 500])
                marks = ",".join("?" * len(part))
                for r in db.execute(f"SELECT * FROM passages WHERE id IN ({marks})", part):
                    found[r["id"]] = passage_from(r)
        return [found[i] for i in ids if i in found]

    def scope_ids(self, scope: Scope) -> set[int] | None:
        if scope.everything:
            return None
        where, params = scope_sql(scope)
        with self.db.read() as db:
            return {row[0] for row in db.execute(f"SELECT p.id FROM passages p WHERE {where}", params)}

    def _counts(self, db: sqlite3.Connection, terms: list[str]) -> tuple[dict[str, int], int]:
        """Passages per term and in all, remembered until the store's version moves."""
        version = self.db.version()
        with self._df_lock:
            if version != self._df_version or len(self._df) > lexical.DF_TERMS:
                self._df, self._df_version = {}, version
            df = self._df
        if "" not in df:
            df[""] = db.execute("SELECT count(*) FROM passages").fetchone()[0]
        for term in terms:
            if term not in df:
                df[term] = db.execute(
                    "SELECT count(*) FROM passages_fts WHERE passages_fts MATCH ?", (f'"{term}"',)
                ).fetchone()[0]
        return {term: df[term] for term in terms}, df[""]

    def lexical_search(self, query: str, k: int, scope: Scope | None = None) -> list[tuple[int, float]]:
        terms = query_terms(query)
        if not terms or k <= 0:
            return []
        weights = ", ".join(str(w) for w in BM25_WEIGHTS)
        with self.db.read() as db:
            if len(terms) > 1:
                terms = informative(terms, *self._counts(db, terms))
            match = " OR ".join(f'"{term}"' for term in terms)
            if scope is None or scope.everything:
                rows = db.execute(
                    f"SELECT rowid, -bm25(passages_fts, {weights}) AS score FROM passages_fts"
                    f" WHERE passages_fts MATCH ? ORDER BY score DESC LIMIT ?",
                    (match, k),
                )
            else:
                where, params = scope_sql(scope)
                rows = db.execute(
                    f"SELECT p.id, -bm25(passages_fts, {weights}) AS score FROM passages_fts"
                    f" JOIN passages p ON p.id = passages_fts.rowid"
                    f" WHERE passages_fts MATCH ? AND {where} ORDER BY score DESC LIMIT ?",
                    [match, *params, k],
                )
            return [(row[0], row[1]) for row in rows]

    def used_terms(self, terms: Sequence[str], scope: Scope | None = None) -> set[str]:
        where, params = scope_sql(scope)
        used: set[str] = set()
        with self.db.read() as db:
            for term in dict.fromkeys(t.lower() for t in terms if TERM.fullmatch(t)):
                row = db.execute(
                    "SELECT 1 FROM passages_fts JOIN passages p ON p.id = passages_fts.rowid"
                    f" WHERE passages_fts MATCH ? AND {where} LIMIT 1",
                    [f'text : "{term}"', *params],
                ).fetchone()
                if row is not None:
                    used.add(term)
        return used

    def passage_layout(self) -> list[tuple[int, str, int, int | None]]:
        with self.db.read() as db:
            rows = db.execute("SELECT id, source_id, turn, prompt_turn FROM passages ORDER BY source_id, turn, id")
            return [(row[0], row[1], row[2], row[3]) for row in rows]

    def _informative(self, terms: list[str]) -> list[str]:
        """The terms a lexical query for `terms` keeps (see `informative`)."""
        if len(terms) < 2:
            return terms
        with self.db.read() as db:
            return informative(terms, *self._counts(db, terms))
