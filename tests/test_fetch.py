"""The safe fetcher (ingest/fetch.py) against a real HTTP server on loopback: conditional GET,
retries with backoff, timeouts, the size cap, redirects, politeness, and the SSRF guard.

``LocalServer`` is also used by tests/test_watch.py."""

from __future__ import annotations

import ipaddress
import socket
import threading
import time
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import httpx
import pytest

from watchfloor import __version__
from watchfloor.ingest.fetch import Fetcher, FetchError, address_kind

# ------------------------------------------------------------------------ a local server


@dataclass
class Reply:
    status: int = 200
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0  # seconds before answering at all
    drip: float = 0.0  # seconds between 16-byte pieces of the body (no Content-Length then)
    length: bool = True  # send Content-Length


Route = Reply | Callable[[Mapping[str, str]], Reply]


@dataclass
class Seen:
    path: str
    headers: dict[str, str]


class LocalServer:
    """A ThreadingHTTPServer on 127.0.0.1 (port 0) in a thread. ``routes`` maps a path to a
    reply, or to a function of the request headers (lower-case names) giving one; every
    request is logged in ``requests``."""

    def __init__(self, routes: dict[str, Route]) -> None:
        self.routes = routes
        self.requests: list[Seen] = []
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_GET(self) -> None:
                headers = {k.lower(): v for k, v in self.headers.items()}
                server.requests.append(Seen(self.path, headers))
                route = server.routes.get(self.path)
                reply = Reply(404, b"no such page") if route is None else (
                    route(headers) if callable(route) else route)
                if reply.delay:
                    time.sleep(reply.delay)
                self.send_response(reply.status)
                for name, value in reply.headers.items():
                    self.send_header(name, value)
                if reply.length and not reply.drip:
                    self.send_header("Content-Length", str(len(reply.body)))
                else:
                    self.send_header("Connection", "close")
                    self.close_connection = True
                self.end_headers()
                if not reply.drip:
                    self.wfile.write(reply.body)
                    return
                for start in range(0, len(reply.body), 16):
                    self.wfile.write(reply.body[start:start + 16])
                    self.wfile.flush()
                    time.sleep(reply.drip)

            def log_message(self, format: str, *args: Any) -> None:
                return None

        class Server(ThreadingHTTPServer):
            daemon_threads = True

            def handle_error(self, request: Any, client_address: Any) -> None:
                return None  # a client that hung up on a slow or huge answer is expected

        self._httpd = Server(("127.0.0.1", 0), Handler)
        self.port = self._httpd.server_address[1]
        self._thread = threading.Thread(target=self._httpd.serve_forever,
                                        kwargs={"poll_interval": 0.05}, daemon=True)

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def paths(self) -> list[str]:
        return [r.path for r in self.requests]

    def __enter__(self) -> LocalServer:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()


def sequence(*replies: Reply) -> Callable[[Mapping[str, str]], Reply]:
    """A route that answers with each reply in turn, then repeats the last."""
    count = 0

    def route(_headers: Mapping[str, str]) -> Reply:
        nonlocal count
        count += 1
        return replies[min(count, len(replies)) - 1]

    return route


def conditional(body: bytes, etag: str, last_modified: str,
                content_type: str = "application/rss+xml") -> Callable[[Mapping[str, str]], Reply]:
    """A route that answers 304 when the client's validators match."""
    def route(headers: Mapping[str, str]) -> Reply:
        validators = {"ETag": etag, "Last-Modified": last_modified}
        if headers.get("if-none-match") == etag:
            return Reply(304, headers=validators)
        return Reply(200, body, {**validators, "Content-Type": content_type})

    return route


class Sleeps:
    """An injected sleep: records what it was asked to wait, waits for nothing."""

    def __init__(self) -> None:
        self.calls: list[float] = []

    def __call__(self, seconds: float) -> None:
        self.calls.append(seconds)


# -------------------------------------------------------------------------------- tests

ETAG = '"v1"'
MODIFIED = "Mon, 06 Mar 2017 01:00:00 GMT"


