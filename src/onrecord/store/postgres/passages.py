"""The PostgreSQL store's passages, and lexical search over them: BM25 over a weighted tsvector.

PostgreSQL's own ranking (ts_rank) has no inverse document frequency, so the score is BM25
computed as SQLite's FTS5 computes it (k1 1.2, b 0.75, the passage's words, its prompt and
its labels weighted 1.0 / 0.35 / 0.25 in the term frequency), from each matching passage's
tsvector; document frequencies are counted on the GIN index and remembered until the store's
version moves. Words are read by the text search configuration `onrecord` (schema.py): as FTS5
reads them, but stemmed by Snowball's English rather than Porter's.
"""

from __future__ import annotations

import math
import threading
from collections.abc import Sequence
from typing import Any

import psycopg
from psycopg.rows import dict_row

from onrecord.errors import NotFoundError
from onrecord.model import Passage, Source
from onrecord.store import lexical
from onrecord.store.lexical import BM25_WEIGHTS, TERM, informative, query_terms
from onrecord.store.postgres.database import Database
from onrecord.store.rows import PASSAGE_COLUMNS, passage_from, passage_values, scope_sql
from onrecord.store.types import Scope

K1 = 1.2
B = 0.75

_BM25 = f"""
    WITH q AS (SELECT * FROM unnest(%(lexemes)s::text[], %(idfs)s::float8[]) AS q(lexeme, idf)),
    m AS (SELECT p.id, p.tokens, p.lexical FROM passages p WHERE p.lexical @@ %(query)s::tsquery AND {{where}})
    SELECT m.id, sum(q.idf * f.freq * {K1 + 1} / (f.freq + {K1} * ({1 - B} + {B} * m.tokens / %(avgdl)s))) AS score
    FROM m
    CROSS JOIN LATERAL (
        SELECT u.lexeme, sum(CASE w WHEN 'A' THEN {BM25_WEIGHTS[0]} WHEN 'B' THEN {BM25_WEIGHTS[1]}
                                    WHEN 'C' THEN {BM25_WEIGHTS[2]} ELSE 0 END) AS freq
        FROM unnest(m.lexical) u, unnest(u.weights) w
        WHERE u.lexeme = ANY(%(lexemes)s)
        GROUP BY u.lexeme
    ) f
    JOIN q ON q.lexeme = f.lexeme
    GROUP BY m.id
    ORDER BY score DESC, m.id
    LIMIT %(k)s
"""


def insert_passages(cur: psycopg.Cursor[Any], source: Source, passages: Sequence[Passage]) -> None:
    """Insert a source's passages inside the caller's transaction; each gets a new id."""
    if not passages:
        return
    names = {s.label: s.display for s in source.transcript.speakers}
    ids = [row[0] for row in cur.execute("SELECT nextval('passage_ids') FROM generate_series(1, %s)", (len(passages),))]
    marks = ", ".join(["%s"] * (len(PASSAGE_COLUMNS) + 1))
    cur.executemany(
        f"INSERT INTO passages (id, {', '.join(PASSAGE_COLUMNS)}) VALUES ({marks})",
        [(pid, *passage_values(p, names, source.title)) for pid, p in zip(ids, passages, strict=True)],
    )
    for pid, passage in zip(ids, passages, strict=True):
        passage.id = pid


