"""What stands between the API and the network: write tokens, rate limits, a body size cap,
and one structured access log line per request.

- **Tokens.** Reads are open; every write needs ``Authorization: Bearer TOKEN``, a token made
  with ``watchfloor token create`` (only its SHA-256 is stored, see ``Store.check_token``),
  checked here before the request's body is read: a caller without a live token gets 401
  without the server parsing what it sent.
  A token is never logged: the access log has no headers, and tokens are not accepted in
  query strings, where they would end up in logs and browser histories.
- **Rate limits.** A token bucket per client address and process: ``api_rate_limit`` requests
  a minute for everything, ``api_write_rate_limit`` for writes, with bursts of a quarter of a
  minute's budget. Past it: 429 with Retry-After. With several workers each has its own
  buckets, so the service-wide limit is that many times higher (documented in docs/API.md).
- **Body size.** A request body over ``api_max_body`` bytes is refused with 413, whether it
  declares its length or streams it in chunks, before the app reads it whole.
- **Access log.** One line per request on the ``watchfloor.api`` logger: method, path,
  status, duration, client, and the token's name for writes; JSON when ``log_format`` is
  "json".
"""

from __future__ import annotations

import ipaddress
import json
import logging
import math
import re
import time
from collections import OrderedDict
from collections.abc import Callable, MutableMapping
from typing import Any
from urllib.parse import parse_qsl

import anyio.to_thread
from starlette.types import ASGIApp, Message, Receive, Scope, Send

log = logging.getLogger("watchfloor.api")

READ_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
NO_TOKEN = ("this request writes and needs an API token: send 'Authorization: Bearer TOKEN' "
            "(watchfloor token create)")
BAD_TOKEN = "the API token is unknown or revoked"
MAX_CLIENTS = 10_000  # buckets kept; the least recently seen client is forgotten first


def error_body(status: int, code: str, message: str) -> bytes:
    return json.dumps({"error": {"code": code, "message": message}}).encode()


async def send_error(send: Send, status: int, code: str, message: str,
                     headers: list[tuple[bytes, bytes]] | None = None) -> None:
    body = error_body(status, code, message)
    await send({"type": "http.response.start", "status": status, "headers": [
        (b"content-type", b"application/json"), (b"content-length", str(len(body)).encode()),
        *(headers or [])]})
    await send({"type": "http.response.body", "body": body})


class TokenBuckets:
    """Per-key token buckets: ``per_minute`` tokens a minute, bursts of a quarter of that."""

    def __init__(self, per_minute: int, clock: Callable[[], float] = time.monotonic) -> None:
        self.rate = per_minute / 60.0
        self.capacity = max(5.0, per_minute / 4)
        self._clock = clock
        self._buckets: OrderedDict[str, tuple[float, float]] = OrderedDict()

    def take(self, key: str) -> float:
        """Take one token for ``key``: 0 if granted, else the seconds until one is there."""
        now = self._clock()
        tokens, since = self._buckets.pop(key, (self.capacity, now))
        tokens = min(self.capacity, tokens + (now - since) * self.rate)
        wait = 0.0
        if tokens >= 1:
            tokens -= 1
        else:
            wait = (1 - tokens) / self.rate
        self._buckets[key] = (tokens, now)
        while len(self._buckets) > MAX_CLIENTS:
            self._buckets.popitem(last=False)
        return wait


