"""The PostgreSQL store's sources: transcripts with their turns, speakers and chapters."""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from datetime import UTC, datetime
from typing import Any

import psycopg
from psycopg.rows import dict_row

from onrecord.errors import NotFoundError, StoreError
from onrecord.model import Chapter, Passage, Source, Speaker, Transcript
from onrecord.store.postgres.database import Database
from onrecord.store.postgres.passages import insert_passages
from onrecord.store.rows import sentences_json, turn_from
from onrecord.store.types import SourceSummary

_SUMMARY = """
    SELECT s.*,
        (SELECT coalesce(array_agg(coalesce(k.name, k.label) ORDER BY k.idx), '{}') FROM speakers k
         WHERE k.source_id = s.id) AS speaker_names,
        (SELECT count(*) FROM turns t WHERE t.source_id = s.id) AS turn_count,
        (SELECT count(*) FROM chapters c WHERE c.source_id = s.id) AS chapter_count
    FROM sources s
"""


def _summary(row: dict[str, Any]) -> SourceSummary:
    return SourceSummary(
        id=row["id"],
        title=row["title"],
        format=row["format"],
        url=row["url"],
        date=row["date"],
        path=row["path"],
        kind=row["kind"],
        added=row["added"],
        speakers=tuple(row["speaker_names"]),
        turns=int(row["turn_count"]),
        words=row["words"],
        chapters=int(row["chapter_count"]),
    )


class PostgresSources:
    """SourceStore over a `Database`."""

    db: Database

    def add_source(self, source: Source, passages: Sequence[Passage] = ()) -> None:
        transcript = source.transcript
        try:
            with self.db.write() as db, db.cursor() as cur:
                cur.execute(
                    "INSERT INTO sources (id, title, format, kind, sha256, url, date, path, added, words)"
                    " VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s)",
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
                with cur.copy("COPY speakers (source_id, idx, label, name) FROM STDIN") as copy:
                    for i, s in enumerate(transcript.speakers):
                        copy.write_row((source.id, i, s.label, s.name))
                with cur.copy(
                    'COPY turns (source_id, idx, speaker, text, clean_text, start, "end", teaser, sentences, anchors)'
                    " FROM STDIN"
                ) as copy:
                    for i, t in enumerate(transcript.turns):
                        copy.write_row(
                            (
                                source.id,
                                i,
                                t.speaker,
                                t.text,
                                t.clean_text,
                                t.start,
                                t.end,
                                t.teaser,
                                sentences_json(t),
                                json.dumps(t.anchors),
                            )
                        )
                with cur.copy("COPY chapters (source_id, idx, title, turn, start) FROM STDIN") as copy:
                    for i, c in enumerate(transcript.chapters):
                        copy.write_row((source.id, i, c.title, c.turn, c.start))
                insert_passages(cur, source, passages)
        except psycopg.errors.UniqueViolation as exc:
            raise StoreError(f"source {source.id} is already stored ({exc.diag.message_primary})") from None

    def sources(self) -> list[SourceSummary]:
        with self.db.read() as db, db.cursor(row_factory=dict_row) as cur:
            return [_summary(row) for row in cur.execute(_SUMMARY + " ORDER BY s.added, s.seq")]

    def find_by_sha256(self, sha256: str) -> SourceSummary | None:
        with self.db.read() as db, db.cursor(row_factory=dict_row) as cur:
            row = cur.execute(_SUMMARY + " WHERE s.sha256 = %s", (sha256,)).fetchone()
        return _summary(row) if row else None

    def get_source(self, source_id: str) -> Source:
        with self.db.read() as db, db.cursor(row_factory=dict_row) as cur:
            row = cur.execute("SELECT * FROM sources WHERE id = %s", (source_id,)).fetchone()
            if row is None:
                raise NotFoundError(f"no source with id {source_id!r}")
            speakers = [
                Speaker(r["label"], r["name"])
                for r in cur.execute(
                    "SELECT label, name FROM speakers WHERE source_id = %s ORDER BY idx", (source_id,)
                ).fetchall()
            ]
            turns = [
                turn_from(r)
                for r in cur.execute("SELECT * FROM turns WHERE source_id = %s ORDER BY idx", (source_id,)).fetchall()
            ]
            chapters = [
                Chapter(r["title"], r["turn"], r["start"])
                for r in cur.execute(
                    "SELECT * FROM chapters WHERE source_id = %s ORDER BY idx", (source_id,)
                ).fetchall()
            ]
        return Source(
            id=row["id"],
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

    def iter_sources(self) -> Iterator[Source]:
        with self.db.read() as db:
            ids = [r[0] for r in db.execute("SELECT id FROM sources ORDER BY added, seq").fetchall()]
        for sid in ids:
            try:
                yield self.get_source(sid)
            except NotFoundError:
                continue  # removed since the listing

    def remove_source(self, source_id: str) -> None:
        with self.db.write() as db:
            if db.execute("DELETE FROM sources WHERE id = %s", (source_id,)).rowcount == 0:
                raise NotFoundError(f"no source with id {source_id!r}")

    def name_speaker(self, source_id: str, label: str, name: str | None) -> None:
        with self.db.write() as db:
            if db.execute("SELECT 1 FROM sources WHERE id = %s", (source_id,)).fetchone() is None:
                raise NotFoundError(f"no source with id {source_id!r}")
            changed = db.execute(
                "UPDATE speakers SET name = %s WHERE source_id = %s AND label = %s", (name, source_id, label)
            ).rowcount
            if changed == 0:
                labels = [
                    r[0]
                    for r in db.execute(
                        "SELECT label FROM speakers WHERE source_id = %s ORDER BY idx", (source_id,)
                    ).fetchall()
                ]
                raise NotFoundError(
                    f"source {source_id} has no speaker label {label!r} (labels: {', '.join(labels) or 'none'})"
                )

    def speaker_names(self, source_id: str) -> dict[str, str]:
        with self.db.read() as db:
            rows = db.execute(
                "SELECT label, coalesce(name, label) FROM speakers WHERE source_id = %s", (source_id,)
            ).fetchall()
        return {row[0]: row[1] for row in rows}
