"""The API's response cache (serve/cache.py) and the data version it stands on: a read is
answered from memory until any write, from this process or another, raises the version; ETags
revalidate; errors, writes and /health are never kept; the cache keeps to its size; one
computation per key however many ask at once."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable, Iterator
from datetime import UTC, date, datetime
from typing import Any

import pytest
from fastapi.testclient import TestClient
from starlette.types import Message, Receive, Scope, Send

from watchfloor.consolidate.run import consolidate_store
from watchfloor.errors import E, WatchfloorError
from watchfloor.pack import Pack
from watchfloor.records import Document, EventMention, Extraction, Provenance, Sentence
from watchfloor.serve.api import create_app
from watchfloor.serve.cache import FreshReads, ResponseCache, cacheable
from watchfloor.settings import load_settings
from watchfloor.store import Store


def _save_story(store: Store, n: int, day: date, etype: str = "weapon_test",
                actor: str = "PRK") -> None:
    text = f"SEOUL - North Korea fired missile number {n} into the sea, officials said."
    doc = Document(id=Document.make_id(text), text=text, source=f"{n}.txt",
                   outlet=f"Outlet {n}", published=datetime(2019, 1, 1, n % 24, tzinfo=UTC))
    prov = Provenance(doc.id, 0, 0, len(text), "extract.events", "1", "p" * 64, 0.9)
    event = EventMention(id=f"ev_{n}", type=etype, actor=actor, target=None,
                         modality="asserted", trigger="fired", prov=prov, date_start=day,
                         date_end=day, granularity="day", sentences=(0,), evidence=text)
    store.save(doc, Extraction(doc.id, [Sentence(0, 0, len(text), text)], events=[event]),
               version="1", pack_sha256="p" * 64)


@pytest.fixture
def served(url: str, pack: Pack) -> Iterator[tuple[TestClient, Store]]:
    """The API over one launch, and a second store on the same database: another process
    (the watch loop, the CLI) writing behind the API's back."""
    with Store.open(url) as other:
        _save_story(other, 1, date(2019, 5, 4))
        consolidate_store(other, pack)
        app = create_app(load_settings(db_url=url), pack=pack)
        with TestClient(app) as client:
            yield client, other


def test_every_write_transaction_raises_the_data_version(url: str, pack: Pack) -> None:
    with Store.open(url) as store, Store.open(url) as reader:
        epoch, first = reader.data_version()
        _save_story(store, 1, date(2019, 5, 4))
        assert reader.data_version() == (epoch, first + 1)  # seen from another connection
        consolidate_store(store, pack)
        after = reader.data_version()
        assert after[0] == epoch and after[1] > first + 1
        assert reader.data_version() == after  # reading changes nothing


def test_a_new_article_leaves_the_events_version_and_consolidation_moves_it(
        url: str, pack: Pack) -> None:
    with Store.open(url) as store:
        def versions() -> tuple[int, int]:
            return store.data_version()[1], store.data_version("events")[1]

        n, events = versions()
        _save_story(store, 1, date(2019, 5, 4))  # a new article with its extraction
        assert versions() == (n + 1, events)
        store.save_feed_state("https://feeds.example/a.xml", failures=0, entries_seen=1)
        _, token = store.create_token("reader")
        assert store.check_token(token) == "reader"
        assert versions()[1] == events  # feeds and tokens: nothing read of the events
        consolidate_store(store, pack)
        assert versions()[1] > events
        moved = versions()
        doc_id = next(iter(store.document_headers()))
        extraction = store.extraction(doc_id)
        assert extraction is not None
        store.save_extraction(extraction, version="2", pack_sha256="p" * 64)  # re-extracted
        assert versions()[1] == moved[1] + 1


def test_touching_the_store_moves_both_versions(url: str) -> None:
    with Store.open(url) as store:
        before = (store.data_version(), store.data_version("events"))
        store.touch()
        after = (store.data_version(), store.data_version("events"))
        assert [a[1] - b[1] for a, b in zip(after, before, strict=True)] == [1, 1]


def test_a_failed_write_leaves_the_version_where_it_was(url: str) -> None:
    with Store.open(url) as store:
        before = store.data_version()
        with pytest.raises(RuntimeError), store._write("a write that fails"):
            raise RuntimeError("boom")
        assert store.data_version() == before


