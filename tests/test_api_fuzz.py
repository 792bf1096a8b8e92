"""Property-based fuzzing of the REST API against its own OpenAPI schema (Schemathesis, issue 5):
every GET operation, with parameters generated from the schema, over a store of real articles
extracted with the model and consolidated, with a reference set. No request may end in a
server error, and every response must match the schema the app publishes. Derandomized, with
no example database and a fixed budget per operation, so that a run is repeatable and takes
well under a minute."""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

import pytest
import schemathesis
from fastapi import FastAPI
from hypothesis import HealthCheck, given, settings
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.core.failures import FailureGroup
from schemathesis.specs.openapi.checks import response_schema_conformance

from conftest import POSTGRES, wiped_postgres
from watchfloor.consolidate.run import consolidate_store
from watchfloor.extract.extractor import Extractor
from watchfloor.ingest import Ingester
from watchfloor.pack import Pack
from watchfloor.pipeline import extract_pending, ingest_into
from watchfloor.reference import read_reference
from watchfloor.serve.api import create_app
from watchfloor.settings import load_settings
from watchfloor.store import Store

REPORTS = Path(__file__).resolve().parents[1] / "corpus" / "reports"
# Wire copy, a reprint, state media and follow-ups on the same launches: merged events,
# syndicated copies, disagreements and claims, all from the model.
ARTICLES = sorted(REPORTS.glob("*.md"))[:8]
# Reference rows written for this test (the cns-2026 columns), so that /compare has a set.
REFERENCE_CSV = """\
date,time,series,missile,facility,landing,apogee,distance,bearing,outcome,description,glide
2016-04-15,05:30 (UTC),1,musudan,wonsan,unknown,unknown,unknown,90,failure,,
2016-06-22,20:58 (UTC),2,musudan,wonsan,sea,unknown,150,90,failure,,
2016-06-22,23:05 (UTC),3,musudan,wonsan,sea,1413,400,90,success,,
"""
EXAMPLES_PER_OPERATION = 40


@pytest.fixture(scope="module", params=["sqlite", "postgresql"] if POSTGRES else ["sqlite"])
def fuzzed_app(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory,
               extractor: Extractor, pack: Pack) -> FastAPI:
    """The app over the articles, on SQLite and (in CI) PostgreSQL."""
    folder = tmp_path_factory.mktemp("fuzz")
    url = f"sqlite:///{folder / 'fuzz.sqlite'}" if request.param == "sqlite" else wiped_postgres()
    settings = load_settings(db_url=url)
    with Store.open(url) as store:
        ingest_into(store, Ingester(settings, pack.datelines).ingest_paths(ARTICLES))
        extract_pending(store, extractor)
        consolidate_store(store, pack)
        csv = folder / "cns_2026.csv"
        csv.write_text(REFERENCE_CSV, encoding="utf-8")
        store.save_reference("cns-2026", read_reference(csv), source=str(csv),
                             sha256=hashlib.sha256(csv.read_bytes()).hexdigest())
        assert store.counts()["events"] > 0
    # Every generated request comes from one client address: without a rate limit the
    # budget reaches the handlers instead of ending in 429s.
    return create_app(load_settings(db_url=url, api_rate_limit=0), pack=pack)


@pytest.fixture(scope="module")
def api_schema(fuzzed_app: FastAPI) -> Any:
    return schemathesis.openapi.from_asgi("/openapi.json", fuzzed_app)


def _operations() -> list[tuple[str, GenerationMode]]:
    """(path, mode) for every GET operation the app publishes: valid requests, and invalid
    ones where the operation takes parameters. Building the app opens nothing (the store
    opens at start-up), so the list is read at collection."""
    spec = create_app(load_settings(db_url="sqlite://")).openapi()
    found = []
    for path, operations in sorted(spec["paths"].items()):
        if "get" in operations:
            found.append((path, GenerationMode.POSITIVE))
            if operations["get"].get("parameters"):
                found.append((path, GenerationMode.NEGATIVE))
    return found


# Schemathesis' own pytest loader (schemathesis.pytest.from_fixture) fails on pytest 9 (it
# reads Function._nodeid, which pytest 9 removed), so each operation's strategy is driven by
# Hypothesis directly.
@pytest.mark.parametrize(("path", "mode"), _operations())
def test_no_get_request_ends_in_a_server_error_or_off_its_schema(
    api_schema: Any, path: str, mode: GenerationMode
) -> None:
    @given(case=api_schema[path]["GET"].as_strategy(generation_mode=mode))
    @settings(max_examples=EXAMPLES_PER_OPERATION, derandomize=True, database=None,
              deadline=None, suppress_health_check=list(HealthCheck))
    def fuzz(case: Any) -> None:
        case.call_and_validate(checks=[not_a_server_error, response_schema_conformance])

    fuzz()


# Values that break APIs over databases: a NUL byte (PostgreSQL refuses it in text, SQLite's
# FTS5 reads it as the end of the query), control and bidi characters, search syntax, quotes,
# LIKE wildcards, a long word. Schemathesis' coverage phase sends values like these on purpose;
# its pytest loader being unusable here (above), they are sent by hand, to every query
# parameter of every GET operation, one at a time, so that finding them is not left to chance.
HOSTILE = ("a\x00b", "\x00", "\x1b[31m", "\u202eexe.txt", '"', "*", "NEAR(a b)", 'a" OR "b',
           "-", "x" * 300, "%", "_", "'; drop table events; --", "１２３", "\ud7ff\ue000")


@pytest.mark.parametrize("path", sorted({path for path, _mode in _operations()
                                         if "{" not in path}))
def test_hostile_values_in_any_query_parameter_get_an_answer_not_a_server_error(
    api_schema: Any, path: str
) -> None:
    operation = api_schema[path]["GET"]
    names = [p["name"] for p in api_schema.raw_schema["paths"][path]["get"].get("parameters", [])
             if p["in"] == "query"]
    failures = []
    for name in names:
        for value in HOSTILE:
            case = operation.Case(query={name: value})
            response = case.call()
            try:
                case.validate_response(response,
                                       checks=[not_a_server_error, response_schema_conformance])
            except FailureGroup as exc:
                found = "; ".join(f"{type(e).__name__}: {e}".splitlines()[0]
                                  for e in exc.exceptions)
                failures.append(f"{path}?{name}={value!r} -> {response.status_code} "
                                f"{response.text[:160]} ({found})")
    assert not failures, "\n".join(failures)
