"""Fuzz: every reader fed mutated files of its format through the real import into a real
SQLite store. Property: the only exceptions are onrecord's own (OnrecordError), and a refused
file stores nothing. A seeded slice runs here; benchmarks/fuzz_readers.py runs 10,000 cases."""

from __future__ import annotations

import random
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from onrecord.store import SQLiteStore
from tests.reader_mutations import import_holds, mutate, seeds

SEEDS = seeds()


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> SQLiteStore:
    return SQLiteStore(tmp_path_factory.mktemp("fuzz") / "onrecord.db")


def test_every_seed_imports_as_it_is(store: SQLiteStore, tmp_path: Path) -> None:
    # The mutations start from valid files: each must import unchanged, or the fuzz tests nothing.
    outcomes = {name: import_holds(store, tmp_path, name, data) for name, data in SEEDS}
    assert set(outcomes.values()) <= {"added", "already"}, outcomes
    assert len(SEEDS) >= 15


@settings(
    max_examples=150,
    derandomize=True,
    database=None,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(seed=st.sampled_from(SEEDS), rng=st.randoms(use_true_random=False))
def test_mutated_files_are_imported_whole_or_refused_without_a_trace(
    store: SQLiteStore, tmp_path: Path, seed: tuple[str, bytes], rng: random.Random
) -> None:
    name, data = seed
    import_holds(store, tmp_path, name, mutate(name, data, rng))


def test_the_mutations_reach_the_checks_they_are_for(store: SQLiteStore, tmp_path: Path) -> None:
    # Refusals must happen, and imports of mutated files too: a mutator that only ever broke
    # the files at the first byte (or never) would pass the property and test little.
    rng = random.Random(16)
    outcomes = [import_holds(store, tmp_path, name, mutate(name, data, rng)) for name, data in SEEDS * 4]
    assert outcomes.count("refused") >= 10 and outcomes.count("added") >= 10