class Guard:
    """ASGI middleware: rate limits, the body size cap and the access log, in that order."""

    def __init__(self, app: ASGIApp, *, rate_limit: int, write_rate_limit: int,
                 max_body: int, clock: Callable[[], float] = time.monotonic) -> None:
        self.app = app
        self.max_body = max_body
        self.reads = TokenBuckets(rate_limit, clock) if rate_limit else None
        self.writes = TokenBuckets(write_rate_limit, clock) if write_rate_limit else None
        self._clock = clock

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        method = scope["method"]
        client = _client_key((scope.get("client") or ("unknown", 0))[0])
        status = {"code": 500}

        async def logged_send(message: Message) -> None:
            if message["type"] == "http.response.start":
                status["code"] = message["status"]
            await send(message)

        try:
            refused = await self._refusal(scope, method, client, logged_send)
            if not refused:
                await self._call_capped(scope, receive, logged_send)
        finally:
            _access_line(scope, method, client, status["code"], started)

    async def _call_capped(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Call the app with a ``receive`` that counts the body as it streams (no
        Content-Length, or a false one): past the limit, the client gets 413 at once, the app
        is told the client went away, and whatever it answers is dropped."""
        seen = 0
        over = False

        async def capped() -> Message:
            nonlocal seen, over
            message = await receive()
            if message["type"] == "http.request" and not over:
                seen += len(message.get("body", b""))
                if seen > self.max_body:
                    over = True
                    await send_error(send, 413, "body_too_large",
                                     f"request body is over the limit of {self.max_body} bytes")
                    return {"type": "http.disconnect"}
            return message

        async def guarded_send(message: Message) -> None:
            if not over:
                await send(message)

        try:
            await self.app(scope, capped, guarded_send)
        except Exception:
            if not over:  # the app's own failure; after a 413 it only saw the disconnect
                raise

    async def _refusal(self, scope: Scope, method: str, client: str, send: Send) -> bool:
        for buckets, kind in ((self.reads, "requests"),
                              (self.writes if method not in READ_METHODS else None, "writes")):
            if buckets is None:
                continue
            wait = buckets.take(client)
            if wait:
                seconds = str(max(1, math.ceil(wait)))
                await send_error(send, 429, "rate_limited",
                                 f"too many {kind} from {client}; try again in {seconds} s",
                                 [(b"retry-after", seconds.encode())])
                return True
        bad = _control_characters(scope)
        if bad is not None:
            await send_error(send, 422, "invalid_request", bad)
            return True
        declared = _header(scope, b"content-length")
        if declared is not None and declared.isdigit() and int(declared) > self.max_body:
            await send_error(send, 413, "body_too_large",
                             f"request body of {declared} bytes is over the limit of "
                             f"{self.max_body} bytes")
            return True
        if method not in READ_METHODS:
            refused = await _token_refusal(scope)
            if refused is not None:
                await send_error(send, 401, "http_401", refused,
                                 [(b"www-authenticate", b"Bearer")])
                return True
        return False


async def _token_refusal(scope: Scope) -> str | None:
    """Why a write is refused before its body is read: no bearer token, or one the store does
    not know (the route checks it again). None when the token is live, or when no store is
    open yet (before the app's start-up), where the route decides."""
    scheme, _, token = (_header(scope, b"authorization") or "").partition(" ")
    token = token.strip()
    if scheme.lower() != "bearer" or not token:
        return NO_TOKEN
    app = scope.get("app")
    store = getattr(getattr(app, "state", None), "store", None)
    if store is None:
        return None
    name = await anyio.to_thread.run_sync(store.check_token, token)
    return None if name is not None else BAD_TOKEN


def _client_key(address: str) -> str:
    """Whose budget a request spends: its IPv4 address, or the /64 of its IPv6 address (one
    site holds a whole /64, and could otherwise take a fresh budget per address)."""
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return address
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is None:
        return str(ipaddress.ip_network(f"{ip}/64", strict=False))
    return str(ip.ipv4_mapped or ip) if isinstance(ip, ipaddress.IPv6Address) else str(ip)


_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def _control_characters(scope: Scope) -> str | None:
    """Why the URL is refused, if its path or a query parameter holds a control character
    (NUL above all: PostgreSQL text cannot hold it, and no code, date or search needs one)."""
    if _CONTROL.search(scope.get("path", "")):
        return "the path holds a control character"
    query = scope.get("query_string", b"").decode("latin-1")
    for name, value in parse_qsl(query, keep_blank_values=True):
        if _CONTROL.search(value) or _CONTROL.search(name):
            return f"query.{name[:40]}: holds a control character (such as NUL)"
    return None


def _header(scope: Scope, name: bytes) -> str | None:
    for key, value in scope.get("headers", []):
        if key == name:
            return str(value.decode("latin-1"))
    return None


def _access_line(scope: Scope, method: str, client: str, status: int, started: float) -> None:
    state: MutableMapping[str, Any] = scope.get("state") or {}
    fields = {"method": method, "path": scope.get("path", ""),
              "query": scope.get("query_string", b"").decode("latin-1") or None,
              "status": status, "ms": round((time.perf_counter() - started) * 1000, 1),
              "client": client, "token": state.get("token_name")}
    log.info("%s %s %s %.1f ms", method, fields["path"], status, fields["ms"],
             extra={"request": fields})


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time, level, logger, message, and the request's fields."""

    def format(self, record: logging.LogRecord) -> str:
        line: dict[str, Any] = {"time": self.formatTime(record, "%Y-%m-%dT%H:%M:%S"),
                                "level": record.levelname.lower(), "logger": record.name,
                                "message": record.getMessage()}
        request = getattr(record, "request", None)
        if isinstance(request, dict):
            line.update({k: v for k, v in request.items() if v is not None})
        if record.exc_info:
            line["error"] = self.formatException(record.exc_info)
        return json.dumps(line, ensure_ascii=False)


def configure_logging(fmt: str) -> None:
    """Log the API's lines (and uvicorn's) to stderr as text or JSON."""
    handler = logging.StreamHandler()
    handler.setFormatter(JsonFormatter() if fmt == "json" else
                         logging.Formatter("%(asctime)s %(levelname)s %(name)s %(message)s"))
    for name in ("watchfloor", "uvicorn.error"):
        logger = logging.getLogger(name)
        logger.handlers[:] = [handler]
        logger.setLevel(logging.INFO)
        logger.propagate = False

