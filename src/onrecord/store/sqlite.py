"""The embedded default store: one SQLite file in WAL mode.

One writer at a time (`BEGIN IMMEDIATE`), readers on their own connections; every
write is one transaction, so an interrupted import leaves nothing behind.
"""

from __future__ import annotations

import json
import re
import sqlite3
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from onrecord.errors import ConflictError, NotFoundError, StoreError
from onrecord.model import Chapter, Edit, Passage, Sentence, Source, Speaker, Transcript, Turn
from onrecord.store import migrations
from onrecord.store.protocol import CitedMoment, LoggedQuestion, Scope, SourceSummary

if TYPE_CHECKING:
    from onrecord.store.protocol import Vectors

# FTS5 query syntax has operators; a user's words are matched as plain terms.
_TERM = re.compile(r"\w+", re.UNICODE)
# A query term found in more than this share of passages (and in more than COMMON_TERM_MIN
# passages: below that, scoring them all is cheap) is left out of the lexical query.
COMMON_TERM = 0.05
COMMON_TERM_MIN = 2000
# Term counts remembered between writes (then forgotten all at once).
DF_TERMS = 50_000
# BM25 weights of the FTS columns: the passage's words, the question before it, its labels.
_BM25_WEIGHTS = (1.0, 0.35, 0.25)


