"""Continuous ingest (watch.py, ingest/feeds.py, `watchfloor watch`): feeds served by a
real HTTP server on loopback, articles fetched, stored, extracted and consolidated; failing
sources logged and backed off while the others go on; state kept in the store.

The article pages are the project's own sentences about real launches."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from test_fetch import LocalServer, Reply, Route, Sleeps, conditional, sequence
from watchfloor.errors import WatchfloorError
from watchfloor.extract.extractor import Extractor
from watchfloor.ingest import Ingester
from watchfloor.ingest.feeds import parse_feed, parse_source, parse_url_list
from watchfloor.ingest.fetch import Fetcher
from watchfloor.pack import Pack
from watchfloor.settings import Settings, load_settings
from watchfloor.store.db import Store
from watchfloor.watch import WatchStats, backoff_seconds, watch

# ------------------------------------------------------------------- pages and feeds

ARTICLES = {
    "/news/march-launch.html": (
        "North Korea fires four ballistic missiles toward Japan", "2017-03-06T09:30:00+09:00",
        ["SEOUL, March 6 (Watch Wire) - North Korea fired four ballistic missiles into the sea "
         "off its east coast on Monday morning, South Korea's military said.",
         "The missiles flew about 1,000 km and three of them came down inside Japan's "
         "exclusive economic zone, officials in Tokyo said.",
         "The launches came as South Korean and U.S. troops held their yearly joint drills."]),
    "/news/july-icbm.html": (
        "North Korea tests its first intercontinental ballistic missile",
        "2017-07-04T18:00:00+09:00",
        ["SEOUL, July 4 (Watch Wire) - North Korea test-fired an intercontinental ballistic "
         "missile on Tuesday, the Joint Chiefs of Staff in Seoul said.",
         "State media named the missile the Hwasong-14 and said it flew for 39 minutes before "
         "falling into the sea.",
         "It was the first test of a missile with the range to reach Alaska, analysts said."]),
    "/news/november-icbm.html": (
        "North Korea launches Hwasong-15 missile", "2017-11-29T12:00:00+09:00",
        ["SEOUL, Nov. 29 (Watch Wire) - North Korea launched a Hwasong-15 intercontinental "
         "ballistic missile early on Wednesday, South Korea's military said.",
         "The missile reached an altitude of about 4,475 km and flew 950 km before it landed "
         "in the sea west of Japan.",
         "It was the North's first missile launch in more than two months."]),
    "/news/august-overflight.html": (
        "North Korean missile flies over Japan", "2017-08-29T08:00:00+09:00",
        ["TOKYO, Aug. 29 (Watch Wire) - North Korea fired a Hwasong-12 intermediate-range "
         "ballistic missile over northern Japan on Tuesday, the Japanese government said.",
         "The missile passed over Hokkaido and fell into the Pacific Ocean about 1,180 km "
         "east of Cape Erimo.",
         "Residents of northern Japan received alerts on their phones telling them to take "
         "shelter."]),
}
MARCH, JULY, NOVEMBER, AUGUST = ARTICLES


def article_html(title: str, published: str, paragraphs: list[str]) -> bytes:
    body = "\n".join(f"<p>{p}</p>" for p in paragraphs)
    return (f"<!doctype html><html><head><title>{title} | Watch Wire</title>"
            f'<meta property="article:published_time" content="{published}"></head>'
            f'<body><nav><a href="/">Home</a> <a href="/world">World</a></nav>'
            f"<article><h1>{title}</h1>\n{body}</article>"
            f"<footer>Copyright Watch Wire</footer></body></html>").encode()


def rss(*paths: str) -> bytes:
    items = "".join(
        f"<item><title>{ARTICLES[p][0]}</title><link>{p}</link>"
        f"<pubDate>Mon, 06 Mar 2017 01:00:00 GMT</pubDate></item>" for p in paths)
    return (f'<?xml version="1.0"?><rss version="2.0"><channel><title>Watch Wire: Asia'
            f"</title><link>/</link><description>Asia news</description>{items}"
            f"</channel></rss>").encode()


def atom(*paths: str) -> bytes:
    entries = "".join(
        f'<entry><title>{ARTICLES[p][0]}</title><link rel="alternate" href="{p}"/>'
        f"<id>tag:watchwire,2017:{p}</id><updated>2017-11-29T03:00:00Z</updated></entry>"
        for p in paths)
    return ('<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom">'
            "<title>Watch Wire: Missiles</title><id>tag:watchwire,2017:missiles</id>"
            f"<updated>2017-11-29T03:00:00Z</updated>{entries}</feed>").encode()


HTML = {"Content-Type": "text/html; charset=utf-8"}


def routes() -> dict[str, Route]:
    found: dict[str, Route] = {p: Reply(200, article_html(*a), HTML) for p, a in ARTICLES.items()}
    found.update({
        "/rss.xml": conditional(rss(MARCH, JULY), '"rss-1"', "Tue, 04 Jul 2017 10:00:00 GMT"),
        "/atom.xml": conditional(atom(NOVEMBER), '"atom-1"', "Wed, 29 Nov 2017 04:00:00 GMT",
                                 "application/atom+xml"),
        "/slow.xml": Reply(200, rss(AUGUST), delay=4.0),  # past the fetcher's timeout
        "/broken.xml": Reply(200, b"<?xml version='1.0'?><rss><channel><item><title>cut",
                             {"Content-Type": "application/rss+xml"}),
        "/huge.xml": Reply(200, rss(AUGUST) + b"<!--" + b"x" * 300_000 + b"-->",
                           {"Content-Type": "application/rss+xml"}),
        "/moved-away.xml": Reply(404, b"gone"),
    })
    return found


# ------------------------------------------------------------------------- fixtures


@pytest.fixture
def server() -> Iterator[LocalServer]:
    with LocalServer(routes()) as s:
        yield s


@pytest.fixture(scope="module")
def settings() -> Settings:
    return load_settings(env={}, max_bytes=200_000)


@pytest.fixture(scope="module")
def ingester(settings: Settings, pack: Pack) -> Ingester:
    """Built once: it loads the language model."""
    return Ingester(settings, pack.datelines)


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    with Store.open(f"sqlite:///{tmp_path / 'watch.sqlite'}") as s:
        yield s


class Clock:
    def __init__(self) -> None:
        self.at = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.at


@pytest.fixture
def run(store: Store, extractor: Extractor, pack: Pack, settings: Settings,
        ingester: Ingester) -> Callable[..., WatchStats]:
    """watch() with the shared extractor and ingester, a fetcher allowed on loopback that
    never sleeps, one round unless told otherwise; the log goes to ``run.lines``. The timeout
    leaves room for a loaded machine: a retry would change the requests the tests count."""
    lines: list[str] = []

    def go(sources: list[str], **options: Any) -> WatchStats:
        fetcher = options.pop("fetcher", None) or Fetcher(
            timeout=1.5, retries=1, per_host_interval=0.0, allow_private=True,
            max_bytes=settings.max_bytes, sleep=Sleeps())
        options = {"once": True, "log": lines.append, **options}
        with fetcher:
            return watch(sources, store, extractor, pack, settings, fetcher=fetcher,
                         ingester=ingester, **options)

    go.lines = lines  # type: ignore[attr-defined]
    return go


def urls_of(store: Store) -> set[str | None]:
    return {d.url for d in store.documents()}


# ----------------------------------------------------------------------------- feeds


def test_rss_entries_come_with_absolute_links_titles_and_dates() -> None:
    feed = parse_feed(rss(MARCH, JULY, MARCH), "http://wire.example/asia/rss.xml")
    assert feed.kind == "feed" and feed.title == "Watch Wire: Asia"
    assert [e.link for e in feed.entries] == [f"http://wire.example{MARCH}",
                                              f"http://wire.example{JULY}"]  # once each
    assert feed.entries[0].title == ARTICLES[MARCH][0]
    assert feed.entries[0].published == datetime(2017, 3, 6, 1, 0, tzinfo=UTC)


def test_atom_entries_are_read() -> None:
    feed = parse_source(atom(NOVEMBER), "http://wire.example/atom", "application/atom+xml")
    assert [e.link for e in feed.entries] == [f"http://wire.example{NOVEMBER}"]
    assert feed.entries[0].published == datetime(2017, 11, 29, 3, 0, tzinfo=UTC)


@pytest.mark.parametrize("body", [b"<?xml version='1.0'?><rss><channel><item><title>cut",
                                  b"<html><body><p>Not a feed at all.</p></body></html>"])
def test_broken_or_non_feed_is_a_clear_error_naming_the_feed(body: bytes) -> None:
    with pytest.raises(WatchfloorError) as caught:
        parse_feed(body, "http://wire.example/feed.xml")
    assert caught.value.code == "W708" and "http://wire.example/feed.xml" in str(caught.value)


def test_url_list_skips_comments_and_blank_lines_and_names_a_bad_line() -> None:
    text = "# the wire's Korea stories\n\nhttp://a.example/1\n  https://b.example/2  \n"
    feed = parse_source(text.encode(), "urls.txt")
    assert feed.kind == "urls"
    assert [e.link for e in feed.entries] == ["http://a.example/1", "https://b.example/2"]
    with pytest.raises(WatchfloorError) as caught:
        parse_url_list(text + "a.example/3\n", "urls.txt")
    assert caught.value.code == "W709" and "line 5" in str(caught.value)


def test_backoff_doubles_and_is_capped() -> None:
    assert [backoff_seconds(600, n) for n in (0, 1, 2, 3)] == [600, 1200, 2400, 4800]
    assert backoff_seconds(600, 40) == 6 * 3600


# ----------------------------------------------------------------------------- watch


def test_one_round_stores_extracts_and_consolidates_new_articles(
        server: LocalServer, store: Store, run: Callable[..., WatchStats]) -> None:
    stats = run([server.url("/rss.xml"), server.url("/atom.xml")])
    assert urls_of(store) == {server.url(p) for p in (MARCH, JULY, NOVEMBER)}
    assert (stats.documents_new, stats.extracted, stats.consolidations) == (3, 3, 1)
    tests = store.events(actor="PRK", type="weapon_test")
    assert {e.weapon for e in tests} >= {"Hwasong-14", "Hwasong-15"}
    assert len(store.consolidated_events(type="weapon_test")) >= 3
    march = next(d for d in store.documents() if d.url == server.url(MARCH))
    assert march.published == datetime.fromisoformat(ARTICLES[MARCH][1])
    assert march.fetched is not None
    state = store.feed_state(server.url("/rss.xml"))
    assert state is not None
    assert (state["etag"], state["failures"], state["entries_seen"]) == ('"rss-1"', 0, 2)
    assert state["last_ok"] and state["last_checked"] and state["last_error"] is None


def test_second_poll_sends_validators_and_fetches_no_articles(
        server: LocalServer, store: Store, run: Callable[..., WatchStats]) -> None:
    feeds = [server.url("/rss.xml"), server.url("/atom.xml")]
    run(feeds)
    server.requests.clear()
    stats = run(feeds)
    assert server.paths() == ["/rss.xml", "/atom.xml"]
    assert server.requests[0].headers["if-none-match"] == '"rss-1"'
    assert server.requests[0].headers["if-modified-since"] == "Tue, 04 Jul 2017 10:00:00 GMT"
    assert server.requests[1].headers["if-none-match"] == '"atom-1"'
    assert (stats.not_modified, stats.documents_new, stats.consolidations) == (2, 0, 0)


def test_a_changed_feed_brings_only_its_new_entry(
        server: LocalServer, store: Store, run: Callable[..., WatchStats]) -> None:
    run([server.url("/rss.xml")])
    server.routes["/rss.xml"] = conditional(rss(AUGUST, MARCH, JULY), '"rss-2"',
                                            "Tue, 29 Aug 2017 00:00:00 GMT")
    server.requests.clear()
    stats = run([server.url("/rss.xml")])
    assert server.paths() == ["/rss.xml", AUGUST]
    assert stats.documents_new == 1 and server.url(AUGUST) in urls_of(store)
    assert store.feed_state(server.url("/rss.xml"))["etag"] == '"rss-2"'  # type: ignore[index]


def test_failing_sources_are_logged_and_backed_off_while_the_others_go_on(
        server: LocalServer, store: Store, run: Callable[..., WatchStats]) -> None:
    failing = {"/slow.xml": "W707", "/broken.xml": "W708", "/huge.xml": "W705",
               "/moved-away.xml": "W706"}
    sources = [server.url(p) for p in failing] + [server.url("/rss.xml")]
    started = time.monotonic()
    stats = run(sources)
    assert time.monotonic() - started < 20
    assert urls_of(store) == {server.url(MARCH), server.url(JULY)}
    assert stats.sources_failed == 4 and stats.sources_polled == 5
    for path, code in failing.items():
        state = store.feed_state(server.url(path))
        assert state is not None and state["failures"] == 1, path
        assert state["last_error"].startswith(code), (path, state["last_error"])
        assert state["last_ok"] is None
        due = datetime.fromisoformat(state["next_due"]) - datetime.fromisoformat(
            state["last_checked"])
        assert due == timedelta(seconds=2 * 900)  # twice the interval after one failure
        assert any(line.startswith(server.url(path)) and code in line for line in run.lines)  # type: ignore[attr-defined]
    run([server.url("/broken.xml")])
    assert store.feed_state(server.url("/broken.xml"))["failures"] == 2  # type: ignore[index]


def test_a_parser_that_crashes_fails_only_its_source(
        server: LocalServer, store: Store, run: Callable[..., WatchStats],
        monkeypatch: pytest.MonkeyPatch) -> None:
    import watchfloor.watch as watch_module

    real = watch_module.parse_source

    def parse(body: bytes, source: str, content_type: str | None = None) -> Any:
        if source.endswith("/atom.xml"):
            raise RecursionError("maximum recursion depth exceeded")  # hostile input
        return real(body, source, content_type)

    monkeypatch.setattr(watch_module, "parse_source", parse)
    stats = run([server.url("/atom.xml"), server.url("/rss.xml")])
    assert stats.sources_failed == 1 and stats.documents_new == 2
    state = store.feed_state(server.url("/atom.xml"))
    assert state is not None and state["last_error"].startswith("W708")
    assert "RecursionError" in state["last_error"]


def test_a_source_that_recovers_is_reset(server: LocalServer, store: Store,
                                         run: Callable[..., WatchStats]) -> None:
    server.routes["/flaky.xml"] = sequence(Reply(500), Reply(500), Reply(200, rss(MARCH)))
    run([server.url("/flaky.xml")])  # the fetcher tries twice: both 500
    assert store.feed_state(server.url("/flaky.xml"))["failures"] == 1  # type: ignore[index]
    stats = run([server.url("/flaky.xml")])
    state = store.feed_state(server.url("/flaky.xml"))
    assert state is not None and (state["failures"], state["last_error"]) == (0, None)
    assert stats.documents_new == 1


def test_an_article_that_fails_for_now_is_tried_again_on_the_next_poll(
        server: LocalServer, store: Store, run: Callable[..., WatchStats]) -> None:
    server.routes[JULY] = sequence(Reply(503), Reply(503), Reply(200, article_html(*ARTICLES[JULY]),
                                                                 HTML))
    stats = run([server.url("/rss.xml")])
    assert stats.articles_failed == 1 and urls_of(store) == {server.url(MARCH)}
    # the validators are held back, so that the next poll reads the feed whole again
    assert store.feed_state(server.url("/rss.xml"))["etag"] is None  # type: ignore[index]
    server.requests.clear()
    stats = run([server.url("/rss.xml")])
    assert server.paths() == ["/rss.xml", JULY]
    assert "if-none-match" not in server.requests[0].headers
    assert urls_of(store) == {server.url(MARCH), server.url(JULY)}
    assert store.feed_state(server.url("/rss.xml"))["etag"] == '"rss-1"'  # type: ignore[index]


@pytest.mark.parametrize(("reply", "code"), [
    (Reply(404, b"removed"), "W706"),
    (Reply(200, b"%PDF-1.7 ...", {"Content-Type": "application/pdf"}), "W710"),
])
def test_an_article_that_cannot_be_had_is_rejected_once_and_not_fetched_again(
        server: LocalServer, store: Store, run: Callable[..., WatchStats], reply: Reply,
        code: str) -> None:
    server.routes["/plain-feed.xml"] = Reply(200, rss(MARCH, JULY),
                                             {"Content-Type": "application/rss+xml"})
    server.routes[JULY] = reply
    run([server.url("/plain-feed.xml")])
    rejected = {r.source: r.code for r in store.rejections()}
    assert rejected == {server.url(JULY): code}
    assert urls_of(store) == {server.url(MARCH)}
    server.requests.clear()
    run([server.url("/plain-feed.xml")])  # no validators: the feed comes whole again
    assert server.paths() == ["/plain-feed.xml"]


def test_url_list_file_is_a_source(server: LocalServer, store: Store, tmp_path: Path,
                                   run: Callable[..., WatchStats]) -> None:
    listing = tmp_path / "korea-urls.txt"
    listing.write_text(f"# stories to take in\n\n{server.url(NOVEMBER)}\n{server.url(AUGUST)}\n",
                       encoding="utf-8")
    stats = run([str(listing)])
    assert urls_of(store) == {server.url(NOVEMBER), server.url(AUGUST)}
    assert stats.events >= 2
    state = store.feed_state(str(listing.resolve()))
    assert state is not None and state["entries_seen"] == 2


def test_loopback_is_refused_unless_allowed(server: LocalServer, store: Store,
                                            run: Callable[..., WatchStats],
                                            settings: Settings) -> None:
    guarded = Fetcher.from_settings(settings, timeout=0.4, retries=0)
    stats = run([server.url("/rss.xml")], fetcher=guarded)
    assert stats.sources_failed == 1 and server.requests == []
    state = store.feed_state(server.url("/rss.xml"))
    assert state is not None and state["last_error"].startswith("W702")


def test_stop_finishes_the_current_document_and_keeps_the_feed_for_later(
        server: LocalServer, store: Store, run: Callable[..., WatchStats]) -> None:
    stop = threading.Event()

    def log(line: str) -> None:  # as Ctrl-C would, while the first article is taken in
        if "stored as" in line:
            stop.set()

    stats = run([server.url("/rss.xml"), server.url("/atom.xml")], stop=stop, once=False,
                log=log)
    assert urls_of(store) == {server.url(MARCH)} and stats.rounds == 1
    assert stats.extracted == 1 and stats.consolidations == 1
    assert store.feed_state(server.url("/rss.xml"))["etag"] is None  # type: ignore[index]
    assert store.feed_state(server.url("/atom.xml")) is None  # never polled
    run([server.url("/rss.xml"), server.url("/atom.xml")])
    assert len(urls_of(store)) == 3


def test_a_long_feed_is_taken_a_slice_a_poll_and_polled_again_soon(
        server: LocalServer, store: Store, extractor: Extractor, pack: Pack,
        ingester: Ingester, settings: Settings) -> None:
    capped = settings.model_copy(update={"watch_max_articles": 1})
    clock, lines = Clock(), []
    fetcher = Fetcher(timeout=1.5, retries=1, per_host_interval=0.0, allow_private=True,
                      max_bytes=settings.max_bytes, sleep=Sleeps())
    with fetcher:
        first = watch([server.url("/rss.xml")], store, extractor, pack, capped, once=True,
                      fetcher=fetcher, ingester=ingester, now=clock, log=lines.append)
        assert urls_of(store) == {server.url(MARCH)}  # the feed's first entry
        assert first.consolidations == 1 and any("the other 1" in x for x in lines)
        state = store.feed_state(server.url("/rss.xml"))
        assert state is not None and state["etag"] is None  # not all taken: no 304 next time
        assert datetime.fromisoformat(state["next_due"]) == clock.at + timedelta(seconds=60)
        second = watch([server.url("/rss.xml")], store, extractor, pack, capped, once=True,
                       fetcher=fetcher, ingester=ingester, now=clock, log=lines.append)
    assert urls_of(store) == {server.url(MARCH), server.url(JULY)}
    assert second.documents_new == 1
    state = store.feed_state(server.url("/rss.xml"))
    assert state is not None and state["etag"] == '"rss-1"'
    assert datetime.fromisoformat(state["next_due"]) == clock.at + timedelta(seconds=900)


def test_a_stop_does_not_wait_out_a_retry_delay(server: LocalServer, store: Store,
                                                extractor: Extractor, pack: Pack,
                                                ingester: Ingester,
                                                settings: Settings) -> None:
    """With the fetcher watch() builds itself, whose retries wait on the stop event."""
    server.routes["/busy.xml"] = Reply(503, b"try later", {"Retry-After": "25"})
    stop = threading.Event()
    threading.Timer(0.5, stop.set).start()
    started = time.monotonic()
    stats = watch([server.url("/busy.xml")], store, extractor, pack, settings, once=True,
                  allow_private=True, ingester=ingester, stop=stop)
    assert time.monotonic() - started < 10  # three retries of 25 s each, not waited
    assert stats.sources_failed == 1


def test_the_loop_waits_until_a_source_is_due(server: LocalServer, store: Store,
                                              run: Callable[..., WatchStats]) -> None:
    clock, stop = Clock(), threading.Event()
    waits: list[float] = []

    def sleep(seconds: float) -> None:
        waits.append(seconds)
        clock.at += timedelta(seconds=seconds)
        if len(waits) == 3:
            stop.set()

    # /broken.xml fails and waits twice the interval; /rss.xml comes every interval
    stats = run([server.url("/rss.xml"), server.url("/broken.xml")], once=False,
                interval=600, now=clock, sleep=sleep, stop=stop)
    assert waits == [600, 600, 600]
    assert stats.rounds == 3
    polled = [p for p in server.paths() if p.endswith(".xml")]
    # round 1 both; round 2 only the feed (the broken one is not due); round 3 both again
    assert polled == ["/rss.xml", "/broken.xml", "/rss.xml", "/rss.xml", "/broken.xml"]
    assert stats.not_modified == 2


# ------------------------------------------------------------------------------- CLI


def test_cli_watch_takes_in_articles_and_stops_on_sigterm(server: LocalServer,
                                                          tmp_path: Path) -> None:
    db = tmp_path / "cli.sqlite"
    env = {**os.environ, "WATCHFLOOR_DB": str(db)}
    env.pop("WATCHFLOOR_CONFIG", None)
    proc = subprocess.Popen(
        [sys.executable, "-m", "watchfloor.cli", "watch", server.url("/rss.xml"),
         "--allow-private", "--interval", "1"],
        stderr=subprocess.PIPE, stdout=subprocess.PIPE, env=env, text=True)
    try:
        deadline = time.monotonic() + 60
        # wait for the second poll: the first round (articles, consolidation) is then done
        while server.paths().count("/rss.xml") < 2 and time.monotonic() < deadline:
            assert proc.poll() is None, proc.communicate()
            time.sleep(0.1)
        proc.send_signal(signal.SIGTERM)
        _, err = proc.communicate(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == 0, err
    assert "SIGTERM: stopping after the current document" in err
    assert "documents new: 2" in err
    with Store.open(f"sqlite:///{db}") as stored:
        assert urls_of(stored) == {server.url(MARCH), server.url(JULY)}


def test_cli_watch_refuses_a_source_that_is_neither_url_nor_file(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from watchfloor.cli import app

    result = CliRunner().invoke(app, ["--db", str(tmp_path / "x.sqlite"), "watch",
                                      str(tmp_path / "missing.txt"), "--once"])
    assert result.exit_code == 1
    assert "neither an http(s) URL nor a URL-list file" in result.output