def test_two_databases_have_different_epochs(tmp_path: Any) -> None:
    with Store.open(f"sqlite:///{tmp_path}/a.sqlite") as a, \
            Store.open(f"sqlite:///{tmp_path}/b.sqlite") as b:
        assert a.data_version()[0] != b.data_version()[0]
        assert a.data_version()[1] == b.data_version()[1] == 0


def test_a_read_is_kept_until_another_process_writes(served: tuple[TestClient, Store],
                                                     pack: Pack) -> None:
    client, other = served
    first = client.get("/events")
    again = client.get("/events")
    assert (first.headers["x-cache"], again.headers["x-cache"]) == ("miss", "hit")
    assert again.content == first.content and len(first.json()["items"]) == 1
    assert again.headers["content-length"] == str(len(first.content))
    # Another process adds a launch: the next read sees it at once.
    _save_story(other, 2, date(2019, 7, 9))
    consolidate_store(other, pack)
    fresh = client.get("/events")
    assert fresh.headers["x-cache"] == "miss" and len(fresh.json()["items"]) == 2


def test_event_reads_stay_kept_while_articles_arrive_until_consolidation(
        served: tuple[TestClient, Store], pack: Pack) -> None:
    client, other = served
    for path in ("/events", "/timeline", "/documents"):
        client.get(path)
    _save_story(other, 2, date(2019, 7, 9))  # the watch loop saves an article
    assert client.get("/events").headers["x-cache"] == "hit"
    assert client.get("/timeline").headers["x-cache"] == "hit"
    documents = client.get("/documents")
    assert documents.headers["x-cache"] == "miss" and len(documents.json()["items"]) == 2
    consolidate_store(other, pack)  # and then links it to an event
    fresh = client.get("/events")
    assert fresh.headers["x-cache"] == "miss" and len(fresh.json()["items"]) == 2


def test_a_head_is_answered_from_its_gets_entry(served: tuple[TestClient, Store]) -> None:
    client, _ = served
    got = client.get("/timeline")
    head = client.head("/timeline")
    assert head.status_code == 200 and head.headers["x-cache"] == "hit"
    assert head.content == b"" and head.headers["content-length"] == str(len(got.content))
    assert head.headers["etag"] == got.headers["etag"]


def test_formats_and_queries_are_kept_apart(served: tuple[TestClient, Store]) -> None:
    client, _ = served
    as_json = client.get("/timeline", params={"interval": "year"})
    as_csv = client.get("/timeline", params={"interval": "year"},
                        headers={"Accept": "text/csv"})
    by_day = client.get("/timeline", params={"interval": "day"})
    assert as_csv.headers["x-cache"] == by_day.headers["x-cache"] == "miss"
    assert as_csv.text.startswith("period,key,count") and as_json.json()["interval"] == "year"
    csv_again = client.get("/timeline", params={"interval": "year"},
                           headers={"Accept": "text/csv"})
    assert csv_again.headers["x-cache"] == "hit" and csv_again.text == as_csv.text
    assert csv_again.headers["content-type"] == as_csv.headers["content-type"]
    assert csv_again.headers["content-disposition"] == as_csv.headers["content-disposition"]


def test_an_etag_revalidates_until_the_data_changes(served: tuple[TestClient, Store],
                                                    pack: Pack) -> None:
    client, other = served
    documents_tag = client.get("/documents").headers["etag"]
    first = client.get("/events")
    tag = first.headers["etag"]
    assert tag.startswith('W/"')
    same = client.get("/events", headers={"If-None-Match": tag})
    assert same.status_code == 304 and same.content == b""
    strong = tag.removeprefix("W/")  # If-None-Match compares weakly
    assert client.get("/events", headers={"If-None-Match": f'"x", {strong}'}).status_code == 304
    assert client.get("/events?limit=5", headers={"If-None-Match": tag}).status_code == 200
    _save_story(other, 3, date(2019, 8, 1))  # a new article: no event reports it yet
    assert client.get("/events", headers={"If-None-Match": tag}).status_code == 304
    assert client.get("/documents", headers={"If-None-Match": documents_tag}
                      ).status_code == 200
    consolidate_store(other, pack)
    changed = client.get("/events", headers={"If-None-Match": tag})
    assert changed.status_code == 200 and changed.headers["etag"] != tag