@pytest.fixture(scope="module")
def server() -> Iterator[LocalServer]:
    big = b"x" * 50_000
    routes: dict[str, Route] = {
        "/page": Reply(200, b"<p>hello</p>", {"Content-Type": "text/html; charset=utf-8"}),
        "/feed": conditional(b"<rss/>", ETAG, MODIFIED),
        "/huge": Reply(200, big, {"Content-Type": "application/rss+xml"}),
        "/huge-unannounced": Reply(200, big, length=False, drip=0.0001),
        "/slow": Reply(200, b"late", delay=1.5),
        "/drip": Reply(200, b"y" * 320, drip=0.05),
        "/gone": Reply(404, b"not here"),
        "/always-503": Reply(503, b"busy"),
        "/r1": Reply(302, headers={"Location": "/r2"}),
        "/r2": Reply(301, headers={"Location": "/page"}),
        "/loop": Reply(302, headers={"Location": "/loop"}),
    }
    with LocalServer(routes) as s:
        yield s


def local_fetcher(sleeps: Sleeps | None = None, **options: Any) -> Fetcher:
    defaults: dict[str, Any] = {"timeout": 2.0, "retries": 2, "per_host_interval": 0.0,
                                "allow_private": True, "sleep": sleeps or Sleeps()}
    return Fetcher(**{**defaults, **options})


def test_fetch_gives_body_type_validators_and_sends_user_agent(server: LocalServer) -> None:
    with local_fetcher() as fetcher:
        got = fetcher.get(server.url("/feed"))
    assert (got.status, got.body, got.etag, got.last_modified) == (200, b"<rss/>", ETAG, MODIFIED)
    assert got.content_type == "application/rss+xml" and not got.not_modified
    assert server.requests[-1].headers["user-agent"] == f"watchfloor/{__version__}"


def test_conditional_get_sends_validators_and_gives_304(server: LocalServer) -> None:
    with local_fetcher() as fetcher:
        got = fetcher.get(server.url("/feed"), etag=ETAG, last_modified=MODIFIED)
    sent = server.requests[-1].headers
    assert sent["if-none-match"] == ETAG and sent["if-modified-since"] == MODIFIED
    assert got.not_modified and got.status == 304 and got.body == b""
    assert (got.etag, got.last_modified) == (ETAG, MODIFIED)


def test_server_error_then_success_is_retried_with_backoff(server: LocalServer) -> None:
    server.routes["/flaky"] = sequence(Reply(500, b"oops"), Reply(502), Reply(200, b"ok"))
    sleeps = Sleeps()
    with local_fetcher(sleeps, backoff=1.0, jitter=lambda: 1.0) as fetcher:
        got = fetcher.get(server.url("/flaky"))
    assert got.body == b"ok"
    assert server.paths().count("/flaky") == 3
    assert sleeps.calls == [1.0, 2.0]  # exponential: 1 s, then 2 s


def test_retry_after_is_honoured_and_capped(server: LocalServer) -> None:
    server.routes["/busy"] = sequence(Reply(429, headers={"Retry-After": "7"}),
                                      Reply(503, headers={"Retry-After": "86400"}),
                                      Reply(200, b"ok"))
    sleeps = Sleeps()
    with local_fetcher(sleeps, max_backoff=30.0) as fetcher:
        assert fetcher.get(server.url("/busy")).body == b"ok"
    assert sleeps.calls == [7.0, 30.0]


def test_client_error_is_not_retried(server: LocalServer) -> None:
    before = server.paths().count("/gone")
    with local_fetcher() as fetcher, pytest.raises(FetchError) as caught:
        fetcher.get(server.url("/gone"))
    assert caught.value.code == "W706" and caught.value.status == 404
    assert caught.value.permanent
    assert server.paths().count("/gone") == before + 1


def test_server_error_gives_up_after_the_retries(server: LocalServer) -> None:
    before = server.paths().count("/always-503")
    with local_fetcher(retries=2) as fetcher, pytest.raises(FetchError) as caught:
        fetcher.get(server.url("/always-503"))
    assert caught.value.code == "W706" and not caught.value.permanent
    assert "503 after 3 attempt(s)" in str(caught.value)
    assert server.paths().count("/always-503") == before + 3


