"""The store's schema: Alembic builds it, it matches schema.py, and it is portable."""

from __future__ import annotations

import io
import time
from argparse import Namespace
from collections.abc import Iterator
from pathlib import Path

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from sqlalchemy import Engine, inspect, text

from conftest import POSTGRES, wiped_postgres
from watchfloor.errors import WatchfloorError
from watchfloor.records import Document
from watchfloor.store import Store, create_store_engine, db, schema
from watchfloor.store.db import write_transaction

TABLES = {
    "documents",
    "data_version",
    "rejections",
    "sentences",
    "actor_mentions",
    "weapon_mentions",
    "time_expressions",
    "event_mentions",
    "event_weapon_classes",
    "quotes",
    "claims",
    "extraction_runs",
    "reference_sets",
    "reference_rows",
    "document_links",
    "events",
    "event_reports",
    "event_changes",
    "feeds",
    "api_tokens",
    "document_sketches",
    "document_bands",
    "document_pairs",
}


def tables(engine: Engine) -> set[str]:
    """The tables, without the full-text search ones (migration 0003's own SQL)."""
    return {t for t in inspect(engine).get_table_names() if not schema.is_search_object(t)}


def alembic_config(**x: str) -> Config:
    config = Config(cmd_opts=Namespace(x=[f"{k}={v}" for k, v in x.items()]))
    config.set_main_option("script_location", str(db.MIGRATIONS))
    return config


@pytest.fixture
def url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'nested' / 'folder' / 'store.sqlite'}"


# PostgreSQL too when WATCHFLOOR_TEST_POSTGRES names a database to wipe (conftest.py).
@pytest.fixture(params=["sqlite", "postgresql"] if POSTGRES else ["sqlite"])
def any_url(request: pytest.FixtureRequest, url: str) -> str:
    return url if request.param == "sqlite" else wiped_postgres()


@pytest.fixture
def migrated(url: str) -> Iterator[Engine]:
    Store.open(url).close()
    engine = create_store_engine(url)
    yield engine
    engine.dispose()


@pytest.fixture
def any_migrated(any_url: str) -> Iterator[Engine]:
    Store.open(any_url).close()
    engine = create_store_engine(any_url)
    yield engine
    engine.dispose()


def test_open_creates_parent_folder_and_every_table(url: str, migrated: Engine) -> None:
    assert Path(url.removeprefix("sqlite:///")).is_file()
    assert tables(migrated) == TABLES | {"alembic_version"}


def test_migrated_database_matches_schema_module(any_migrated: Engine) -> None:
    with any_migrated.connect() as conn:
        context = MigrationContext.configure(conn, opts={
            "compare_type": True,
            "include_name": lambda name, _type, _parents: not schema.is_search_object(name)})
        assert compare_metadata(context, schema.metadata) == []


def test_filter_columns_are_indexed(migrated: Engine) -> None:
    indexed = {
        tuple(index["column_names"]) for index in inspect(migrated).get_indexes("event_mentions")
    }
    for column in ("type", "actor", "target", "weapon", "date_start", "modality", "id"):
        assert (column,) in indexed, column
    classes = inspect(migrated).get_indexes("event_weapon_classes")
    assert [i["column_names"] for i in classes] == [["weapon_class"]]
    # doc_id leads every extracted table's primary key, which serves as its index.
    extracted = {t.name for t in (*schema.EXTRACTED_TABLES, schema.extraction_runs)}
    for table in extracted:
        assert inspect(migrated).get_pk_constraint(table)["constrained_columns"][0] == "doc_id"


def test_consolidation_and_reference_filters_are_indexed(migrated: Engine) -> None:
    indexed = {tuple(i["column_names"]) for i in inspect(migrated).get_indexes("events")}
    for column in ("target", "weapon", "status"):
        assert (column,) in indexed, column
    # the date order, alone and after the commonest filters, so that a page reads an index
    for columns in (("date_start", "id"), ("actor", "date_start", "id"),
                    ("type", "date_start", "id")):
        assert columns in indexed, columns
    assert [i["column_names"] for i in inspect(migrated).get_indexes("event_reports")] == [
        ["event_id"]
    ]
    assert inspect(migrated).get_pk_constraint("reference_rows")["constrained_columns"] == [
        "set_name",
        "line",
    ]


def test_sqlite_connections_use_wal_foreign_keys_and_busy_timeout(url: str) -> None:
    engine = create_store_engine(url, busy_timeout_ms=1234)
    try:
        with engine.connect() as conn:
            got = {
                name: conn.exec_driver_sql(f"PRAGMA {name}").scalar()
                for name in ("journal_mode", "foreign_keys", "busy_timeout")
            }
        assert got == {"journal_mode": "wal", "foreign_keys": 1, "busy_timeout": 1234}
    finally:
        engine.dispose()


def test_opening_twice_keeps_head_revision_and_data(url: str) -> None:
    Store.open(url).close()
    with Store.open(url) as store:
        assert store.counts() == dict.fromkeys(store.counts(), 0)
    engine = create_store_engine(url)
    try:
        with engine.connect() as conn:
            assert MigrationContext.configure(conn).get_current_revision() == "0005"
    finally:
        engine.dispose()


def test_downgrade_to_base_and_upgrade_again(any_url: str, any_migrated: Engine) -> None:
    config = alembic_config(url=any_url)
    command.downgrade(config, "base")
    assert set(inspect(any_migrated).get_table_names()) == {"alembic_version"}
    command.upgrade(config, "head")
    assert set(inspect(any_migrated).get_table_names()) >= TABLES


def test_migrations_render_for_postgresql_without_a_server() -> None:
    # Offline mode only needs the dialect: proof the migration has no SQLite-only SQL in it.
    out = io.StringIO()
    config = alembic_config(url="postgresql://user@localhost/watchfloor")
    config.output_buffer = out
    command.upgrade(config, "head", sql=True)
    sql = out.getvalue()
    for table in TABLES:
        assert f"CREATE TABLE {table} (" in sql
    assert "DOUBLE PRECISION" in sql and "ON DELETE CASCADE" in sql


def test_readers_are_not_blocked_by_a_writer_and_writers_wait_then_fail(url: str) -> None:
    doc = Document(id="d" * 32, text="A hand-written line.", source="fixtures/hand.txt")
    with Store.open(url, busy_timeout_ms=200) as store:
        holder = create_store_engine(url)
        try:
            with write_transaction(holder) as conn:
                conn.execute(text("DELETE FROM rejections"))  # holds the write lock
                assert store.counts()["documents"] == 0  # WAL: the read goes through
                started = time.perf_counter()
                with pytest.raises(WatchfloorError) as err:
                    store.save_document(doc)
                assert time.perf_counter() - started >= 0.15  # waited for busy_timeout
        finally:
            holder.dispose()
        assert err.value.code == "W401" and "rolled back" in err.value.message
        assert store.save_document(doc) is True  # the lock is gone, so is the error


def test_file_that_is_not_a_database_is_a_w401(tmp_path: Path) -> None:
    path = tmp_path / "notes.sqlite"
    path.write_text("some notes, not a database\n" * 50)
    with pytest.raises(WatchfloorError) as err:
        Store.open(f"sqlite:///{path}")
    assert err.value.code == "W401" and "--db" in err.value.message


def test_database_from_a_newer_release_asks_for_an_upgrade(url: str, migrated: Engine) -> None:
    with migrated.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = '9999'"))
    with pytest.raises(WatchfloorError, match="upgrade watchfloor"):
        Store.open(url)