def test_errors_writes_and_health_are_not_kept(served: tuple[TestClient, Store]) -> None:
    client, _ = served
    for _ in range(2):
        bad = client.get("/events", params={"limit": 0})
        assert bad.status_code == 422 and "x-cache" not in bad.headers
        missing = client.get("/events/rec_0000000000000000")
        assert missing.status_code == 404 and "x-cache" not in missing.headers
        health = client.get("/health")
        assert health.status_code == 200 and "x-cache" not in health.headers
        refused = client.post("/documents", json={"text": "x" * 100})
        assert refused.status_code == 401 and "x-cache" not in refused.headers


def test_the_cache_can_be_turned_off(url: str, pack: Pack) -> None:
    with Store.open(url) as store:
        _save_story(store, 1, date(2019, 5, 4))
        consolidate_store(store, pack)
    app = create_app(load_settings(db_url=url, api_cache_mb=0), pack=pack)
    with TestClient(app) as client:
        first, again = client.get("/events"), client.get("/events")
        assert first.headers["x-cache"] == again.headers["x-cache"] == "miss"
        assert client.get("/health").json()["cache"] is None
        assert client.get("/events", headers={"If-None-Match": first.headers["etag"]}
                          ).status_code == 304


def test_dashboard_pages_are_kept_and_static_files_are_not() -> None:
    assert cacheable("GET", "/events") and cacheable("HEAD", "/timeline")
    assert cacheable("GET", "/ui/events") and cacheable("GET", "/documents/abc")
    assert not cacheable("POST", "/documents") and not cacheable("GET", "/health")
    assert not cacheable("GET", "/ui/static/app.js") and not cacheable("GET", "/eventsx")
    assert not cacheable("GET", "/openapi.json")


# -- the middleware alone, over a counting app -----------------------------------------------


class Counting:
    """An ASGI app that answers every path with a body of ``size`` bytes, slowly, and counts
    its calls."""

    def __init__(self, size: int = 100, delay: float = 0.0) -> None:
        self.size, self.delay, self.calls = size, delay, 0

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        self.calls += 1
        await asyncio.sleep(self.delay)
        body = scope["path"].encode().ljust(self.size, b".")
        await send({"type": "http.response.start", "status": 200,
                    "headers": [(b"content-type", b"text/plain")]})
        await send({"type": "http.response.body", "body": body[:10], "more_body": True})
        await send({"type": "http.response.body", "body": body[10:]})


def fixed(version: tuple[str, int]) -> Callable[[Scope], Awaitable[tuple[str, int]]]:
    async def read(scope: Scope) -> tuple[str, int]:
        return version

    return read


async def _get(app: Any, path: str) -> tuple[int, dict[bytes, bytes], bytes]:
    sent: list[Message] = []

    async def receive() -> Message:
        return {"type": "http.request", "body": b""}

    async def send(message: Message) -> None:
        sent.append(message)

    scope = {"type": "http", "method": "GET", "path": path, "query_string": b"",
             "headers": []}
    await app(scope, receive, send)
    return (sent[0]["status"], dict(sent[0]["headers"]),
            b"".join(m.get("body", b"") for m in sent[1:]))


def test_the_least_recently_used_answers_go_first() -> None:
    inner = Counting(size=100)
    cache = ResponseCache(inner, version=fixed(("db", 1)), max_bytes=800)

    async def run() -> None:
        for path in ("/events/a", "/events/b", "/events/c", "/events/a"):
            await _get(cache, path)
        assert inner.calls == 3 and len(cache) == 3
        for n in range(6):  # 9 answers of 100 bytes do not fit in 800
            await _get(cache, f"/events/x{n}")
        assert cache.size <= 800 and len(cache) == 8
        before = inner.calls
        await _get(cache, "/events/b")  # the oldest, dropped
        await _get(cache, "/events/x5")  # the newest, kept
        assert inner.calls == before + 1

    asyncio.run(run())


