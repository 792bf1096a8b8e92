"""Feeds and URL lists in, the article links they name out.

A watched source is either an RSS or Atom feed (read with feedparser) or a URL list: a file
or a plain-text page with one URL per line, blank lines and ``#`` comments skipped. What a
source gives is a :class:`Feed`: its links in the order the source lists them, each once.

feedparser is only ever handed bytes wrapped in a stream: given a string it would open it as
a URL or a local file name, which must never follow from what a server sent.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Literal
from urllib.parse import urljoin, urlsplit

import feedparser  # type: ignore[import-untyped]

from watchfloor.errors import E, WatchfloorError
from watchfloor.ingest.files import decode_bytes

SourceKind = Literal["feed", "urls"]
_PLAIN_TYPES = ("text/plain", "text/uri-list")


@dataclass(frozen=True, slots=True)
class FeedEntry:
    link: str
    title: str | None = None
    published: datetime | None = None


@dataclass(frozen=True, slots=True)
class Feed:
    source: str
    kind: SourceKind
    entries: tuple[FeedEntry, ...]
    title: str | None = None


def is_web_url(value: str) -> bool:
    parts = urlsplit(value)
    return parts.scheme in ("http", "https") and bool(parts.hostname)


def parse_source(body: bytes, source: str, content_type: str | None = None) -> Feed:
    """A feed or a URL list, told apart by the content type, else by the first character
    (a feed is XML and opens with ``<``; a URL list does not)."""
    mime = (content_type or "").split(";", 1)[0].strip().lower()
    if mime in _PLAIN_TYPES:
        return parse_url_list(_text(body, source), source)
    if not mime and not body.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"<"):
        return parse_url_list(_text(body, source), source)
    return parse_feed(body, source, content_type=content_type)


def parse_feed(body: bytes, url: str, *, content_type: str | None = None) -> Feed:
    """The entries of an RSS or Atom feed, links made absolute against ``url``. A feed that
    is broken with no linked entry to salvage, or is not a feed at all (an HTML page), raises W708;
    a broken feed that still gives entries (feedparser's "bozo") is read for what it has."""
    headers = {"content-location": url}
    if content_type:
        headers["content-type"] = content_type
    parsed = feedparser.parse(io.BytesIO(body), response_headers=headers,
                              sanitize_html=False, resolve_relative_uris=False)
    entries: dict[str, FeedEntry] = {}
    for item in parsed.entries:
        link = _entry_link(item, url)
        if link is not None and link not in entries:
            entries[link] = FeedEntry(link, _clean(item.get("title")), _entry_time(item))
    if not entries:
        # A cut-off feed may still give an "entry" with nothing in it: no link, no use.
        if parsed.bozo:
            raise WatchfloorError(E.W708, url=url, detail=_bozo_detail(parsed))
        if not parsed.version:
            raise WatchfloorError(E.W708, url=url, detail="no RSS or Atom elements in it")
    return Feed(url, "feed", tuple(entries.values()), _clean(parsed.feed.get("title")))


def parse_url_list(text: str, source: str) -> Feed:
    """One http(s) URL per line; blank lines and lines starting with ``#`` are skipped. Any
    other line raises W709 naming it: a typo should not pass silently."""
    links: dict[str, FeedEntry] = {}
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        if not is_web_url(line):
            raise WatchfloorError(E.W709, source=source, line=number, value=line)
        links.setdefault(line, FeedEntry(line))
    return Feed(source, "urls", tuple(links.values()))


def _text(body: bytes, source: str) -> str:
    decoded = decode_bytes(body)
    if decoded.text is None:
        raise WatchfloorError(E.W104, source=source)
    return decoded.text


def _bozo_detail(parsed: Any) -> str:
    exc = parsed.get("bozo_exception")
    text = str(exc).strip() if exc is not None else ""
    return f"malformed: {text}" if text else "malformed"


def _entry_link(item: Any, base: str) -> str | None:
    candidates = [item.get("link")]
    candidates += [link.get("href") for link in item.get("links", [])
                   if link.get("rel", "alternate") == "alternate"]
    for candidate in candidates:
        if isinstance(candidate, str) and candidate.strip():
            link = urljoin(base, candidate.strip())
            if is_web_url(link):
                return link
    return None


def _entry_time(item: Any) -> datetime | None:
    # feedparser gives every date it can read as a UTC struct_time
    for key in ("published_parsed", "updated_parsed"):
        value = item.get(key)
        if value is not None:
            try:
                year, month, day, hour, minute, second = value[:6]
                return datetime(year, month, day, hour, minute, second, tzinfo=UTC)
            except (TypeError, ValueError):
                continue
    return None


def _clean(value: object) -> str | None:
    if not isinstance(value, str):
        return None
    return " ".join(value.split()) or None
