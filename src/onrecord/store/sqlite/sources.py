"""The SQLite store's sources: transcripts with their turns, speakers and chapters."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator, Sequence
from datetime import UTC, datetime

from onrecord.errors import NotFoundError, StoreError
from onrecord.model import Chapter, Passage, Source, Speaker, Transcript
from onrecord.store.rows import sentences_json, turn_from
from onrecord.store.sqlite.database import Database
from onrecord.store.sqlite.passages import insert_passages
from onrecord.store.types import SourceSummary


class SQLiteSources:
    """SourceStore over a `Database`."""

    db: Database

    def add_source(self, source: Source, passages: Sequence[Passage] = ()) -> None:
        transcript = source.transcript
        try:
            with self.db.write() as db:
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
                            sentences_json(t),
                            json.dumps(t.anchors),
                        )
                        for i, t in enumerate(transcript.turns)
                    ),
                )
                db.executemany(
                    "INSERT INTO chapters (source_id, idx, title, turn, start) VALUES (?, ?, ?, ?, ?)",
                    [(source.id, i, c.title, c.turn, c.start) for i, c in enumerate(transcript.chapters)],
                )
                insert_passages(db, source, passages)
        except sqlite3.IntegrityError as exc:
            raise StoreError(f"source {source.id} is already stored ({exc})") from None

    def _summary(self, db: sqlite3.Connection, row: sqlite3.Row) -> SourceSummary:
        sid = row["id"]
        speakers = tuple(
            r[0]
            for r in db.execute("SELECT coalesce(name, label) FROM speakers WHERE source_id = ? ORDER BY idx", (sid,))
        )
        turns = db.execute("SELECT count(*) FROM turns WHERE source_id = ?", (sid,)).fetchone()[0]
        chapters = db.execute("SELECT count(*) FROM chapters WHERE source_id = ?", (sid,)).fetchone()[0]
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
        with self.db.read() as db:
            rows = db.execute("SELECT * FROM sources ORDER BY added, rowid").fetchall()
            return [self._summary(db, row) for row in rows]

    def find_by_sha256(self, sha256: str) -> SourceSummary | None:
        with self.db.read() as db:
            row = db.execute("SELECT * FROM sources WHERE sha256 = ?", (sha256,)).fetchone()
            return self._summary(db, row) if row else None

    def get_source(self, source_id: str) -> Source:
        with self.db.read() as db:
            row = db.execute("SELECT * FROM sources WHERE id = ?", (source_id,)).fetchone()
            if row is None:
                raise NotFoundError(f"no source with id {source_id!r}")
            return self._load(db, row)

    def iter_sources(self) -> Iterator[Source]:
        with self.db.read() as db:
            ids = [r[0] for r in db.execute("SELECT id FROM sources ORDER BY added, rowid")]
        for sid in ids:
            try:
                yield self.get_source(sid)
            except NotFoundError:
                continue  # removed since the listing

    def _load(self, db: sqlite3.Connection, row: sqlite3.Row) -> Source:
        sid = row["id"]
        speakers = [
            Speaker(r["label"], r["name"])
            for r in db.execute("SELECT label, name FROM speakers WHERE source_id = ? ORDER BY idx", (sid,))
        ]
        turns = [turn_from(r) for r in db.execute("SELECT * FROM turns WHERE source_id = ? ORDER BY idx", (sid,))]
        chapters = [
            Chapter(r["title"], r["turn"], r["start"])
            for r in db.execute("SELECT * FROM chapters WHERE source_id = ? ORDER BY idx", (sid,))
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
        with self.db.write() as db:
            if db.execute("DELETE FROM sources WHERE id = ?", (source_id,)).rowcount == 0:
                raise NotFoundError(f"no source with id {source_id!r}")

    def name_speaker(self, source_id: str, label: str, name: str | None) -> None:
        with self.db.write() as db:
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

    def speaker_names(self, source_id: str) -> dict[str, str]:
        with self.db.read() as db:
            rows = db.execute("SELECT label, coalesce(name, label) FROM speakers WHERE source_id = ?", (source_id,))
            return {row[0]: row[1] for row in rows}
