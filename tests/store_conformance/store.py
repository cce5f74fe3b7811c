"""Store conformance: the version other processes watch, recorded facts, counts."""

from __future__ import annotations

import numpy as np

from onrecord.index import passages
from onrecord.store import LoggedQuestion, Store
from tests.store_conformance.sources import make_source


class StoreConformance:
    def test_meta_records_one_value_a_key(self, store: Store) -> None:
        assert store.meta("passage_rules") is None
        store.set_meta("passage_rules", "a")
        store.set_meta("passage_rules", "b")
        assert store.meta("passage_rules") == "b" and store.meta("other") is None

    def test_version_moves_with_data_seen_from_another_connection(self, store: Store, other: Store) -> None:
        seen = other.version()
        source = make_source()
        store.add_source(source, passages.cut(source))
        assert other.version() != seen
        seen = other.version()
        store.log_question(LoggedQuestion("2026-01-01T00:00:00+00:00", "ana", "q", "answered"))
        assert other.version() == seen  # the question log is not data a reader keeps
        ids = store.missing_embeddings("m")
        store.add_embeddings("m", ids, np.ones((len(ids), 2), dtype=np.float32) / np.sqrt(2))
        assert other.version() != seen
        seen = other.version()
        store.name_speaker(source.id, "S1", "Host")
        assert other.version() != seen
        seen = other.version()
        store.remove_source(source.id)
        assert other.version() != seen
        assert other.sources() == []

    def test_counts(self, store: Store) -> None:
        source = make_source()
        store.add_source(source, passages.cut(source))
        store.log_question(LoggedQuestion("2026-01-01T00:00:00+00:00", "ana", "q", "answered"))
        assert store.counts() == {"sources": 1, "turns": 3, "passages": 2, "vectors": 0, "questions": 1}

    def test_a_batch_is_kept_whole_or_not_at_all(self, store: Store, other: Store) -> None:
        import pytest

        first, second = make_source("a1", "1" * 64), make_source("b2", "2" * 64)
        with pytest.raises(RuntimeError), store.batch():
            store.add_source(first, passages.cut(first))
            store.add_source(second, passages.cut(second))
            assert other.sources() == []  # nothing is seen before the batch ends
            raise RuntimeError("interrupted")
        assert store.sources() == [] and store.passage_layout() == []
        with store.batch():
            store.add_source(first, passages.cut(first))
            store.log_question(LoggedQuestion("2026-01-01T00:00:00+00:00", "ana", "q", "answered"))
        assert [s.id for s in other.sources()] == ["a1"] and len(other.logged_questions()) == 1