def test_slow_server_times_out_quickly(server: LocalServer) -> None:
    started, before = time.monotonic(), server.paths().count("/slow")
    with local_fetcher(timeout=0.2, retries=1) as fetcher, pytest.raises(FetchError) as caught:
        fetcher.get(server.url("/slow"))
    assert caught.value.code == "W707" and "ReadTimeout" in str(caught.value)
    assert "after 2 attempt(s)" in str(caught.value)
    assert server.paths().count("/slow") == before + 2  # a timeout is tried again
    assert time.monotonic() - started < 1.2  # two attempts of 0.2 s, not the 1.5 s the server takes


def test_a_dripping_body_hits_the_deadline(server: LocalServer) -> None:
    # every piece comes well within the read timeout; only the deadline stops it
    with local_fetcher(timeout=1.0, deadline=0.3, retries=0) as fetcher, \
            pytest.raises(FetchError) as caught:
        fetcher.get(server.url("/drip"))
    assert caught.value.code == "W707" and "took over 0.3 s" in str(caught.value)


@pytest.mark.parametrize("path", ["/huge", "/huge-unannounced"])
def test_huge_body_is_refused(server: LocalServer, path: str) -> None:
    with local_fetcher(max_bytes=10_000) as fetcher, pytest.raises(FetchError) as caught:
        fetcher.get(server.url(path))
    assert caught.value.code == "W705" and caught.value.permanent
    assert "10000 bytes (a huge feed or page)" in str(caught.value)


def test_redirects_are_followed(server: LocalServer) -> None:
    with local_fetcher() as fetcher:
        got = fetcher.get(server.url("/r1"))
    assert got.body == b"<p>hello</p>" and got.final_url == server.url("/page")
    assert got.url == server.url("/r1")


def test_endless_redirects_stop(server: LocalServer) -> None:
    with local_fetcher(max_redirects=3) as fetcher, pytest.raises(FetchError) as caught:
        fetcher.get(server.url("/loop"))
    assert caught.value.code == "W704"


# ------------------------------------------------------------------------------- SSRF


def test_loopback_is_refused_by_default_and_nothing_is_sent(server: LocalServer) -> None:
    before = len(server.requests)
    for url in (server.url("/page"), f"http://localhost:{server.port}/page"):
        with Fetcher(timeout=0.5) as fetcher, pytest.raises(FetchError) as caught:
            fetcher.get(url)
        assert caught.value.code == "W702" and "loopback" in str(caught.value)
    assert len(server.requests) == before


def test_loopback_is_fetched_when_allowed(server: LocalServer) -> None:
    with Fetcher(timeout=2.0, allow_private=True) as fetcher:
        assert fetcher.get(server.url("/page")).body == b"<p>hello</p>"


@pytest.mark.parametrize("url", ["file:///etc/passwd", "ftp://example.org/x", "http:///nohost",
                                 "gopher://127.0.0.1:70/"])
def test_other_schemes_and_hostless_urls_are_refused(url: str) -> None:
    with Fetcher(allow_private=True) as fetcher, pytest.raises(FetchError) as caught:
        fetcher.get(url)
    assert caught.value.code == "W701" and caught.value.permanent


@pytest.mark.parametrize(("address", "kind"), [
    ("127.0.0.1", "loopback"), ("::1", "loopback"), ("10.1.2.3", "private"),
    ("192.168.0.10", "private"), ("169.254.169.254", "private"), ("fe80::1", "private"),
    ("::ffff:127.0.0.1", "loopback"), ("224.0.0.1", "multicast"), ("0.0.0.0", "private"),
    ("100.64.0.1", "non-global"), ("93.184.215.14", None), ("2606:4700::1111", None),
    ("2002:7f00:1::", "loopback"), ("2002:a00:1::", "private"),  # 6to4 around 127/8, 10/8
])
def test_address_kinds(address: str, kind: str | None) -> None:
    # 169.254.169.254 (cloud metadata) and 0.0.0.0 count as private in Python's tables; what
    # matters is that only public addresses come out as None
    assert address_kind(ipaddress.ip_address(address)) == kind


PUBLIC = "93.184.215.14"


def fake_dns(table: dict[str, list[str]]) -> Callable[[str, int], list[str]]:
    def resolve(host: str, _port: int) -> list[str]:
        if host not in table:
            raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")
        return table[host]

    return resolve