def test_an_answer_too_big_is_passed_on_and_not_kept() -> None:
    inner = Counting(size=500)
    cache = ResponseCache(inner, version=fixed(("db", 1)), max_bytes=1000)

    async def run() -> None:
        status, headers, body = await _get(cache, "/events")
        assert status == 200 and len(body) == 500 and headers[b"x-cache"] == b"miss"
        await _get(cache, "/events")
        assert inner.calls == 2 and len(cache) == 0

    asyncio.run(run())


def test_many_asking_at_once_cost_one_computation() -> None:
    inner = Counting(delay=0.05)
    cache = ResponseCache(inner, version=fixed(("db", 1)), max_bytes=1 << 20)

    async def run() -> None:
        answers = await asyncio.gather(*(_get(cache, "/timeline") for _ in range(20)))
        assert inner.calls == 1
        assert len({body for _, _, body in answers}) == 1
        assert sorted(h[b"x-cache"] for _, h, _ in answers) == [b"hit"] * 19 + [b"miss"]

    asyncio.run(run())


def test_an_answer_computed_while_the_data_moved_is_not_kept() -> None:
    versions = iter([("db", 1), ("db", 2), ("db", 2), ("db", 2)])
    inner = Counting(delay=0.05)

    async def version(scope: Scope) -> tuple[str, int]:
        return next(versions)

    cache = ResponseCache(inner, version=version, max_bytes=1 << 20)

    async def run() -> None:
        slow = asyncio.ensure_future(_get(cache, "/events"))  # reads version 1
        await asyncio.sleep(0.01)
        await _get(cache, "/events/other")  # version 2 arrives meanwhile
        await slow
        await _get(cache, "/events")  # version 2: computed again, not version 1's answer
        assert inner.calls == 3

    asyncio.run(run())


# -- the data version, read for many requests at once ----------------------------------------


class SlowCounter:
    """A read that takes ``delay`` seconds (in a thread) and returns how many reads had
    started when it began."""

    def __init__(self, delay: float = 0.05, fail: bool = False) -> None:
        self.delay, self.fail, self.started = delay, fail, 0

    def __call__(self) -> int:
        self.started += 1
        seen = self.started
        time.sleep(self.delay)
        if self.fail:
            raise WatchfloorError(E.W401, url="db", detail="the server went away")
        return seen


def test_requests_that_come_together_share_a_read_never_one_begun_before_them() -> None:
    read = SlowCounter()
    reads = FreshReads(read)

    async def run() -> None:
        first = asyncio.ensure_future(reads.get())
        await asyncio.sleep(0.01)  # the first read is in flight
        later = await asyncio.gather(*(reads.get() for _ in range(20)))
        assert await first == 1
        assert later == [2] * 20  # one read, begun after they came, for all twenty
        assert reads.reads == read.started == 2
        assert await reads.get() == 3  # nothing in flight: a read of its own at once

    asyncio.run(run())


def test_a_request_that_goes_away_does_not_cancel_the_read_of_the_others() -> None:
    reads = FreshReads(SlowCounter())

    async def run() -> None:
        starter = asyncio.ensure_future(reads.get())  # begins read 1
        await asyncio.sleep(0.01)
        leaving = asyncio.ensure_future(reads.get())  # these two wait for read 2
        staying = asyncio.ensure_future(reads.get())
        await asyncio.sleep(0.01)
        starter.cancel()
        leaving.cancel()
        assert await staying == 2  # read 1 finished, read 2 began and reached it

    asyncio.run(run())


def test_a_failed_read_reaches_every_waiter_and_the_next_read_is_tried_again() -> None:
    read = SlowCounter(fail=True)
    reads = FreshReads(read)

    async def run() -> None:
        got = await asyncio.gather(reads.get(), reads.get(), return_exceptions=True)
        assert all(isinstance(x, WatchfloorError) for x in got)
        read.fail = False
        assert await reads.get() == read.started

    asyncio.run(run())


def test_a_cheap_read_is_made_in_the_loop_for_each_request() -> None:
    read = SlowCounter(delay=0.0)
    reads = FreshReads(read, in_thread=False)

    async def run() -> None:
        assert list(await asyncio.gather(reads.get(), reads.get())) == [1, 2]

    asyncio.run(run())
