"""Fixtures shared by the extraction tests: the pipeline is built once per test session."""

from __future__ import annotations

import pytest

from watchfloor.extract.extractor import Extractor
from watchfloor.pack import load_pack
from watchfloor.settings import load_settings


@pytest.fixture(scope="session")
def extractor() -> Extractor:
    settings = load_settings()
    return Extractor.build(settings, load_pack(settings.pack))
