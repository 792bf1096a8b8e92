"""The API load benchmark's cheap parts (bench/api.py): the synthetic events read back through
the store whole and in date-ordered pages, determinism and reuse of a built database, the
latency figures, and the timeline requests fitted to the served schema. The load run itself
takes minutes and is not a test (make bench-api)."""

from __future__ import annotations

import random
import re
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from conftest import bench_module
from watchfloor.pack import Pack
from watchfloor.records import EVENT_TYPES
from watchfloor.serve.api import EVENT_ID
from watchfloor.store import Store, db

EVENTS = 200


@pytest.fixture(scope="module")
def bench() -> ModuleType:
    return bench_module("api.py")


@pytest.fixture(scope="module")
def vocab(bench: ModuleType, pack: Pack) -> Any:
    return bench.Vocabulary.from_pack(pack)


def test_generated_events_read_back_whole_with_their_reports(
    bench: ModuleType, vocab: Any, url: str
) -> None:
    info = bench.write_data(url, bench.DataSpec(events=EVENTS), vocab)
    with Store.open(url) as store:
        events = store.consolidated_events()
        counts = store.counts()
        assert (len(events), counts["events"], counts["documents"], counts["event_reports"]) \
            == (EVENTS, EVENTS, info.documents, info.reports)
        assert len({e.id for e in events}) == EVENTS
        assert all(re.match(EVENT_ID, e.id) for e in events)
        assert {e.type for e in events} <= set(EVENT_TYPES)
        assert {e.actor for e in events} >= {"PRK", "USA", "KOR"}
        assert any(e.weapon in {w for w, _ in vocab.weapons} for e in events)
        assert sum(e.date_start is None for e in events) > 0  # some undated, as in real data
        for e in events[:: EVENTS // 20]:
            details = store.report_details(e.reports)
            assert len(details) == e.documents >= e.sources >= 1
            outlets = {doc.outlet for _key, doc, _m in details if doc is not None}
            assert len(outlets) == e.sources
            for _key, doc, mention in details:
                assert doc is not None and mention is not None
                assert doc.text[mention.prov.start:mention.prov.end] == mention.evidence
                assert (mention.type, mention.actor) == (e.type, e.actor)


@pytest.mark.parametrize("anchored", [False, True], ids=["skipping", "from-anchors"])
@pytest.mark.parametrize("sort", ["date", "-date"])
def test_date_ordered_pages_are_slices_of_one_order_across_the_undated_ones(
    bench: ModuleType, vocab: Any, url: str, sort: str, anchored: bool,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    if anchored:  # deep pages read from anchors at every offset past 3, one every 7 events
        monkeypatch.setattr(db, "ANCHOR_FROM", 3)
        monkeypatch.setattr(db, "ANCHOR_STEP", 7)
    bench.write_data(url, bench.DataSpec(events=EVENTS), vocab)
    with Store.open(url) as store:
        whole = [e.id for e in store.consolidated_events(sort=sort)]
        undated = [e.id for e in store.consolidated_events(sort=sort) if e.date_start is None]
        assert whole[-len(undated):] == sorted(undated)  # undated last, by id
        days = [e.date_start for e in store.consolidated_events() if e.date_start]
        assert len(days) > len(set(days))  # days with several events: anchors must cope
        for filters in ({}, {"actor": "PRK"}):
            expected = [e.id for e in store.consolidated_events(sort=sort, **filters)]
            n = len(expected)
            for offset in (0, 1, *range(3, n, 5), n - len(undated) - 3, n - len(undated),
                           n - 2, n, n + 5):
                for limit in (1, 7, 100):
                    page = store.consolidated_events(sort=sort, limit=limit,
                                                     offset=max(offset, 0), **filters)
                    assert [e.id for e in page] == expected[max(offset, 0):][:limit]


def test_the_same_spec_gives_the_same_rows_and_a_built_file_is_reused_or_replaced(
    bench: ModuleType, vocab: Any, tmp_path: Path
) -> None:
    spec = bench.DataSpec(events=EVENTS)

    def rows(s: Any) -> list[Any]:
        return [(t.name, r) for b in bench.Generator(s, vocab).batches() for t, r in b.tables]

    assert rows(spec) == rows(bench.DataSpec(events=EVENTS))
    assert rows(spec) != rows(bench.DataSpec(events=EVENTS, seed=spec.seed + 1))
    assert spec.key() != bench.DataSpec(events=EVENTS + 1).key()
    stale = tmp_path / f"events-{EVENTS}-s{spec.seed}-0ldschema0.sqlite"  # an older schema's
    stale.write_bytes(b"")
    built = bench.sqlite_data(spec, vocab, tmp_path)
    again = bench.sqlite_data(spec, vocab, tmp_path)
    assert not stale.exists()
    assert (built.reused, again.reused, again.events, again.url) == (False, True, EVENTS,
                                                                     built.url)
    assert not list(tmp_path.glob("*.part*"))


def test_latency_figures_are_nearest_rank_and_errors_miss_the_target(bench: ModuleType) -> None:
    tally = bench.Tally(latencies=[i / 1000 for i in range(1, 101)], bytes=100 * 1024)
    figures = bench.summarize([tally], seconds=10.0)
    assert (figures["requests"], figures["req_per_s"], figures["p50_ms"], figures["p95_ms"],
            figures["p99_ms"], figures["max_ms"]) == (100, 10.0, 50.0, 95.0, 99.0, 100.0)
    assert figures["p95_under_target"] and figures["kb_per_response"] == 1.0
    tally.errors = 1
    assert not bench.summarize([tally], seconds=10.0)["p95_under_target"]
    assert bench.summarize([bench.Tally()], seconds=10.0)["p95_ms"] is None


def test_timeline_requests_keep_only_what_the_served_schema_offers(bench: ModuleType) -> None:
    assert bench.timeline_scenarios({"paths": {"/events": {"get": {}}}}) == []
    spec = {"paths": {"/timeline": {"get": {"parameters": [
        {"name": "by", "in": "query", "schema": {"enum": ["type", "actor"]}},
        {"name": "interval", "in": "query", "schema": {"anyOf": [
            {"enum": ["year", "month"], "type": "string"}, {"type": "null"}]}},
        {"name": "from", "in": "query", "schema": {"type": "string", "format": "date"}},
    ]}}}}
    rng = random.Random(1)
    seen = [s.params(rng) for s in bench.timeline_scenarios(spec)]
    assert seen and all(set(p) <= {"by", "interval", "from"} for p in seen)
    assert all(p.get("by", "type") == "type" for p in seen)  # "class" is not offered: dropped
    assert {p.get("interval") for p in seen} <= {"year", "month", None}
    assert bench.client_address(0) == "127.0.0.2" and bench.client_address(300) == "127.0.1.46"


def test_the_benchmark_client_reads_sized_and_chunked_answers_on_one_connection(
        bench: ModuleType) -> None:
    """Its own HTTP client, against a server that answers twice on one kept-alive connection:
    once with Content-Length, once chunked; a third request after the server closed it
    reconnects."""
    import asyncio

    connections: list[list[bytes]] = []

    async def serve(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        seen: list[bytes] = []
        connections.append(seen)
        for answer in (b"HTTP/1.1 200 OK\r\nContent-Length: 5\r\nX-Cache: hit\r\n\r\nhello",
                       b"HTTP/1.1 404 Not Found\r\nTransfer-Encoding: chunked\r\n\r\n"
                       b"3\r\nabc\r\n4\r\ndefg\r\n0\r\n\r\n"):
            seen.append(await reader.readuntil(b"\r\n\r\n"))
            writer.write(answer)
            await writer.drain()
        writer.close()

    async def run() -> None:
        server = await asyncio.start_server(serve, "127.0.0.1", 0)
        port = server.sockets[0].getsockname()[1]
        client = bench.HttpClient(f"http://127.0.0.1:{port}", timeout=5.0)
        try:
            assert await client.get("/events", {"actor": "PRK", "q": "a b"}) == (
                200, {"content-length": "5", "x-cache": "hit"}, b"hello")
            status, _, body = await client.get("/nowhere")
            assert (status, body) == (404, b"abcdefg")
            assert len(connections) == 1
            assert connections[0][0].startswith(b"GET /events?actor=PRK&q=a+b HTTP/1.1\r\n")
            with pytest.raises((asyncio.IncompleteReadError, ConnectionError)):
                await client.get("/events")  # the server has closed the connection
            assert (await client.get("/events"))[2] == b"hello"  # a new one
            assert len(connections) == 2
        finally:
            await client.close()
            server.close()
            await server.wait_closed()

    asyncio.run(run())