class SQLiteStore:
    """A `Store` over one SQLite file (or ":memory:")."""

    def __init__(self, path: str | Path) -> None:
        self.path = str(path)
        # Passages per query term (and "" for all passages), until the next write.
        self._df: dict[str, int] = {}
        try:
            self._db = sqlite3.connect(self.path, isolation_level=None, check_same_thread=False)
            self._db.row_factory = sqlite3.Row
            self._db.execute("PRAGMA foreign_keys = ON")
            self._db.execute("PRAGMA busy_timeout = 5000")
            if self.path != ":memory:":
                self._db.execute("PRAGMA journal_mode = WAL")
                self._db.execute("PRAGMA synchronous = NORMAL")
            migrations.apply(self._db)
        except sqlite3.DatabaseError as exc:
            # Not a database (a file of something else, or a damaged one): say so, not a traceback.
            raise StoreError(f"{self.path}: cannot open the store: {exc}") from None

    def close(self) -> None:
        self._db.close()

    @contextmanager
    def _write(self) -> Iterator[sqlite3.Connection]:
        self._df.clear()
        self._db.execute("BEGIN IMMEDIATE")
        try:
            yield self._db
        except BaseException:
            self._db.execute("ROLLBACK")
            raise
        self._db.execute("COMMIT")

    def add_source(self, source: Source, passages: Sequence[Passage] = ()) -> None:
        transcript = source.transcript
        try:
            with self._write() as db:
                db.execute(
                    "INSERT INTO sources (id, title, format, kind, sha256, url, date, path, added, words)"
                    " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    (
                        source.id,
                        source.title,
                        source.format,
                        source.kind,
                        source.sha256,
                        source.url,
                        source.date,
                        source.path,
                        source.added or datetime.now(UTC).isoformat(timespec="seconds"),
                        transcript.words,
                    ),
                )
                self._insert_transcript(db, source)
                self._insert_passages(db, source, passages)
        except sqlite3.IntegrityError as exc:
            raise StoreError(f"source {source.id} is already stored ({exc})") from None

    def _insert_transcript(self, db: sqlite3.Connection, source: Source) -> None:
        transcript = source.transcript
        db.executemany(
            "INSERT INTO speakers (source_id, idx, label, name) VALUES (?, ?, ?, ?)",
            [(source.id, i, s.label, s.name) for i, s in enumerate(transcript.speakers)],
        )
        db.executemany(
            'INSERT INTO turns (source_id, idx, speaker, text, clean_text, start, "end", teaser,'
            " sentences, anchors, confidence) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                (
                    source.id,
                    i,
                    t.speaker,
                    t.text,
                    t.clean_text,
                    t.start,
                    t.end,
                    int(t.teaser),
                    json.dumps([[s.begin, s.end, s.start, s.stop] for s in t.sentences]),
                    json.dumps(t.anchors),
                    t.confidence,
                )
                for i, t in enumerate(transcript.turns)
            ),
        )
        db.executemany(
            "INSERT INTO chapters (source_id, idx, title, turn, start) VALUES (?, ?, ?, ?, ?)",
            [(source.id, i, c.title, c.turn, c.start) for i, c in enumerate(transcript.chapters)],
        )

    def replace_transcript(self, source: Source, passages: Sequence[Passage], edit: Edit | None = None) -> None:
        with self._write() as db:
            row = db.execute("SELECT revision FROM sources WHERE id = ?", (source.id,)).fetchone()
            if row is None:
                raise NotFoundError(f"no source with id {source.id!r}")
            if row[0] != source.revision:
                raise ConflictError(
                    f"source {source.id} was changed by another process while this change was made;"
                    " nothing was changed: try again"
                )
            db.execute(
                "UPDATE sources SET title = ?, url = ?, date = ?, words = ?, revision = revision + 1 WHERE id = ?",
                (source.title, source.url, source.date, source.transcript.words, source.id),
            )
            for table in ("passages", "chapters", "turns", "speakers"):
                db.execute(f"DELETE FROM {table} WHERE source_id = ?", (source.id,))
            self._insert_transcript(db, source)
            self._insert_passages(db, source, passages)
            if edit is not None:
                db.execute(
                    "INSERT INTO edits (source_id, kind, data, made) VALUES (?, ?, ?, ?)",
                    (
                        source.id,
                        edit.kind,
                        json.dumps(edit.data),
                        edit.made or datetime.now(UTC).isoformat(timespec="seconds"),
                    ),
                )
        source.revision += 1

    def edits(self, source_id: str) -> list[Edit]:
        rows = self._db.execute("SELECT kind, data, made FROM edits WHERE source_id = ? ORDER BY id", (source_id,))
        return [Edit(row[0], json.loads(row[1]), row[2]) for row in rows]

    def _summary(self, row: sqlite3.Row) -> SourceSummary:
        sid = row["id"]
        speakers = tuple(
            r[0]
            for r in self._db.execute(
                "SELECT coalesce(name, label) FROM speakers WHERE source_id = ? ORDER BY idx", (sid,)
            )
        )
        turns = self._db.execute("SELECT count(*) FROM turns WHERE source_id = ?", (sid,)).fetchone()[0]
        chapters = self._db.execute("SELECT count(*) FROM chapters WHERE source_id = ?", (sid,)).fetchone()[0]
        return SourceSummary(
            id=sid,
            title=row["title"],
            format=row["format"],
            url=row["url"],
            date=row["date"],
            path=row["path"],
            kind=row["kind"],
            added=row["added"],
            speakers=speakers,
            turns=turns,
            words=row["words"],
            chapters=chapters,
        )

    def sources(self) -> list[SourceSummary]:
        rows = self._db.execute("SELECT * FROM sources ORDER BY added, rowid").fetchall()
        return [self._summary(row) for row in rows]

    def find_by_sha256(self, sha256: str) -> SourceSummary | None:
        row = self._db.execute("SELECT * FROM sources WHERE sha256 = ?", (sha256,)).fetchone()
        return self._summary(row) if row else None

    def get_source(self, source_id: str) -> Source:
        row = self._db.execute("SELECT * FROM sources WHERE id = ?", (source_id,)).fetchone()
        if row is None:
            raise NotFoundError(f"no source with id {source_id!r}")
        return self._load(row)

    def iter_sources(self) -> Iterator[Source]:
        ids = [r[0] for r in self._db.execute("SELECT id FROM sources ORDER BY added, rowid")]
        for sid in ids:
            yield self.get_source(sid)

    def _load(self, row: sqlite3.Row) -> Source:
        sid = row["id"]
        speakers = [
            Speaker(r["label"], r["name"])
            for r in self._db.execute("SELECT label, name FROM speakers WHERE source_id = ? ORDER BY idx", (sid,))
        ]
        turns = [
            Turn(
                speaker=r["speaker"],
                text=r["text"],
                clean_text=r["clean_text"],
                start=r["start"],
                end=r["end"],
                teaser=bool(r["teaser"]),
                sentences=[Sentence(*s) for s in json.loads(r["sentences"])],
                anchors=[(a, t) for a, t in json.loads(r["anchors"])],
                confidence=r["confidence"],
            )
            for r in self._db.execute("SELECT * FROM turns WHERE source_id = ? ORDER BY idx", (sid,))
        ]
        chapters = [
            Chapter(r["title"], r["turn"], r["start"])
            for r in self._db.execute("SELECT * FROM chapters WHERE source_id = ? ORDER BY idx", (sid,))
        ]
        return Source(
            id=sid,
            title=row["title"],
            format=row["format"],
            sha256=row["sha256"],
            transcript=Transcript(turns=turns, chapters=chapters, speakers=speakers),
            url=row["url"],
            date=row["date"],
            path=row["path"],
            kind=row["kind"],
            added=row["added"],
            revision=row["revision"],
        )

    def remove_source(self, source_id: str) -> None:
        with self._write() as db:
            if db.execute("DELETE FROM sources WHERE id = ?", (source_id,)).rowcount == 0:
                raise NotFoundError(f"no source with id {source_id!r}")

    def name_speaker(self, source_id: str, label: str, name: str | None) -> None:
        with self._write() as db:
            if db.execute("SELECT 1 FROM sources WHERE id = ?", (source_id,)).fetchone() is None:
                raise NotFoundError(f"no source with id {source_id!r}")
            changed = db.execute(
                "UPDATE speakers SET name = ? WHERE source_id = ? AND label = ?", (name, source_id, label)
            ).rowcount
            if changed == 0:
                labels = [r[0] for r in db.execute("SELECT label FROM speakers WHERE source_id = ?", (source_id,))]
                raise NotFoundError(
                    f"source {source_id} has no speaker label {label!r} (labels: {', '.join(labels) or 'none'})"
                )

    # -- passages and search ---------------------------------------------------------

    def _insert_passages(self, db: sqlite3.Connection, source: Source, passages: Sequence[Passage]) -> None:
        names = {s.label: s.display for s in source.transcript.speakers}
        for passage in passages:
            context = " ".join(
                filter(None, (names.get(passage.speaker, passage.speaker), passage.chapter, source.title))
            )
            cursor = db.execute(
                'INSERT INTO passages (source_id, turn, begin, "end", speaker, text, prompt, prompt_turn, chapter,'
                " context, start, stop, asks) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    source.id,
                    passage.turn,
                    passage.begin,
                    passage.end,
                    passage.speaker,
                    passage.text,
                    passage.prompt,
                    passage.prompt_turn,
                    passage.chapter,
                    context,
                    passage.start,
                    passage.stop,
                    int(passage.asks),
                ),
            )
            passage.id = cursor.lastrowid

    def replace_passages(self, source: Source, passages: Sequence[Passage]) -> None:
        with self._write() as db:
            if db.execute("SELECT 1 FROM sources WHERE id = ?", (source.id,)).fetchone() is None:
                raise NotFoundError(f"no source with id {source.id!r}")
            db.execute("DELETE FROM passages WHERE source_id = ?", (source.id,))
            self._insert_passages(db, source, passages)

    def version(self) -> int:
        return int(self._db.execute("PRAGMA data_version").fetchone()[0])

    def meta(self, key: str) -> str | None:
        row = self._db.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return None if row is None else str(row[0])

    def set_meta(self, key: str, value: str) -> None:
        with self._write() as db:
            db.execute(
                "INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = ?",
                (key, value, value),
            )

    def speaker_names(self, source_id: str) -> dict[str, str]:
        rows = self._db.execute("SELECT label, coalesce(name, label) FROM speakers WHERE source_id = ?", (source_id,))
        return {row[0]: row[1] for row in rows}

    def passages(self, ids: Sequence[int]) -> list[Passage]:
        found: dict[int, Passage] = {}
        for chunk in range(0, len(ids), 500):
            part = list(ids[chunk : chunk + 500])
            marks = ",".join("?" * len(part))
            for r in self._db.execute(f"SELECT * FROM passages WHERE id IN ({marks})", part):
                found[r["id"]] = Passage(
                    source_id=r["source_id"],
                    turn=r["turn"],
                    begin=r["begin"],
                    end=r["end"],
                    speaker=r["speaker"],
                    text=r["text"],
                    prompt=r["prompt"],
                    prompt_turn=r["prompt_turn"],
                    chapter=r["chapter"],
                    start=r["start"],
                    stop=r["stop"],
                    id=r["id"],
                    asks=bool(r["asks"]),
                )
        return [found[i] for i in ids if i in found]

    def _scope_sql(self, scope: Scope | None) -> tuple[str, list[object]]:
        clauses: list[str] = []
        params: list[object] = []
        if scope is not None and scope.source_ids is not None:
            clauses.append(f"p.source_id IN ({','.join('?' * len(scope.source_ids))})")
            params += sorted(scope.source_ids)
        if scope is not None and scope.speakers is not None:
            marks = ",".join("?" * len(scope.speakers))
            clauses.append(
                "EXISTS (SELECT 1 FROM speakers s WHERE s.source_id = p.source_id AND s.label = p.speaker"
                f" AND (lower(s.label) IN ({marks}) OR lower(s.name) IN ({marks})))"
            )
            params += sorted(name.lower() for name in scope.speakers) * 2
        if scope is not None and scope.sure is not None:
            clauses.append("(SELECT t.confidence FROM turns t WHERE t.source_id = p.source_id AND t.idx = p.turn) >= ?")
            params.append(scope.sure)
        return (" AND ".join(clauses) or "1"), params

    def scope_ids(self, scope: Scope) -> set[int] | None:
        if scope.source_ids is None and scope.speakers is None and scope.sure is None:
            return None
        where, params = self._scope_sql(scope)
        return {row[0] for row in self._db.execute(f"SELECT p.id FROM passages p WHERE {where}", params)}

    def _informative(self, terms: list[str]) -> list[str]:
        """Drop terms found in very many passages: their BM25 weight is small, and scoring every
        passage they occur in is what makes a lexical query slow in a large archive."""
        if len(terms) < 2:
            return terms
        if "" not in self._df or len(self._df) > DF_TERMS:
            self._df.clear()
            self._df[""] = self._db.execute("SELECT count(*) FROM passages").fetchone()[0]
        for term in terms[:64]:
            if term not in self._df:
                self._df[term] = self._db.execute(
                    "SELECT count(*) FROM passages_fts WHERE passages_fts MATCH ?", (f'"{term}"',)
                ).fetchone()[0]
        counts = {term: self._df[term] for term in terms[:64]}
        limit = max(COMMON_TERM * self._df[""], COMMON_TERM_MIN)
        kept = [term for term in counts if counts[term] <= limit]
        return kept or [min(counts, key=counts.__getitem__)]

    def lexical_search(self, query: str, k: int, scope: Scope | None = None) -> list[tuple[int, float]]:
        terms = list(dict.fromkeys(t.lower() for t in _TERM.findall(query)))
        if not terms or k <= 0:
            return []
        terms = self._informative(terms)
        match = " OR ".join(f'"{term}"' for term in terms[:64])
        weights = ", ".join(str(w) for w in _BM25_WEIGHTS)
        if scope is None or (scope.source_ids is None and scope.speakers is None and scope.sure is None):
            rows = self._db.execute(
                f"SELECT rowid, -bm25(passages_fts, {weights}) AS score FROM passages_fts"
                f" WHERE passages_fts MATCH ? ORDER BY score DESC LIMIT ?",
                (match, k),
            )
        else:
            where, params = self._scope_sql(scope)
            rows = self._db.execute(
                f"SELECT p.id, -bm25(passages_fts, {weights}) AS score FROM passages_fts"
                f" JOIN passages p ON p.id = passages_fts.rowid"
                f" WHERE passages_fts MATCH ? AND {where} ORDER BY score DESC LIMIT ?",
                [match, *params, k],
            )
        return [(row[0], row[1]) for row in rows]

    def used_terms(self, terms: Sequence[str], scope: Scope | None = None) -> set[str]:
        where, params = self._scope_sql(scope)
        used: set[str] = set()
        for term in dict.fromkeys(t.lower() for t in terms if _TERM.fullmatch(t)):
            row = self._db.execute(
                "SELECT 1 FROM passages_fts JOIN passages p ON p.id = passages_fts.rowid"
                f" WHERE passages_fts MATCH ? AND {where} LIMIT 1",
                [f'text : "{term}"', *params],
            ).fetchone()
            if row is not None:
                used.add(term)
        return used

    def passage_layout(self) -> list[tuple[int, str, int, int | None]]:
        rows = self._db.execute("SELECT id, source_id, turn, prompt_turn FROM passages ORDER BY source_id, turn, id")
        return [(row[0], row[1], row[2], row[3]) for row in rows]

    # -- embeddings ---------------------------------------------------------------------

    def missing_embeddings(self, model: str) -> list[tuple[int, str, str]]:
        rows = self._db.execute(
            "SELECT p.id, p.prompt, p.text FROM passages p WHERE NOT EXISTS"
            " (SELECT 1 FROM embeddings e WHERE e.passage_id = p.id AND e.model = ?) ORDER BY p.id",
            (model,),
        )
        return [(row[0], row[1], row[2]) for row in rows]

    def add_embeddings(self, model: str, ids: Sequence[int], vectors: Vectors) -> None:
        import numpy as np

        matrix = np.ascontiguousarray(vectors, dtype=np.float32)
        with self._write() as db:
            db.executemany(
                "INSERT OR REPLACE INTO embeddings (passage_id, model, vector) VALUES (?, ?, ?)",
                ((pid, model, matrix[i].tobytes()) for i, pid in enumerate(ids)),
            )

    def embeddings(self, model: str) -> tuple[list[int], Vectors]:
        import numpy as np

        rows = self._db.execute(
            "SELECT passage_id, vector FROM embeddings WHERE model = ? ORDER BY passage_id", (model,)
        ).fetchall()
        ids = [row[0] for row in rows]
        if not rows:
            return ids, np.zeros((0, 0), dtype=np.float32)
        matrix = np.frombuffer(b"".join(row[1] for row in rows), dtype=np.float32).reshape(len(rows), -1)
        return ids, matrix

    def embedding_models(self) -> list[str]:
        return [row[0] for row in self._db.execute("SELECT DISTINCT model FROM embeddings ORDER BY model")]

    def drop_embeddings(self, model: str) -> int:
        with self._write() as db:
            return db.execute("DELETE FROM embeddings WHERE model = ?", (model,)).rowcount

    # -- the question log ---------------------------------------------------------------

    def log_question(self, entry: LoggedQuestion) -> int:
        cited = json.dumps([[m.source_id, m.turn, m.start] for m in entry.cited])
        with self._write() as db:
            cursor = db.execute(
                "INSERT INTO questions (asked, agent, question, status, score, topic, cited)"
                " VALUES (?, ?, ?, ?, ?, ?, ?)",
                (entry.asked, entry.agent, entry.question, entry.status, entry.score, entry.topic, cited),
            )
        assert cursor.lastrowid is not None
        return cursor.lastrowid

    def logged_questions(
        self, *, agent: str | None = None, since: str | None = None, limit: int | None = None
    ) -> list[LoggedQuestion]:
        clauses, params = [], []
        if agent is not None:
            clauses.append("agent = ?")
            params.append(agent)
        if since is not None:
            clauses.append("asked >= ?")
            params.append(since)
        where = " AND ".join(clauses) or "1"
        sql = f"SELECT * FROM questions WHERE {where} ORDER BY asked DESC, id DESC"
        if limit is not None:
            sql += f" LIMIT {int(limit)}"
        rows = self._db.execute(sql, params).fetchall()
        return [
            LoggedQuestion(
                asked=r["asked"],
                agent=r["agent"],
                question=r["question"],
                status=r["status"],
                score=r["score"],
                topic=r["topic"],
                cited=tuple(CitedMoment(sid, turn, start) for sid, turn, start in json.loads(r["cited"])),
                id=r["id"],
            )
            for r in reversed(rows)
        ]

    def forget_questions(self, *, before: str | None = None) -> int:
        with self._write() as db:
            if before is None:
                return db.execute("DELETE FROM questions").rowcount
            return db.execute("DELETE FROM questions WHERE asked < ?", (before,)).rowcount
