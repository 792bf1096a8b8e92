"""The response cache: a read answered once is answered again from memory until the data
changes.

The API's reads are pure functions of the database: the same GET on the same data gives the
same bytes. Each worker process keeps the 200 answers of the paths in CACHED_PREFIXES, keyed
by path, query string and Accept header (which picks the format; a HEAD is answered from
its GET's entry), up to
``api_cache_mb`` megabytes, least recently used out first, each with the data version it was
computed at. Before answering from memory it reads the store's data version
(``Store.data_versions``: one primary-key read on a connection of its own, shared by the
requests that come while it is in flight, see FreshReads), which the write
transactions raise, in this process or any other (``watchfloor watch``, the CLI, another
worker), and serves the answer only if that has not moved. So a reader never sees an answer
older than the last commit, and what a cache costs is one small read. The app says which
version a path depends on: the event reads follow the version of the consolidated events,
which a new article does not move (no event reports it before consolidation), so they stay
cached while a watch loop saves article after article.

Also:
- **ETag.** Every cacheable answer carries a weak ETag made of the database's epoch, its data
  version and the request key; a client that sends it back in If-None-Match gets 304 without a
  body while the data has not changed (the dashboard's browser revalidates this way).
- **One computation per key.** Requests for a key being computed wait for it instead of
  computing it again (the first timeline of a new data version, asked by many at once).
- ``X-Cache: hit`` or ``miss`` on every cacheable answer, for whoever measures.

Errors, writes, ``/health`` (it reports live counts) and answers too big for an eighth of the
cache go through untouched.
"""

from __future__ import annotations

import asyncio
import hashlib
from collections import OrderedDict
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Generic, TypeVar

import anyio.to_thread
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from watchfloor.errors import WatchfloorError

# The API's reads and the dashboard's pages; not /health, /openapi.json, /docs or /ui/static.
CACHED_PREFIXES = ("/events", "/timeline", "/compare", "/documents", "/quotes", "/claims")
CACHED_UI = "/ui"
UNCACHED_UI = "/ui/static"
CACHED_METHODS = frozenset({"GET", "HEAD"})

Version = tuple[str, int]
T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class Entry:
    version: Version  # the data version it was computed at
    status: int
    headers: list[tuple[bytes, bytes]]
    body: bytes


class FreshReads(Generic[T]):
    """One value (the store's data versions) read for many requests at once, off the event
    loop, and never older than the request: a request that comes while a read is in flight
    waits for the next read, which starts when that one ends and serves every request that
    came meanwhile. So the database sees at most one read in flight per process, however many
    requests a second there are, and the event loop never waits on it (on PostgreSQL a read
    is a loopback round trip, 0.2 ms, that it used to spend blocked on every request).
    ``in_thread`` False reads in the loop at once, for a read that costs less than a thread
    hop (SQLite's, 10 us)."""

    def __init__(self, read: Callable[[], T], *, in_thread: bool = True) -> None:
        self._read = read
        self._in_thread = in_thread
        self._current: asyncio.Future[T] | None = None  # the read in flight
        self._next: asyncio.Future[T] | None = None  # the one that starts after it
        self.reads = 0

    async def get(self) -> T:
        if not self._in_thread:
            self.reads += 1
            return self._read()
        if self._current is None:
            self._current = asyncio.get_running_loop().create_future()
            self._start(self._current)
            waiting = self._current
        else:
            if self._next is None:
                self._next = asyncio.get_running_loop().create_future()
            waiting = self._next
        # Shielded: a request that goes away must not cancel the read the others wait for.
        return await asyncio.shield(waiting)

    def _start(self, future: asyncio.Future[T]) -> None:
        self.reads += 1
        task = asyncio.ensure_future(anyio.to_thread.run_sync(self._read))

        def done(t: asyncio.Future[T]) -> None:
            if t.cancelled():
                future.cancel()
            elif t.exception() is not None:
                future.set_exception(t.exception())  # type: ignore[arg-type]
                future.exception()  # retrieved here: its waiters may all have gone
            else:
                future.set_result(t.result())
            self._current, self._next = self._next, None
            if self._current is not None:
                self._start(self._current)

        task.add_done_callback(done)


def cacheable(method: str, path: str) -> bool:
    if method not in CACHED_METHODS:
        return False
    if path.startswith(CACHED_UI):
        return not path.startswith(UNCACHED_UI)
    return any(path == p or path.startswith(p + "/") for p in CACHED_PREFIXES)


