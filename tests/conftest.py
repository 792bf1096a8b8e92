"""Fixtures shared by the tests: the pipeline, built once per test session, and the database
URL of the store tests (SQLite always; PostgreSQL too when WATCHFLOOR_TEST_POSTGRES names a
database to wipe, e.g. postgresql+psycopg://wf:wf@localhost/wf_test)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from sqlalchemy import text

from watchfloor.extract.extractor import Extractor
from watchfloor.pack import Pack, load_pack
from watchfloor.settings import PACKS_DIR, load_settings
from watchfloor.store import create_store_engine, schema


@pytest.fixture(scope="session")
def pack() -> Pack:
    """The korea domain pack, loaded once."""
    return load_pack(PACKS_DIR / "korea")


@pytest.fixture(scope="session")
def extractor() -> Extractor:
    settings = load_settings()
    return Extractor.build(settings, load_pack(settings.pack))


POSTGRES = os.environ.get("WATCHFLOOR_TEST_POSTGRES", "")


def wiped_postgres() -> str:
    """The test PostgreSQL database with every watchfloor table dropped."""
    engine = create_store_engine(POSTGRES)
    try:
        with engine.begin() as conn:
            schema.metadata.drop_all(conn)
            conn.execute(text("DROP TABLE IF EXISTS alembic_version"))
    finally:
        engine.dispose()
    return POSTGRES


@pytest.fixture(params=["sqlite", "postgresql"] if POSTGRES else ["sqlite"])
def url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'store.sqlite'}"
    return wiped_postgres()
