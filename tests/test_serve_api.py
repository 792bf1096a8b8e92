"""The REST API, driven through FastAPI's TestClient over a store built by hand (no model):
health, the event list with its filters and pages, one event with its sentences, the claims
with their checks, one error shape, and the OpenAPI schema."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from watchfloor.consolidate.run import consolidate_store
from watchfloor.pack import Pack
from watchfloor.records import Document, EventMention, Extraction, Provenance, Sentence
from watchfloor.serve.api import create_app
from watchfloor.settings import load_settings
from watchfloor.store import Store

STORIES = [
    ("Harbour Wire", "SEOUL - North Korea fired a missile into the sea on Sunday, the military "
                     "said.", date(2017, 5, 14), "weapon_test", "PRK", None),
    ("Pacific Ledger", "TOKYO - A North Korean missile fell into the sea on Sunday, Japan's "
                       "defence ministry said.", date(2017, 5, 14), "weapon_test", "PRK", None),
    ("Capital Desk", "WASHINGTON - The United States imposed new sanctions on North Korea on "
                     "Friday.", date(2017, 6, 2), "sanction", "USA", "PRK"),
]


@pytest.fixture
def client(tmp_path: Path, pack: Pack) -> Iterator[TestClient]:
    url = f"sqlite:///{tmp_path / 'api.sqlite'}"
    with Store.open(url) as store:
        for hour, (outlet, text, day, etype, actor, target) in enumerate(STORIES):
            doc = Document(id=Document.make_id(text), text=text, source=f"{hour}.txt",
                           outlet=outlet, published=datetime(2017, 6, 3, hour, tzinfo=UTC))
            prov = Provenance(doc.id, 0, 0, len(text), "extract.events", "1", "p" * 64, 0.9)
            e = EventMention(id=f"ev_{hour}", type=etype, actor=actor, target=target,
                             modality="asserted", trigger="fired", prov=prov, date_start=day,
                             date_end=day, granularity="day", sentences=(0,), evidence=text)
            store.save(doc, Extraction(doc.id, [Sentence(0, 0, len(text), text)], events=[e]),
                       version="1", pack_sha256="p" * 64)
        consolidate_store(store, pack)
    app = create_app(load_settings(db_url=url), pack=pack)
    with TestClient(app) as c:
        yield c


def test_health_says_what_the_service_holds(client: TestClient) -> None:
    body = client.get("/health").json()
    assert body == {"status": "ok", "version": "1", "documents": 3, "events": 2,
                    "reference_sets": []}


def test_events_are_one_record_per_event_with_filters_and_pages(client: TestClient) -> None:
    items = client.get("/events").json()["items"]
    assert [(e["type"], e["documents"], e["sources"], e["status"]) for e in items] == [
        ("weapon_test", 2, 2, "confirmed"), ("sanction", 1, 1, "reported")]
    assert [e["type"] for e in client.get("/events", params={"actor": "USA"}).json()["items"]] \
        == ["sanction"]
    assert client.get("/events", params={"from": "2017-06-01"}).json()["items"][0]["type"] \
        == "sanction"
    page = client.get("/events", params={"limit": 1, "offset": 1}).json()
    assert (page["limit"], page["offset"], [e["type"] for e in page["items"]]) == (
        1, 1, ["sanction"])


def test_one_event_leads_back_to_its_sentences(client: TestClient) -> None:
    launch = client.get("/events", params={"type": "weapon_test"}).json()["items"][0]
    detail = client.get(f"/events/{launch['id']}").json()
    assert sorted(r["outlet"] for r in detail["reports"]) == ["Harbour Wire", "Pacific Ledger"]
    assert all(r["sentence"].endswith("said.") for r in detail["reports"])


@pytest.mark.parametrize(("path", "params", "status", "code"), [
    ("/events/rec_0000000000000000", {}, 404, "W402"),
    ("/events/not-an-id", {}, 422, "invalid_request"),
    ("/events", {"actor": "prk; drop table"}, 422, "invalid_request"),
    ("/events", {"type": "picnic"}, 422, "invalid_request"),
    ("/events", {"limit": 0}, 422, "invalid_request"),
    ("/events", {"from": "2017-06-02", "to": "2017-06-01"}, 422, "http_422"),
    ("/nowhere", {}, 404, "http_404"),
])
def test_every_error_has_one_shape(client: TestClient, path: str, params: dict[str, object],
                                   status: int, code: str) -> None:
    response = client.get(path, params=params)
    assert response.status_code == status
    body = response.json()
    assert set(body) == {"error"} and body["error"]["code"] == code
    assert body["error"]["message"]


def test_claims_come_with_their_checks_and_the_schema_is_served(client: TestClient) -> None:
    assert client.get("/claims").json() == []  # no claim in these stories
    schema = client.get("/openapi.json").json()
    assert {"/health", "/events", "/events/{event_id}", "/claims"} <= set(schema["paths"])
