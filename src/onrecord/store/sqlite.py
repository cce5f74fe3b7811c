"""The embedded default store: one SQLite file in WAL mode.

One writer at a time (`BEGIN IMMEDIATE`), readers on their own connections; every
write is one transaction, so an interrupted import leaves nothing behind.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

from onrecord.errors import NotFoundError, StoreError
from onrecord.model import Chapter, Sentence, Source, Speaker, Transcript, Turn
from onrecord.store import migrations
from onrecord.store.protocol import SourceSummary


class SQLiteStore:
    """A `Store` over one SQLite file (or ":memory:")."""

    def __init__(self, path: str | Path) -> None:
        self.path = str(path)
        try:
            self._db = sqlite3.connect(self.path, isolation_level=None, check_same_thread=False)
        except sqlite3.Error as exc:
            raise StoreError(f"{self.path}: cannot open the store: {exc}") from None
        self._db.row_factory = sqlite3.Row
        self._db.execute("PRAGMA foreign_keys = ON")
        self._db.execute("PRAGMA busy_timeout = 5000")
        if self.path != ":memory:":
            self._db.execute("PRAGMA journal_mode = WAL")
            self._db.execute("PRAGMA synchronous = NORMAL")
        migrations.apply(self._db)

    def close(self) -> None:
        self._db.close()

    @contextmanager
    def _write(self) -> Iterator[sqlite3.Connection]:
        self._db.execute("BEGIN IMMEDIATE")
        try:
            yield self._db
        except BaseException:
            self._db.execute("ROLLBACK")
            raise
        self._db.execute("COMMIT")

    def add_source(self, source: Source) -> None:
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
                db.executemany(
                    "INSERT INTO speakers (source_id, idx, label, name) VALUES (?, ?, ?, ?)",
                    [(source.id, i, s.label, s.name) for i, s in enumerate(transcript.speakers)],
                )
                db.executemany(
                    'INSERT INTO turns (source_id, idx, speaker, text, clean_text, start, "end", teaser,'
                    " sentences, anchors) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
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
                        )
                        for i, t in enumerate(transcript.turns)
                    ),
                )
                db.executemany(
                    "INSERT INTO chapters (source_id, idx, title, turn, start) VALUES (?, ?, ?, ?, ?)",
                    [(source.id, i, c.title, c.turn, c.start) for i, c in enumerate(transcript.chapters)],
                )
        except sqlite3.IntegrityError as exc:
            raise StoreError(f"source {source.id} is already stored ({exc})") from None

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
