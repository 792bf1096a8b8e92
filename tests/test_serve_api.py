"""The REST API, driven through FastAPI's TestClient over a store built by hand (no model):
health, the event list with its filters and pages, one event with its sentences, the claims
with their checks, one error shape, and the OpenAPI schema."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

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
def client(url: str, pack: Pack) -> Iterator[TestClient]:
    """The API over three stories, on SQLite and (in CI) PostgreSQL."""
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
    cache = body.pop("cache")
    assert body == {"status": "ok", "version": "1", "documents": 3, "events": 2,
                    "reference_sets": []}
    assert cache == {"entries": 0, "megabytes": 0.0, "limit_megabytes": 256, "hits": 0,
                     "misses": 0}
    client.get("/events")
    client.get("/events")
    cache = client.get("/health").json()["cache"]
    assert (cache["entries"], cache["hits"], cache["misses"]) == (1, 1, 1)
    assert cache["megabytes"] >= 0.0


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
    ("/events", {"q": "a\x00b"}, 422, "invalid_request"),
    ("/timeline", {"weapon": "Hwasong\x7f"}, 422, "invalid_request"),
    ("/documents", {"outlet": "\x00"}, 422, "invalid_request"),
    ("/quotes", {"q": "line\x1bbreak"}, 422, "invalid_request"),
])
def test_every_error_has_one_shape(client: TestClient, path: str, params: dict[str, object],
                                   status: int, code: str) -> None:
    response = client.get(path, params=params)
    assert response.status_code == status
    body = response.json()
    assert set(body) == {"error"} and body["error"]["code"] == code
    assert body["error"]["message"]


def test_claims_come_with_their_checks_and_the_schema_is_served(client: TestClient) -> None:
    assert client.get("/claims").json() == {"items": [], "limit": 100, "offset": 0}  # none
    schema = client.get("/openapi.json").json()
    assert {"/health", "/events", "/events/{event_id}", "/claims"} <= set(schema["paths"])


# -- search, sort, formats, timeline, documents, quotes, compare ----------------------------


def test_events_search_sort_and_modality(client: TestClient) -> None:
    found = client.get("/events", params={"q": "sanctions"}).json()["items"]
    assert [e["type"] for e in found] == ["sanction"]
    assert client.get("/events", params={"q": "sanctions -Friday"}).json()["items"] == []
    newest = client.get("/events", params={"sort": "-date"}).json()["items"]
    assert [e["type"] for e in newest] == ["sanction", "weapon_test"]
    by_sources = client.get("/events", params={"sort": "-sources"}).json()["items"]
    assert by_sources[0]["sources"] == 2
    assert client.get("/events", params={"modality": "hypothetical"}).json()["items"] == []
    bad = client.get("/events", params={"q": "-only -exclusions"})
    assert (bad.status_code, bad.json()["error"]["code"]) == (422, "W406")


def test_lists_come_as_csv_or_json_lines(client: TestClient) -> None:
    import csv
    import io
    import json

    as_csv = client.get("/events", params={"format": "csv"})
    assert as_csv.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(as_csv.text)))
    assert [r["type"] for r in rows] == ["weapon_test", "sanction"]
    assert json.loads(rows[0]["weapon_class"]) == []  # nested values are JSON in their cell
    lines = client.get("/events", headers={"Accept": "application/x-ndjson"}).text.splitlines()
    assert [json.loads(line)["type"] for line in lines] == ["weapon_test", "sanction"]
    empty = client.get("/events", params={"format": "csv", "actor": "JPN"}).text
    assert empty.splitlines() == [",".join(EventOutFields)]  # the header, always
    docs = client.get("/documents", params={"format": "jsonl"}).text.splitlines()
    assert len(docs) == 3


EventOutFields = ["id", "type", "actor", "target", "modality", "weapon", "weapon_class",
                  "location", "date_start", "date_end", "granularity", "time", "count",
                  "outcome", "distance_km", "apogee_km", "status", "confidence", "documents",
                  "sources", "first_reported", "last_reported", "disagreements", "reference"]


def test_timeline_counts_events_by_period_and_key(client: TestClient) -> None:
    body = client.get("/timeline", params={"by": "type", "interval": "month"}).json()
    assert body["periods"] == [
        {"period": "2017-05", "total": 1, "counts": {"weapon_test": 1}},
        {"period": "2017-06", "total": 1, "counts": {"sanction": 1}}]
    assert body["keys"] == ["sanction", "weapon_test"] and body["undated"] == 0
    by_actor = client.get("/timeline", params={"by": "actor", "interval": "year",
                                               "type": "weapon_test"}).json()
    assert by_actor["periods"] == [{"period": "2017", "total": 1, "counts": {"PRK": 1}}]
    csv_text = client.get("/timeline", params={"format": "csv", "interval": "week"}).text
    assert csv_text.splitlines() == ["period,key,count", "2017-W19,weapon_test,1",
                                     "2017-W22,sanction,1"]
    assert client.get("/timeline", params={"interval": "fortnight"}).status_code == 422


def test_documents_list_search_and_detail(client: TestClient) -> None:
    items = client.get("/documents").json()["items"]
    assert [d["outlet"] for d in items] == ["Capital Desk", "Pacific Ledger", "Harbour Wire"]
    assert "text" not in items[0]
    found = client.get("/documents", params={"q": "defence ministry"}).json()["items"]
    assert [d["outlet"] for d in found] == ["Pacific Ledger"]
    detail = client.get(f"/documents/{found[0]['id']}").json()
    assert detail["text"].startswith("TOKYO - A North Korean missile")
    assert detail["extraction"]["events"][0]["type"] == "weapon_test"
    assert detail["events"] and detail["events"][0].startswith("rec_")
    missing = client.get("/documents/" + "0" * 32)
    assert (missing.status_code, missing.json()["error"]["code"]) == (404, "W408")


def test_compare_needs_a_known_reference_set(client: TestClient) -> None:
    r = client.get("/compare", params={"reference": "cns-2026", "from": "2017-01-01",
                                       "to": "2017-12-31"})
    assert (r.status_code, r.json()["error"]["code"]) == (404, "W602")
    r = client.get("/compare", params={"reference": "x", "from": "2017-02-01",
                                       "to": "2017-01-01"})
    assert r.status_code == 422


def test_cors_is_off_unless_configured(tmp_path: Path, pack: Pack) -> None:
    preflight = {"Origin": "https://analyst.example", "Access-Control-Request-Method": "GET"}
    url = f"sqlite:///{tmp_path / 'cors.sqlite'}"
    with TestClient(create_app(load_settings(db_url=url), pack=pack)) as c:
        assert "access-control-allow-origin" not in c.options("/events", headers=preflight).headers
        assert "access-control-allow-origin" not in c.get("/health", headers=preflight).headers
    settings = load_settings(db_url=url, api_cors_origins=("https://analyst.example",))
    with TestClient(create_app(settings, pack=pack)) as c:
        assert c.get("/health", headers=preflight).headers[
            "access-control-allow-origin"] == "https://analyst.example"


def test_reads_are_rate_limited_per_client(tmp_path: Path, pack: Pack) -> None:
    settings = load_settings(db_url=f"sqlite:///{tmp_path / 'r.sqlite'}", api_rate_limit=20)
    with TestClient(create_app(settings, pack=pack)) as c:
        codes = [c.get("/health").status_code for _ in range(12)]
    assert codes[:5] == [200] * 5 and codes[-1] == 429  # a burst of 5, then refused
    assert 429 in codes


def test_tokens_bucket_refills_with_time() -> None:
    from watchfloor.serve.security import TokenBuckets

    now = [0.0]
    buckets = TokenBuckets(60, clock=lambda: now[0])  # one a second, bursts of 15
    assert all(buckets.take("a") == 0 for _ in range(15))
    assert buckets.take("a") == pytest.approx(1.0)
    assert buckets.take("b") == 0  # another client has its own bucket
    now[0] += 2.0
    assert buckets.take("a") == 0


# -- writes: tokens, body size, fetching URLs ------------------------------------------------

ARTICLE = ("SEOUL - North Korea fired a ballistic missile into the sea off its east coast on "
           "Tuesday, South Korea's military said. The missile flew about 500 km.")


@pytest.fixture
def writable(url: str, pack: Pack, extractor: Any) -> Iterator[tuple[TestClient, str]]:
    with Store.open(url) as store:
        _, token = store.create_token("test importer")
    settings = load_settings(db_url=url, api_max_body=20_000)
    with TestClient(create_app(settings, pack=pack, extractor=extractor)) as c:
        yield c, token


def test_writes_need_a_live_token(writable: tuple[TestClient, str]) -> None:
    c, token = writable
    body = {"text": ARTICLE, "published": "2017-05-30T09:00:00+09:00"}
    refused = c.post("/documents", json=body)
    assert refused.status_code == 401 and refused.headers["www-authenticate"] == "Bearer"
    assert refused.json()["error"]["code"] == "http_401"
    wrong = c.post("/documents", json=body, headers={"Authorization": "Bearer wf_x_y"})
    assert wrong.status_code == 401
    assert c.get("/health").json()["documents"] == 0  # nothing was written
    taken = c.post("/documents", json=body, headers={"Authorization": f"Bearer {token}"})
    assert taken.status_code == 201, taken.text
    out = taken.json()
    assert out["new"] and out["events"] >= 1 and out["records"]
    record = c.get(f"/events/{out['records'][0]}").json()
    assert record["type"] == "weapon_test" and record["reports"][0]["sentence"].startswith(
        "North Korea fired a ballistic missile")
    again = c.post("/documents", json=body, headers={"Authorization": f"Bearer {token}"})
    assert (again.status_code, again.json()["new"], again.json()["id"]) == (200, False, out["id"])


@pytest.mark.parametrize("authorization", [None, "Bearer", "Basic d2Y6eA==", "Bearer wf_x_y"])
def test_a_write_without_a_live_token_is_refused_before_its_body_is_read(
        writable: tuple[TestClient, str], authorization: str | None) -> None:
    c, _ = writable
    seen: list[bytes] = []

    def body() -> Iterator[bytes]:  # what the server reads of it, it takes from here
        for part in (b'{"text": ', b'"not even json'):
            seen.append(part)
            yield part

    headers = {"Content-Type": "application/json"}
    if authorization is not None:
        headers["Authorization"] = authorization
    r = c.post("/documents", content=body(), headers=headers)
    assert (r.status_code, r.json()["error"]["code"]) == (401, "http_401")
    assert r.headers["www-authenticate"] == "Bearer"
    assert seen == []  # not one byte of the body was asked for


def test_a_body_over_the_limit_is_refused_before_it_is_read(
        writable: tuple[TestClient, str]) -> None:
    c, token = writable
    huge = {"text": "North Korea fired a missile. " * 1000}
    r = c.post("/documents", json=huge, headers={"Authorization": f"Bearer {token}"})
    assert (r.status_code, r.json()["error"]["code"]) == (413, "body_too_large")

    def chunks() -> Iterator[bytes]:  # no Content-Length: counted as it streams
        yield b'{"text": "'
        for _ in range(100):
            yield b"x" * 1000
        yield b'"}'

    r = c.post("/documents", content=chunks(), headers={
        "Authorization": f"Bearer {token}", "Content-Type": "application/json"})
    assert (r.status_code, r.json()["error"]["code"]) == (413, "body_too_large")


@pytest.mark.parametrize("target", ["http://127.0.0.1:8000/health", "http://localhost/",
                                    "http://10.1.2.3/story", "http://[::1]/",
                                    "http://169.254.169.254/latest/meta-data/"])
def test_urls_to_loopback_or_private_addresses_are_refused(
        writable: tuple[TestClient, str], target: str) -> None:
    c, token = writable
    r = c.post("/documents", json={"url": target}, headers={"Authorization": f"Bearer {token}"})
    assert r.status_code == 422, r.text
    assert r.json()["error"]["code"].startswith("W7")
    assert c.get("/health").json()["documents"] == 0


@pytest.mark.parametrize("body", [{}, {"title": "no text"}, {"text": ""},
                                  {"url": "file:///etc/passwd"}, {"url": "not a url"}])
def test_an_article_needs_text_or_an_http_url(writable: tuple[TestClient, str],
                                              body: dict[str, str]) -> None:
    c, token = writable
    r = c.post("/documents", json=body, headers={"Authorization": f"Bearer {token}"})
    assert (r.status_code, r.json()["error"]["code"]) == (422, "invalid_request")


def test_the_access_log_never_holds_a_token(writable: tuple[TestClient, str],
                                            caplog: pytest.LogCaptureFixture) -> None:
    c, token = writable
    caplog.set_level("INFO", logger="watchfloor.api")
    c.post("/documents", json={"text": "too short"},
           headers={"Authorization": f"Bearer {token}"})
    c.get("/events", headers={"Authorization": f"Bearer {token}"})
    lines = [r for r in caplog.records if r.name == "watchfloor.api"]
    assert len(lines) == 2
    assert lines[0].request["token"] == "test importer"  # type: ignore[attr-defined]
    assert all(token not in r.getMessage() and token not in repr(r.__dict__) for r in lines)


def test_an_article_is_fetched_from_its_url_when_private_addresses_are_allowed(
        tmp_path: Path, pack: Pack, extractor: Any) -> None:
    import http.server
    import threading

    page = (f"<html><head><title>Missile fired</title></head><body><article><p>{ARTICLE}</p>"
            "</article></body></html>").encode()

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(page)))
            self.end_headers()
            self.wfile.write(page)

        def log_message(self, *_args: object) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    url = f"sqlite:///{tmp_path / 'fetch.sqlite'}"
    with Store.open(url) as store:
        _, token = store.create_token("fetcher")
    story = f"http://127.0.0.1:{server.server_address[1]}/story.html"
    try:
        settings = load_settings(db_url=url, fetch_allow_private=True)
        with TestClient(create_app(settings, pack=pack, extractor=extractor)) as c:
            r = c.post("/documents", json={"url": story, "outlet": "Local Wire"},
                       headers={"Authorization": f"Bearer {token}"})
            assert r.status_code == 201, r.text
            doc = c.get(f"/documents/{r.json()['id']}").json()
    finally:
        server.shutdown()
    assert (doc["url"], doc["outlet"], doc["title"]) == (story, "Local Wire", "Missile fired")
    assert doc["text"].startswith("North Korea fired a ballistic missile")


def test_csv_cells_never_run_as_spreadsheet_formulas() -> None:
    from watchfloor.serve.formats import _cell

    assert _cell('=HYPERLINK("http://x.example","click")') == \
        '\'=HYPERLINK("http://x.example","click")'
    assert [_cell(v) for v in ("+1 555", "@SUM(A1)", "-cmd", "-12.5", "plain", 3, None)] == [
        "'+1 555", "'@SUM(A1)", "'-cmd", "-12.5", "plain", 3, None]


def test_ipv6_clients_share_a_budget_per_64() -> None:
    from watchfloor.serve.security import _client_key

    assert _client_key("2001:db8:1:2::5") == _client_key("2001:db8:1:2:ffff::9") == \
        "2001:db8:1:2::/64"
    assert _client_key("2001:db8:1:3::5") != _client_key("2001:db8:1:2::5")
    assert _client_key("::ffff:203.0.113.9") == _client_key("203.0.113.9") == "203.0.113.9"
    assert _client_key("testclient") == "testclient"


def test_health_counts_only_what_it_shows(client: TestClient) -> None:
    body = client.get("/health").json()
    assert (body["documents"], body["events"]) == (3, 2)
