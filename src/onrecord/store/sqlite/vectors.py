"""The SQLite store's passage vectors: float32 blobs, searched exactly (by brute force)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from onrecord.store.rows import scope_sql
from onrecord.store.sqlite.database import Database
from onrecord.store.types import Scope

if TYPE_CHECKING:
    from onrecord.store.types import Vectors


class SQLiteVectors:
    """VectorStore over a `Database`."""

    db: Database

    def missing_embeddings(self, model: str) -> list[int]:
        with self.db.read() as db:
            rows = db.execute(
                "SELECT p.id FROM passages p WHERE NOT EXISTS"
                " (SELECT 1 FROM embeddings e WHERE e.passage_id = p.id AND e.model = ?) ORDER BY p.id",
                (model,),
            )
            return [row[0] for row in rows]

    def add_embeddings(self, model: str, ids: Sequence[int], vectors: Vectors) -> None:
        import numpy as np

        matrix = np.ascontiguousarray(vectors, dtype=np.float32)
        with self.db.write() as db:
            # A passage removed since it was read (another process's `remove`) is skipped.
            db.executemany(
                "INSERT OR REPLACE INTO embeddings (passage_id, model, vector)"
                " SELECT ?, ?, ? WHERE EXISTS (SELECT 1 FROM passages WHERE id = ?)",
                ((pid, model, matrix[i].tobytes(), pid) for i, pid in enumerate(ids)),
            )

    def embeddings(self, model: str) -> tuple[list[int], Vectors]:
        import numpy as np

        with self.db.read() as db:
            rows = db.execute(
                "SELECT passage_id, vector FROM embeddings WHERE model = ? ORDER BY passage_id", (model,)
            ).fetchall()
        ids = [row[0] for row in rows]
        if not rows:
            return ids, np.zeros((0, 0), dtype=np.float32)
        matrix = np.frombuffer(b"".join(row[1] for row in rows), dtype=np.float32).reshape(len(rows), -1)
        return ids, matrix

    def nearest(self, model: str, vector: Vectors, k: int, scope: Scope | None = None) -> list[tuple[int, float]]:
        import numpy as np

        ids, matrix = self.embeddings(model)
        if not ids or k <= 0:
            return []
        sims = matrix @ np.asarray(vector, dtype=np.float32)
        if scope is not None and not scope.everything:
            where, params = scope_sql(scope)
            with self.db.read() as db:
                allowed = [row[0] for row in db.execute(f"SELECT p.id FROM passages p WHERE {where}", params)]
            sims = np.where(np.isin(np.asarray(ids), allowed), sims, -np.inf)
        order = np.argsort(-sims, kind="stable")[:k]
        return [(ids[i], float(sims[i])) for i in order if np.isfinite(sims[i])]

    def embedding_models(self) -> list[str]:
        with self.db.read() as db:
            return [row[0] for row in db.execute("SELECT DISTINCT model FROM embeddings ORDER BY model")]

    def drop_embeddings(self, model: str) -> int:
        with self.db.write() as db:
            return int(db.execute("DELETE FROM embeddings WHERE model = ?", (model,)).rowcount)
