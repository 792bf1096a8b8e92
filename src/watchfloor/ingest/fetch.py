"""One safe HTTP fetcher for everything watchfloor reads from the web: `watchfloor watch` and
the API's "ingest this URL" both go through :class:`Fetcher`.

What it guarantees, and why:
- **No SSRF.** A URL named by a user (or by a feed) must not reach the machine's own services
  or its private network. Only http and https are fetched; the host is resolved and refused
  when any of its addresses is loopback, private, link-local, multicast, reserved or
  unspecified (unless ``allow_private``). The connection then goes to the address that was
  checked (the URL's host is kept in the Host header and for TLS), so a name that resolves
  to a public address at check time and to 127.0.0.1 a moment later (DNS rebinding) cannot
  slip through. Redirects are followed here, not by httpx, so that every hop is checked the
  same way. Proxies from the environment are not used: a proxy would resolve names itself.
- **Bounded.** Connect and read timeouts, an overall deadline per attempt (a server dripping
  one byte a second never hits a read timeout), and a size cap: the body is streamed and
  dropped as soon as it passes ``max_bytes``.
- **Polite.** Conditional GET (If-None-Match, If-Modified-Since; 304 is a result, not an
  error), a minimum interval between two requests to the same host, and retries with
  exponential backoff and jitter on connect errors, timeouts, 5xx and 429 (Retry-After
  honoured, capped). Other 4xx answers are not retried: asking again will not change them.

Sleeping, the clock, the resolver and the transport are injectable, so tests run fast and
without a network.
"""

from __future__ import annotations

import email.utils
import ipaddress
import random
import socket
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from types import TracebackType
from typing import Any, Self
from urllib.parse import urljoin

import httpx

from watchfloor import __version__
from watchfloor.errors import E, WatchfloorError
from watchfloor.settings import Settings

USER_AGENT = f"watchfloor/{__version__}"
REDIRECTS = frozenset({301, 302, 303, 307, 308})
# Besides 5xx, the answers that say "not now" rather than "no": request timeout, too many.
RETRY_STATUSES = frozenset({408, 429})
Resolver = Callable[[str, int], list[str]]
Address = ipaddress.IPv4Address | ipaddress.IPv6Address


class FetchError(WatchfloorError):
    """A fetch that failed. ``status`` is the last HTTP status (None when no answer came);
    ``permanent`` says whether trying the same URL again later cannot help (a refusal, a 404,
    a huge body), as opposed to a server error or a timeout."""

    def __init__(
        self, code: E, *, url: str, status: int | None = None, permanent: bool = False,
        **fields: object,
    ) -> None:
        super().__init__(code, url=url, status=status, **fields)
        self.url = url
        self.status = status
        self.permanent = permanent


@dataclass(frozen=True, slots=True)
class FetchResult:
    """What a GET gave: ``status`` is 200-299, or 304 when the validators still hold (then
    ``body`` is empty and ``etag``/``last_modified`` are the ones to send next time)."""

    url: str  # as asked for
    final_url: str  # after redirects
    status: int
    body: bytes
    content_type: str | None
    etag: str | None
    last_modified: str | None
    fetched_at: datetime

    @property
    def not_modified(self) -> bool:
        return self.status == 304


@dataclass(frozen=True, slots=True)
class _Answer:
    status: int
    headers: httpx.Headers
    body: bytes


def resolve_host(host: str, port: int) -> list[str]:
    """Every address ``host`` resolves to, in the resolver's order of preference."""
    infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    return list(dict.fromkeys(str(info[4][0]) for info in infos))


def address_kind(address: Address) -> str | None:
    """Why an address may not be fetched by default ("loopback", "private", ...), or None
    when it is a public one."""
    if isinstance(address, ipaddress.IPv6Address):
        # an IPv4 address inside an IPv6 one is judged as itself: ::ffff:127.0.0.1 (mapped),
        # 2002:7f00:1:: (6to4) and a Teredo address's server and client
        embedded = [address.ipv4_mapped, address.sixtofour, *(address.teredo or ())]
        for inner in embedded:
            if inner is not None and (kind := address_kind(inner)) is not None:
                return kind
        if address.ipv4_mapped is not None:
            address = address.ipv4_mapped
    for kind in ("loopback", "private", "link_local", "multicast", "reserved", "unspecified"):
        if getattr(address, f"is_{kind}"):
            return kind.replace("_", "-")
    # e.g. 100.64.0.0/10 (carrier-grade NAT) is neither private nor global
    return None if address.is_global else "non-global"


