"""The SQLite store's question log, with each question's vector when it was logged."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from onrecord.store.rows import cited_json, question_from, questions_sql
from onrecord.store.sqlite.database import Database
from onrecord.store.types import LoggedQuestion

if TYPE_CHECKING:
    from onrecord.store.types import Vectors


class SQLiteQuestions:
    """QuestionLog over a `Database`; its writes do not move the store's version."""

    db: Database

    def log_question(self, entry: LoggedQuestion, vector: tuple[str, Vectors] | None = None) -> int:
        import numpy as np

        cited = cited_json(entry)
        with self.db.write(moves_version=False) as db:
            cursor = db.execute(
                "INSERT INTO questions (asked, agent, question, status, score, topic, cited)"
                " VALUES (?, ?, ?, ?, ?, ?, ?)",
                (entry.asked, entry.agent, entry.question, entry.status, entry.score, entry.topic, cited),
            )
            qid = cursor.lastrowid
            assert qid is not None
            if vector is not None:
                model, values = vector
                db.execute(
                    "INSERT INTO question_vectors (question_id, model, vector) VALUES (?, ?, ?)",
                    (qid, model, np.ascontiguousarray(values, dtype=np.float32).tobytes()),
                )
        return qid

    def logged_questions(
        self, *, agent: str | None = None, since: str | None = None, limit: int | None = None
    ) -> list[LoggedQuestion]:
        sql, params = questions_sql(agent, since, limit)
        with self.db.read() as db:
            rows = db.execute(sql, params).fetchall()
        return [question_from(r) for r in reversed(rows)]

    def question_vectors(self, model: str, ids: Sequence[int]) -> dict[int, Vectors]:
        import numpy as np

        found: dict[int, Vectors] = {}
        with self.db.read() as db:
            for chunk in range(0, len(ids), 500):
                part = list(ids[chunk : chunk + 500])
                marks = ",".join("?" * len(part))
                for qid, blob in db.execute(
                    f"SELECT question_id, vector FROM question_vectors WHERE model = ? AND question_id IN ({marks})",
                    [model, *part],
                ):
                    found[qid] = np.frombuffer(blob, dtype=np.float32)
        return found

    def forget_questions(self, *, before: str | None = None) -> int:
        with self.db.write(moves_version=False) as db:
            if before is None:
                return int(db.execute("DELETE FROM questions").rowcount)
            return int(db.execute("DELETE FROM questions WHERE asked < ?", (before,)).rowcount)
