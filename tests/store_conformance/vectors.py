"""VectorStore conformance: vectors by model, what is missing, nearest neighbours."""

from __future__ import annotations

import numpy as np

from onrecord.index import passages
from onrecord.store import Scope, Store
from tests.store_conformance.passages import talk


def _unit(rows: list[list[float]]) -> np.ndarray:
    m = np.asarray(rows, dtype=np.float32)
    return m / np.linalg.norm(m, axis=1, keepdims=True)


def _stored(store: Store) -> list[int]:
    source = talk(
        "s1",
        "1" * 64,
        [("A", "Bees make honey in summer."), ("B", "Wax comes from the comb."), ("A", "Smoke calms the hive.")],
    )
    store.add_source(source, passages.cut(source))
    return [p.id for p in passages.cut(source) and store.passages(store.missing_embeddings("m"))]


class VectorStoreConformance:
    def test_vectors_round_trip_by_model(self, store: Store) -> None:
        ids = _stored(store)
        assert store.missing_embeddings("m") == ids and len(ids) == 3
        vectors = _unit([[1, 0, 0], [0, 1, 0], [0, 0, 1]])
        store.add_embeddings("m", ids[:2], vectors[:2])
        assert store.missing_embeddings("m") == ids[2:]
        store.add_embeddings("m", ids[2:], vectors[2:])
        got_ids, got = store.embeddings("m")
        assert got_ids == ids and got.dtype == np.float32 and np.allclose(got, vectors)
        assert store.embedding_models() == ["m"]
        assert store.embeddings("other")[0] == []
        assert store.drop_embeddings("m") == 3 and store.embedding_models() == []
        assert store.missing_embeddings("m") == ids

    def test_a_vector_for_a_removed_passage_is_skipped(self, store: Store) -> None:
        ids = _stored(store)
        store.remove_source("s1")
        store.add_embeddings("m", ids, _unit([[1, 0, 0]] * 3))
        assert store.embeddings("m")[0] == []

    def test_nearest_best_first_within_the_scope(self, store: Store) -> None:
        ids = _stored(store)
        store.add_embeddings("m", ids, _unit([[1, 0, 0], [0.8, 0.6, 0], [0, 0, 1]]))
        query = _unit([[1, 0.1, 0]])[0]
        found = store.nearest("m", query, 2)
        assert [pid for pid, _ in found] == ids[:2]
        assert abs(found[0][1] - float(_unit([[1, 0, 0]])[0] @ query)) < 1e-4
        only_b = store.nearest("m", query, 3, Scope(speakers=frozenset({"B"})))
        assert [pid for pid, _ in only_b] == [ids[1]]
        assert store.nearest("none", query, 3) == []