class PostgresPassages:
    """PassageStore over a `Database`."""

    db: Database
    _df: dict[str, int]
    _df_version: int
    _df_lock: threading.Lock

    def replace_passages(self, source: Source, passages: Sequence[Passage]) -> None:
        with self.db.write() as db, db.cursor() as cur:
            if cur.execute("SELECT 1 FROM sources WHERE id = %s", (source.id,)).fetchone() is None:
                raise NotFoundError(f"no source with id {source.id!r}")
            cur.execute("DELETE FROM passages WHERE source_id = %s", (source.id,))
            insert_passages(cur, source, passages)

    def passages(self, ids: Sequence[int]) -> list[Passage]:
        if not ids:
            return []
        with self.db.read() as db, db.cursor(row_factory=dict_row) as cur:
            rows = cur.execute(
                f"SELECT id, {', '.join(PASSAGE_COLUMNS)} FROM passages WHERE id = ANY(%s)", (list(ids),)
            ).fetchall()
        found = {r["id"]: passage_from(r) for r in rows}
        return [found[i] for i in ids if i in found]

    def scope_ids(self, scope: Scope) -> set[int] | None:
        if scope.everything:
            return None
        where, params = scope_sql(scope, "%s")
        with self.db.read() as db:
            return {row[0] for row in db.execute(f"SELECT p.id FROM passages p WHERE {where}", params).fetchall()}

    def _lexemes(self, db: psycopg.Connection[Any], terms: list[str]) -> dict[str, str]:
        """Each term's lexeme as the index stems it."""
        rows = db.execute(
            "SELECT t, (SELECT lexeme FROM unnest(to_tsvector('onrecord', t)) LIMIT 1) FROM unnest(%s::text[]) t",
            (terms,),
        ).fetchall()
        return {term: lexeme for term, lexeme in rows if lexeme}

    def _stats(self, db: psycopg.Connection[Any], lexemes: list[str]) -> tuple[dict[str, int], int, float]:
        """Passages per lexeme, passages in all and their mean length, remembered until the
        store's version moves."""
        version = self.db.version(db)
        with self._df_lock:
            if version != self._df_version or len(self._df) > lexical.DF_TERMS:
                self._df, self._df_version = {}, version
            df = self._df
        if "" not in df:
            count, tokens = db.execute("SELECT count(*), coalesce(sum(tokens), 0) FROM passages").fetchone() or (0, 0)
            df[""], df[" tokens"] = int(count), int(tokens)
        for lexeme in lexemes:
            if lexeme not in df:
                row = db.execute(
                    "SELECT count(*) FROM passages WHERE lexical @@ %s::tsquery", (_tsquery([lexeme]),)
                ).fetchone()
                df[lexeme] = int(row[0]) if row else 0
        total = df[""]
        return {x: df[x] for x in lexemes}, total, (df[" tokens"] / total if total else 1.0)

    def lexical_search(self, query: str, k: int, scope: Scope | None = None) -> list[tuple[int, float]]:
        terms = query_terms(query)
        if not terms or k <= 0:
            return []
        with self.db.read() as db:
            lexemes = list(dict.fromkeys(self._lexemes(db, terms).values()))
            if not lexemes:
                return []
            counts, total, avgdl = self._stats(db, lexemes)
            if len(lexemes) > 1:
                lexemes = informative(lexemes, counts, total)
            idfs = [max(math.log((total - counts[x] + 0.5) / (counts[x] + 0.5)), 1e-6) for x in lexemes]
            where, params = scope_sql(scope, "%s")
            named = {f"s{i}": value for i, value in enumerate(params)}
            for i in range(len(params)):
                where = where.replace("%s", f"%(s{i})s", 1)
            rows = db.execute(
                _BM25.format(where=where),
                {"lexemes": lexemes, "idfs": idfs, "query": _tsquery(lexemes), "avgdl": avgdl, "k": k, **named},
            ).fetchall()
        return [(int(pid), float(score)) for pid, score in rows]

    def used_terms(self, terms: Sequence[str], scope: Scope | None = None) -> set[str]:
        words = list(dict.fromkeys(t.lower() for t in terms if TERM.fullmatch(t)))
        if not words:
            return set()
        where, params = scope_sql(scope, "%s")
        used: set[str] = set()
        with self.db.read() as db:
            for term, lexeme in self._lexemes(db, words).items():
                # Weight A is the passage's own words (not its prompt or labels).
                row = db.execute(
                    f"SELECT 1 FROM passages p WHERE p.lexical @@ %s::tsquery AND {where} LIMIT 1",
                    [f"{_quote(lexeme)}:A", *params],
                ).fetchone()
                if row is not None:
                    used.add(term)
        return used

    def passage_layout(self) -> list[tuple[int, str, int, int | None]]:
        with self.db.read() as db:
            rows = db.execute("SELECT id, source_id, turn, prompt_turn FROM passages ORDER BY source_id, turn, id")
            return [(row[0], row[1], row[2], row[3]) for row in rows.fetchall()]

    def _informative(self, terms: list[str]) -> list[str]:
        """The lexemes a lexical query for `terms` keeps (see lexical.informative)."""
        with self.db.read() as db:
            lexemes = list(dict.fromkeys(self._lexemes(db, terms).values()))
            counts, total, _ = self._stats(db, lexemes)
        return informative(lexemes, counts, total) if len(lexemes) > 1 else lexemes


def _quote(lexeme: str) -> str:
    """A lexeme as a tsquery operand: quoted, so no character of it is an operator."""
    return "'" + lexeme.replace("'", "''").replace("\\", "\\\\") + "'"


def _tsquery(lexemes: list[str]) -> str:
    return " | ".join(_quote(x) for x in lexemes)