class Fetcher:
    """GETs URLs safely (see the module doc). Build once and share: the HTTP client and the
    per-host politeness clock live in the instance; it is safe to use from threads.

    Example::

        with Fetcher.from_settings(settings) as fetcher:
            page = fetcher.get("https://example.org/feed.xml", etag=old_etag)
    """

    def __init__(
        self,
        *,
        timeout: float = 10.0,
        connect_timeout: float | None = None,
        deadline: float | None = None,
        max_bytes: int = 5_000_000,
        retries: int = 3,
        backoff: float = 1.0,
        max_backoff: float = 60.0,
        per_host_interval: float = 1.0,
        max_redirects: int = 5,
        allow_private: bool = False,
        user_agent: str = USER_AGENT,
        transport: httpx.BaseTransport | None = None,
        resolver: Resolver = resolve_host,
        sleep: Callable[[float], object] = time.sleep,
        clock: Callable[[], float] = time.monotonic,
        jitter: Callable[[], float] = random.random,
    ) -> None:
        self.timeout = timeout
        # A slow drip never trips the read timeout; the deadline bounds one attempt whole.
        self.deadline = deadline if deadline is not None else 6 * timeout
        self.max_bytes = max_bytes
        self.retries = retries
        self.backoff = backoff
        self.max_backoff = max_backoff
        self.per_host_interval = per_host_interval
        self.max_redirects = max_redirects
        self.allow_private = allow_private
        self._resolver = resolver
        self._sleep = sleep
        self._clock = clock
        self._jitter = jitter
        self._next_turn: dict[str, float] = {}
        self._turn_lock = threading.Lock()
        self._client = httpx.Client(
            transport=transport,
            timeout=httpx.Timeout(timeout, connect=connect_timeout or timeout),
            follow_redirects=False,  # done here, so that every hop is checked
            trust_env=False,  # a proxy would resolve names itself, past the address check
            # Connections are pooled by address, and sites behind one CDN share addresses: a
            # TLS connection opened for one site (its SNI) must not carry another's request.
            limits=httpx.Limits(max_keepalive_connections=0),
            headers={"User-Agent": user_agent},
        )

    @classmethod
    def from_settings(cls, settings: Settings, **options: Any) -> Fetcher:
        """A fetcher with the settings' size limit, timeout and address policy; ``options``
        (any keyword of the constructor) override them."""
        return cls(**{"max_bytes": settings.max_bytes, "timeout": settings.fetch_timeout,
                      "allow_private": settings.fetch_allow_private, **options})

    def close(self) -> None:
        self._client.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    # ------------------------------------------------------------------------------ GET

    def get(
        self, url: str, etag: str | None = None, last_modified: str | None = None
    ) -> FetchResult:
        """GET ``url`` (following up to ``max_redirects`` redirects, each checked), sending
        the validators of the last fetch if given. Raises :class:`FetchError` when the URL is
        refused, the body is too large, or no 2xx/304 answer came after the retries."""
        headers: dict[str, str] = {}
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        current = url
        for _hop in range(self.max_redirects + 1):
            answer = self._with_retries(current, headers)
            location = answer.headers.get("location")
            if answer.status in REDIRECTS and location:
                try:
                    current = str(httpx.URL(urljoin(current, location.strip())))
                except (httpx.InvalidURL, ValueError) as exc:
                    raise FetchError(E.W701, url=current, permanent=True,
                                     detail=f"it redirects to {location[:200]!r}, not a valid "
                                     f"URL ({exc})") from exc
                continue
            if answer.status != 304 and not 200 <= answer.status < 300:
                raise FetchError(E.W706, url=current, status=answer.status, attempts=1,
                                 permanent=answer.status < 500)
            return FetchResult(
                url=url,
                final_url=current,
                status=answer.status,
                body=answer.body,
                content_type=answer.headers.get("content-type"),
                etag=answer.headers.get("etag") or (etag if answer.status == 304 else None),
                last_modified=answer.headers.get("last-modified")
                or (last_modified if answer.status == 304 else None),
                fetched_at=datetime.now(UTC),
            )
        raise FetchError(E.W704, url=url, limit=self.max_redirects, location=current,
                         permanent=True)

    def _with_retries(self, url: str, headers: dict[str, str]) -> _Answer:
        attempts = self.retries + 1
        for attempt in range(1, attempts + 1):
            last = attempt == attempts
            try:
                answer = self._attempt(url, headers)
            except httpx.RemoteProtocolError as exc:
                if "location header" in str(exc).lower():
                    # httpx reads a redirect's Location as the answer comes and gives up on
                    # one that is not a URL; asking again will not change it
                    raise FetchError(E.W701, url=url, permanent=True,
                                     detail=f"it redirects to no valid URL ({exc})") from exc
                if last:
                    raise FetchError(E.W707, url=url, detail=_describe(exc),
                                     attempts=attempts) from exc
                self._sleep(self._delay(attempt))
                continue
            except (httpx.DecodingError, httpx.InvalidURL, httpx.UnsupportedProtocol) as exc:
                # a body that does not decode as its Content-Encoding says, or a redirect to
                # something that is not a URL: asking again will not change it
                raise FetchError(E.W707, url=url, detail=_describe(exc), attempts=attempt,
                                 permanent=True) from exc
            except httpx.HTTPError as exc:  # timeouts, network errors, and the rest
                if last:
                    raise FetchError(E.W707, url=url, detail=_describe(exc),
                                     attempts=attempts) from exc
                self._sleep(self._delay(attempt))
                continue
            if answer.status not in RETRY_STATUSES and answer.status < 500:
                return answer
            if last:
                raise FetchError(E.W706, url=url, status=answer.status, attempts=attempts)
            self._sleep(self._delay(attempt, answer.headers.get("retry-after")))
        raise AssertionError("unreachable: the last attempt returns or raises")

    def _delay(self, attempt: int, retry_after: str | None = None) -> float:
        """Exponential backoff with jitter (half fixed, half random, so that many clients do
        not come back in step); a server's Retry-After wins, capped at ``max_backoff``."""
        asked = _retry_after_seconds(retry_after)
        if asked is not None:
            return min(asked, self.max_backoff)
        base = min(self.max_backoff, self.backoff * 2.0 ** (attempt - 1))
        return base * (0.5 + 0.5 * self._jitter())

    def _attempt(self, url: str, headers: dict[str, str]) -> _Answer:
        """One request to ``url``: checked, pinned to a checked address, body capped. On a
        connect error the host's next address is tried."""
        parsed, addresses = self._checked(url)
        host = _ascii_host(parsed)  # an internationalised name as punycode, for Host and SNI
        self._wait_turn(host)
        request_headers = {**headers, "Host": _host_header(parsed)}
        extensions = {"sni_hostname": host} if parsed.scheme == "https" else {}
        for number, address in enumerate(addresses):
            pinned = parsed.copy_with(host=address)
            request = self._client.build_request("GET", pinned, headers=request_headers,
                                                 extensions=extensions)
            started = self._clock()
            try:
                response = self._client.send(request, stream=True)
            except httpx.ConnectError:
                if number == len(addresses) - 1:
                    raise
                continue
            try:
                body = b""
                if 200 <= response.status_code < 300:
                    body = self._read_capped(url, response, started)
                return _Answer(response.status_code, response.headers, body)
            finally:
                response.close()
        raise AssertionError("unreachable: resolving gives at least one address")

    def _checked(self, url: str) -> tuple[httpx.URL, list[str]]:
        """The parsed URL and the addresses it may be fetched from; raises when refused."""
        try:
            parsed = httpx.URL(url)
        except (httpx.InvalidURL, TypeError) as exc:
            raise FetchError(E.W701, url=url, detail=f"not a valid URL ({exc})",
                             permanent=True) from exc
        if parsed.scheme not in ("http", "https"):
            raise FetchError(E.W701, url=url, detail=f"the scheme is {parsed.scheme!r}",
                             permanent=True)
        if not parsed.host:
            raise FetchError(E.W701, url=url, detail="it has no host", permanent=True)
        port = parsed.port or (443 if parsed.scheme == "https" else 80)
        try:
            found = self._resolver(_ascii_host(parsed), port)
        except (OSError, UnicodeError) as exc:
            raise FetchError(E.W703, url=url, host=parsed.host, detail=exc) from exc
        if not found:
            raise FetchError(E.W703, url=url, host=parsed.host, detail="no address")
        addresses: list[str] = []
        for text in found:
            address = ipaddress.ip_address(text.split("%", 1)[0])
            kind = address_kind(address)
            if kind is not None and not self.allow_private:
                # One bad address is enough: which one a connection uses is not ours to pick.
                raise FetchError(E.W702, url=url, host=parsed.host, kind=kind,
                                 address=address, permanent=True)
            addresses.append(str(address))
        return parsed, addresses

    def _wait_turn(self, host: str) -> None:
        """Keep ``per_host_interval`` seconds between two requests to one host: each caller
        books the next free slot, then sleeps until it (outside the lock)."""
        with self._turn_lock:
            now = self._clock()
            slot = max(now, self._next_turn.get(host, now))
            self._next_turn[host] = slot + self.per_host_interval
        if slot > now:
            self._sleep(slot - now)

    def _read_capped(self, url: str, response: httpx.Response, started: float) -> bytes:
        declared = response.headers.get("content-length", "")
        if declared.isdigit() and int(declared) > self.max_bytes:
            raise FetchError(E.W705, url=url, limit=self.max_bytes, permanent=True)
        chunks: list[bytes] = []
        size = 0
        for chunk in response.iter_bytes():  # decoded: a gzip bomb is capped too
            size += len(chunk)
            if size > self.max_bytes:
                raise FetchError(E.W705, url=url, limit=self.max_bytes, permanent=True)
            if self._clock() - started > self.deadline:
                raise httpx.ReadTimeout(f"the body took over {self.deadline:g} s")
            chunks.append(chunk)
        return b"".join(chunks)


def _ascii_host(url: httpx.URL) -> str:
    """The host as it goes on the wire: IDNA-encoded (``bücher.example`` is
    ``xn--bcher-kva.example``), as httpx keeps it in ``raw_host``."""
    return url.raw_host.decode("ascii")


def _host_header(url: httpx.URL) -> str:
    host = _ascii_host(url)
    host = f"[{host}]" if ":" in host else host
    return host if url.port is None else f"{host}:{url.port}"


def _describe(exc: Exception) -> str:
    kind = type(exc).__name__
    text = str(exc).strip()
    return f"{kind}: {text}" if text else kind


def _retry_after_seconds(value: str | None) -> float | None:
    """Retry-After is either seconds or an HTTP date."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - datetime.now(UTC)).total_seconds())