def test_a_host_with_any_private_address_is_refused() -> None:
    transport = httpx.MockTransport(lambda request: httpx.Response(200, content=b"no"))
    dns = fake_dns({"mixed.example": [PUBLIC, "10.0.0.7"]})
    with Fetcher(transport=transport, resolver=dns) as fetcher, \
            pytest.raises(FetchError) as caught:
        fetcher.get("https://mixed.example/feed")
    assert caught.value.code == "W702" and "10.0.0.7" in str(caught.value)


def test_redirect_to_a_private_address_is_refused_and_the_public_hop_is_pinned() -> None:
    seen: list[httpx.Request] = []

    def public_site(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(302, headers={"Location": "http://intranet.example/admin"})

    dns = fake_dns({"news.example": [PUBLIC], "intranet.example": ["192.168.1.1"]})
    with Fetcher(transport=httpx.MockTransport(public_site), resolver=dns,
                 per_host_interval=0) as fetcher, pytest.raises(FetchError) as caught:
        fetcher.get("https://news.example/story")
    assert caught.value.code == "W702" and "intranet.example" in str(caught.value)
    assert len(seen) == 1  # the private hop was never asked
    # the connection went to the address that was checked, under the site's own name
    assert seen[0].url.host == PUBLIC and seen[0].headers["host"] == "news.example"
    assert seen[0].extensions["sni_hostname"] == "news.example"


def test_unknown_host_is_a_clear_error() -> None:
    with Fetcher(resolver=fake_dns({}), retries=0) as fetcher, \
            pytest.raises(FetchError) as caught:
        fetcher.get("https://nowhere.example/feed")
    assert caught.value.code == "W703" and "nowhere.example" in str(caught.value)


def test_requests_to_one_host_keep_the_interval() -> None:
    now = [100.0]
    sleeps: list[float] = []

    def sleep(seconds: float) -> None:
        sleeps.append(seconds)
        now[0] += seconds

    transport = httpx.MockTransport(lambda request: httpx.Response(200, content=b"ok"))
    dns = fake_dns({"a.example": [PUBLIC], "b.example": [PUBLIC]})
    with Fetcher(transport=transport, resolver=dns, per_host_interval=2.0, sleep=sleep,
                 clock=lambda: now[0]) as fetcher:
        fetcher.get("https://a.example/1")
        fetcher.get("https://b.example/1")  # another host: no wait
        assert sleeps == []
        now[0] += 0.5
        fetcher.get("https://a.example/2")
        assert sleeps == [1.5]  # 2 s after the first request to a.example
        fetcher.get("https://a.example/3")
        assert sleeps == [1.5, 2.0]


def test_an_internationalised_host_goes_on_the_wire_as_punycode() -> None:
    seen: list[httpx.Request] = []

    def site(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(200, content=b"<p>ok</p>")

    asked: list[str] = []

    def dns(host: str, port: int) -> list[str]:
        asked.append(host)
        return [PUBLIC]

    with Fetcher(transport=httpx.MockTransport(site), resolver=dns) as fetcher:
        page = fetcher.get("https://bücher.example/story")
    assert page.status == 200 and asked == ["xn--bcher-kva.example"]
    assert seen[0].headers["host"] == "xn--bcher-kva.example"
    assert seen[0].extensions["sni_hostname"] == "xn--bcher-kva.example"


def test_a_body_that_does_not_decode_is_a_permanent_fetch_error() -> None:
    calls: list[int] = []

    def site(request: httpx.Request) -> httpx.Response:
        calls.append(1)
        return httpx.Response(200, content=b"not gzip at all",
                              headers={"Content-Encoding": "gzip"})

    with Fetcher(transport=httpx.MockTransport(site), resolver=fake_dns(
            {"news.example": [PUBLIC]}), sleep=lambda _s: None) as fetcher, \
            pytest.raises(FetchError) as caught:
        fetcher.get("https://news.example/story")
    assert caught.value.permanent and len(calls) == 1  # not retried


def test_a_redirect_to_a_malformed_url_is_a_permanent_fetch_error() -> None:
    def site(request: httpx.Request) -> httpx.Response:
        return httpx.Response(302, headers={"Location": "http://[::1"})

    with Fetcher(transport=httpx.MockTransport(site), resolver=fake_dns(
            {"news.example": [PUBLIC]}), sleep=lambda _s: None) as fetcher, \
            pytest.raises(FetchError) as caught:
        fetcher.get("https://news.example/story")
    assert caught.value.permanent and caught.value.code == "W701"
