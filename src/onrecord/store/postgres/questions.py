"""The PostgreSQL store's question log, with each question's vector when it was logged."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from psycopg.rows import dict_row

from onrecord.store.postgres.database import Database
from onrecord.store.rows import cited_json, question_from, questions_sql
from onrecord.store.types import LoggedQuestion

if TYPE_CHECKING:
    from onrecord.store.types import Vectors


class PostgresQuestions:
    """QuestionLog over a `Database`; its writes do not move the store's version."""

    db: Database

    def log_question(self, entry: LoggedQuestion, vector: tuple[str, Vectors] | None = None) -> int:
        import numpy as np

        cited = cited_json(entry)
        with self.db.write(moves_version=False) as db:
            row = db.execute(
                "INSERT INTO questions (asked, agent, question, status, score, topic, cited)"
                " VALUES (%s, %s, %s, %s, %s, %s, %s) RETURNING id",
                (entry.asked, entry.agent, entry.question, entry.status, entry.score, entry.topic, cited),
            ).fetchone()
            assert row is not None
            if vector is not None:
                model, values = vector
                db.execute(
                    "INSERT INTO question_vectors (question_id, model, vector) VALUES (%s, %s, %s)",
                    (row[0], model, np.ascontiguousarray(values, dtype=np.float32).tobytes()),
                )
        return int(row[0])

    def logged_questions(
        self, *, agent: str | None = None, since: str | None = None, limit: int | None = None
    ) -> list[LoggedQuestion]:
        sql, params = questions_sql(agent, since, limit, "%s")
        with self.db.read() as db, db.cursor(row_factory=dict_row) as cur:
            rows = cur.execute(sql, params).fetchall()
        return [question_from(r) for r in reversed(rows)]

    def question_vectors(self, model: str, ids: Sequence[int]) -> dict[int, Vectors]:
        import numpy as np

        with self.db.read() as db:
            rows = db.execute(
                "SELECT question_id, vector FROM question_vectors WHERE model = %s AND question_id = ANY(%s)",
                (model, list(ids)),
            ).fetchall()
        return {int(qid): np.frombuffer(blob, dtype=np.float32) for qid, blob in rows}

    def forget_questions(self, *, before: str | None = None) -> int:
        with self.db.write(moves_version=False) as db:
            if before is None:
                return int(db.execute("DELETE FROM questions").rowcount)
            return int(db.execute("DELETE FROM questions WHERE asked < %s", (before,)).rowcount)
