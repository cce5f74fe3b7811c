"""The PostgreSQL store's passage vectors: one pgvector table per model, with an HNSW index.

A model's vectors have one dimension, which an HNSW index needs fixed, so each model gets a
table of its own (`vector_models` names it). Nearest neighbours come from the index by inner
product (vectors are unit length, so that is cosine). A scope of a few thousand passages is
searched exactly (its rows found by index, then compared one by one: fast, and all of them);
a larger scope filters as the index is walked (pgvector's iterative scan).
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import psycopg

from onrecord.store.postgres.database import Database
from onrecord.store.rows import scope_sql
from onrecord.store.types import Scope

if TYPE_CHECKING:
    from onrecord.store.types import Vectors

# Candidates the HNSW search keeps while it walks the graph (pgvector's default is 40): at 1M
# synthetic passages, recall@10 0.81 at 100 and 0.90 at 200, p95 26 and 48 ms
# (benchmarks/bench_pgvector.py, docs/benchmarks.md).
EF_SEARCH = 200
# A scope of at most this many passages is searched exactly rather than through the index
# (benchmarks/bench_pgvector.py: through the index, a 1% scope of 1M lost half its neighbours).
EXACT_SCOPE = 50_000
# How the index is built (pgvector's defaults).
HNSW_M = 16
HNSW_EF_CONSTRUCTION = 64


def table_name(model: str) -> str:
    return "vectors_" + hashlib.sha1(model.encode()).hexdigest()[:16]


class PostgresVectors:
    """VectorStore over a `Database`."""

    db: Database

    def _table(self, db: psycopg.Connection[Any], model: str) -> str | None:
        row = db.execute("SELECT tbl FROM vector_models WHERE model = %s", (model,)).fetchone()
        return None if row is None else str(row[0])

    def _make_table(self, db: psycopg.Connection[Any], model: str, dims: int) -> str:
        """The model's table, made (with its index) on its first vectors."""
        table = self._table(db, model)
        if table is not None:
            return table
        table = table_name(model)
        db.execute("SELECT pg_advisory_xact_lock(hashtext(%s))", (table,))
        db.execute(
            f"CREATE TABLE IF NOT EXISTS {table} (passage_id bigint PRIMARY KEY REFERENCES passages(id)"
            f" ON DELETE CASCADE, vector vector({int(dims)}) NOT NULL)"
        )
        db.execute(
            f"CREATE INDEX IF NOT EXISTS {table}_hnsw ON {table} USING hnsw (vector vector_ip_ops)"
            f" WITH (m = {HNSW_M}, ef_construction = {HNSW_EF_CONSTRUCTION})"
        )
        db.execute(
            "INSERT INTO vector_models (model, dims, tbl) VALUES (%s, %s, %s) ON CONFLICT DO NOTHING",
            (model, dims, table),
        )
        return table

    def missing_embeddings(self, model: str) -> list[int]:
        with self.db.read() as db:
            table = self._table(db, model)
            if table is None:
                rows = db.execute("SELECT id FROM passages ORDER BY id").fetchall()
            else:
                rows = db.execute(
                    f"SELECT p.id FROM passages p WHERE NOT EXISTS (SELECT 1 FROM {table} v"
                    " WHERE v.passage_id = p.id) ORDER BY p.id"
                ).fetchall()
        return [row[0] for row in rows]

    def add_embeddings(self, model: str, ids: Sequence[int], vectors: Vectors) -> None:
        import numpy as np

        matrix = np.ascontiguousarray(vectors, dtype=np.float32)
        if not len(ids):
            return
        with self.db.write() as db, db.cursor() as cur:
            table = self._make_table(db, model, matrix.shape[1])
            # A passage removed since it was read (another process's `remove`) is skipped.
            cur.executemany(
                f"INSERT INTO {table} (passage_id, vector) SELECT %s, %s WHERE EXISTS"
                " (SELECT 1 FROM passages WHERE id = %s)"
                " ON CONFLICT (passage_id) DO UPDATE SET vector = excluded.vector",
                [(pid, matrix[i], pid) for i, pid in enumerate(ids)],
            )

    def bulk_load(self, model: str, ids: Sequence[int], vectors: Vectors, *, memory: str = "1GB") -> None:
        """Load many vectors at once (a migration, a benchmark): COPY without the index, then
        build the index once, which is many times faster than growing it row by row."""
        import numpy as np

        matrix = np.ascontiguousarray(vectors, dtype=np.float32)
        with self.db.write() as db, db.cursor() as cur:
            table = self._make_table(db, model, matrix.shape[1])
            cur.execute(f"DROP INDEX IF EXISTS {table}_hnsw")
            with cur.copy(f"COPY {table} (passage_id, vector) FROM STDIN WITH (FORMAT BINARY)") as copy:
                copy.set_types(["int8", "vector"])
                for i, pid in enumerate(ids):
                    copy.write_row((pid, matrix[i]))
            cur.execute(f"SET LOCAL maintenance_work_mem = '{memory}'")
            cur.execute(
                f"CREATE INDEX {table}_hnsw ON {table} USING hnsw (vector vector_ip_ops)"
                f" WITH (m = {HNSW_M}, ef_construction = {HNSW_EF_CONSTRUCTION})"
            )

    def embeddings(self, model: str) -> tuple[list[int], Vectors]:
        import numpy as np

        with self.db.read() as db:
            table = self._table(db, model)
            if table is None:
                return [], np.zeros((0, 0), dtype=np.float32)
            with db.cursor(binary=True) as cur:
                rows = cur.execute(f"SELECT passage_id, vector FROM {table} ORDER BY passage_id").fetchall()
        if not rows:
            return [], np.zeros((0, 0), dtype=np.float32)
        # The binary loader gives pgvector's Vector (its text loader, numpy arrays).
        matrix = np.stack([row[1].to_numpy() for row in rows]).astype(np.float32, copy=False)
        return [int(row[0]) for row in rows], matrix

    def nearest(self, model: str, vector: Vectors, k: int, scope: Scope | None = None) -> list[tuple[int, float]]:
        import numpy as np

        if k <= 0:
            return []
        query = np.asarray(vector, dtype=np.float32)
        with self.db.read() as db:
            table = self._table(db, model)
            if table is None:
                return []
            db.execute(f"SET LOCAL hnsw.ef_search = {max(EF_SEARCH, k)}")
            if scope is None or scope.everything:
                sql = f"SELECT v.passage_id, v.vector <#> %s AS d FROM {table} v ORDER BY d LIMIT %s"
                rows = db.execute(sql, (query, k)).fetchall()
            else:
                where, params = scope_sql(scope, "%s")
                inside = db.execute(f"SELECT count(*) FROM passages p WHERE {where}", params).fetchone()
                scoped = (
                    f"SELECT v.passage_id, v.vector <#> %s AS d FROM {table} v JOIN passages p ON p.id = v.passage_id"
                    f" WHERE {where}"
                )
                if inside is not None and inside[0] <= EXACT_SCOPE:
                    # Materialised, so the ordering cannot be handed to the index.
                    sql = f"WITH s AS MATERIALIZED ({scoped}) SELECT passage_id, d FROM s ORDER BY d LIMIT %s"
                else:
                    db.execute("SET LOCAL hnsw.iterative_scan = strict_order")
                    sql = f"{scoped} ORDER BY d LIMIT %s"
                rows = db.execute(sql, [query, *params, k]).fetchall()
        return [(int(pid), -float(d)) for pid, d in rows]

    def embedding_models(self) -> list[str]:
        with self.db.read() as db:
            models = db.execute("SELECT model, tbl FROM vector_models ORDER BY model").fetchall()
            return [m for m, table in models if db.execute(f"SELECT 1 FROM {table} LIMIT 1").fetchone() is not None]

    def drop_embeddings(self, model: str) -> int:
        with self.db.write() as db:
            table = self._table(db, model)
            if table is None:
                return 0
            row = db.execute(f"SELECT count(*) FROM {table}").fetchone()
            db.execute(f"DROP TABLE {table}")
            db.execute("DELETE FROM vector_models WHERE model = %s", (model,))
            return int(row[0]) if row else 0