class ResponseCache:
    """ASGI middleware: answers cacheable GETs from memory while the data version stands.

    ``version`` reads (awaits) the data version: a text naming the database and whatever else the
    answers depend on (the domain pack), and the counter of its writes (None: not known yet,
    before the app's start-up has opened the store, and nothing is cached). ``max_bytes`` 0
    turns the cache off, though ETags and 304s still work.
    """

    def __init__(self, app: ASGIApp, *,
                 version: Callable[[Scope], Awaitable[Version | None]], max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes
        self.max_entry = max_bytes // 8
        self._version_of = version
        self._entries: OrderedDict[bytes, Entry] = OrderedDict()
        self._size = 0
        self._pending: dict[bytes, asyncio.Event] = {}
        self.hits = self.misses = 0

    @property
    def size(self) -> int:
        """Bytes of response bodies held."""
        return self._size

    def __len__(self) -> int:
        return len(self._entries)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        state = getattr(scope.get("app"), "state", None)
        if state is not None and getattr(state, "response_cache", None) is not self:
            state.response_cache = self  # for /health's figures
        if scope["type"] != "http" or not cacheable(scope["method"], scope["path"]):
            await self.app(scope, receive, send)
            return
        try:
            version = await self._version_of(scope)
        except WatchfloorError:  # the database is away: the app answers (or says why)
            version = None
        if version is None:
            await self.app(scope, receive, send)
            return
        key = _key(scope)
        etag = self._etag(version, key)
        if _matches(scope, etag):
            await _not_modified(send, etag)
            return
        while self.max_bytes and not self._fresh(key, version) and key in self._pending:
            await self._pending[key].wait()  # the same request is being answered: use it
        entry = self._fresh(key, version) if self.max_bytes else None
        if entry is not None:
            self._entries.move_to_end(key)
            self.hits += 1
            await _replay(send, entry, etag, head=scope["method"] == "HEAD")
            return
        self.misses += 1
        if not self.max_bytes:
            await self.app(scope, receive, _tagged(send, etag, b"miss"))
            return
        done = self._pending[key] = asyncio.Event()
        try:
            await self._answer(scope, receive, send, key, etag, version)
        finally:
            del self._pending[key]
            done.set()

    async def _answer(self, scope: Scope, receive: Receive, send: Send, key: bytes,
                      etag: bytes, version: Version) -> None:
        """Call the app, pass its answer on as it comes, and keep a copy of a whole 200."""
        start: Message | None = None
        chunks: list[bytes] = []
        size = 0
        keep = scope["method"] == "GET"  # a HEAD's answer has no body to keep
        tagged = _tagged(send, etag, b"miss")

        async def copying(message: Message) -> None:
            nonlocal start, size, keep
            if message["type"] == "http.response.start":
                start = message
                keep = keep and message["status"] == 200
            elif message["type"] == "http.response.body" and keep:
                body = message.get("body", b"")
                size += len(body)
                if size > self.max_entry:
                    keep, chunks[:] = False, []
                else:
                    chunks.append(body)
                    if not message.get("more_body", False) and start is not None:
                        self._keep(key, Entry(
                            version, start["status"],
                            _without(start.get("headers", []), b"content-length"),
                            b"".join(chunks)))
            await tagged(message)

        await self.app(scope, receive, copying)

    def _fresh(self, key: bytes, version: Version) -> Entry | None:
        """The answer kept for ``key`` if it was computed at ``version``."""
        entry = self._entries.get(key)
        return entry if entry is not None and entry.version == version else None

    def _keep(self, key: bytes, entry: Entry) -> None:
        # An answer computed while the data moved carries the version read before: no later
        # request reads that version again, so it is never served, and soon replaced.
        old = self._entries.pop(key, None)
        if old is not None:
            self._size -= len(old.body)
        self._entries[key] = entry
        self._size += len(entry.body)
        while self._size > self.max_bytes and self._entries:
            _, dropped = self._entries.popitem(last=False)
            self._size -= len(dropped.body)

    @staticmethod
    def _etag(version: Version, key: bytes) -> bytes:
        digest = hashlib.blake2b(version[0].encode() + b"\0" + key, digest_size=12).hexdigest()
        return f'W/"{version[1]}-{digest}"'.encode()


def _key(scope: Scope) -> bytes:
    # Not the method: a HEAD is answered from its GET's entry, without the body.
    return b"\0".join((scope.get("root_path", "").encode(), scope["path"].encode(),
                       scope.get("query_string", b""), _header(scope, b"accept") or b""))


def _header(scope: Scope, name: bytes) -> bytes | None:
    for key, value in scope.get("headers", []):
        if key == name:
            return bytes(value)
    return None


def _matches(scope: Scope, etag: bytes) -> bool:
    """Whether If-None-Match names ``etag`` (or is "*"), by the weak comparison RFC 9110
    prescribes for it: W/ prefixes do not count."""
    given = _header(scope, b"if-none-match")
    if not given:
        return False
    ours = etag.removeprefix(b"W/")
    return any(t == b"*" or t.removeprefix(b"W/") == ours
               for t in (t.strip() for t in given.split(b",")))


def _without(headers: list[tuple[bytes, bytes]], name: bytes) -> list[tuple[bytes, bytes]]:
    return [(k, v) for k, v in headers if k.lower() != name]


def _tagged(send: Send, etag: bytes, how: bytes) -> Send:
    async def tagging(message: Message) -> None:
        if message["type"] == "http.response.start" and message["status"] == 200:
            message = {**message, "headers": [*message.get("headers", []),
                                              (b"etag", etag), (b"x-cache", how)]}
        await send(message)

    return tagging


async def _replay(send: Send, entry: Entry, etag: bytes, *, head: bool) -> None:
    await send({"type": "http.response.start", "status": entry.status, "headers": [
        *entry.headers, (b"content-length", str(len(entry.body)).encode()),
        (b"etag", etag), (b"x-cache", b"hit")]})
    await send({"type": "http.response.body", "body": b"" if head else entry.body})


async def _not_modified(send: Send, etag: bytes) -> None:
    await send({"type": "http.response.start", "status": 304,
                "headers": [(b"etag", etag), (b"x-cache", b"hit")]})
    await send({"type": "http.response.body", "body": b""})
