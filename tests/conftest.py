"""Fixtures shared by the tests: the pipeline, built once per test session, and the database
URL of the store tests (SQLite always; PostgreSQL too when WATCHFLOOR_TEST_POSTGRES names a
database to wipe, e.g. postgresql+psycopg://wf:wf@localhost/wf_test)."""

from __future__ import annotations

import importlib.util
import os
import sys
from pathlib import Path
from types import ModuleType

import pytest

from watchfloor.extract.extractor import Extractor
from watchfloor.pack import Pack, load_pack
from watchfloor.settings import PACKS_DIR, load_settings
from watchfloor.store.db import drop_all_tables


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
    drop_all_tables(POSTGRES)
    return POSTGRES


@pytest.fixture(params=["sqlite", "postgresql"] if POSTGRES else ["sqlite"])
def url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'store.sqlite'}"
    return wiped_postgres()


def bench_module(filename: str) -> ModuleType:
    """A module of bench/ loaded from its file: bench/ is not an installed package, and pytest
    puts only src/ on the path."""
    path = Path(__file__).resolve().parents[1] / "bench" / filename
    spec = importlib.util.spec_from_file_location(f"bench_{path.stem}_under_test", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while being built
    spec.loader.exec_module(module)
    return module
