"""Article metadata: publication times and outlet names.

``published`` is always timezone-aware. A value that carries an offset keeps it; a date-only
value ("2022-01-31") becomes 00:00 UTC that day, and a local time without an offset is read as
UTC too. Neither can be told apart from a real 00:00 UTC / UTC time afterwards: a later stage
that needs the calendar day of a date-only value must take ``published.date()`` rather than
convert it to the dateline's zone first.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime
from email.utils import parsedate_to_datetime
from importlib import resources
from urllib.parse import urlsplit

import yaml

OUTLETS_FILE = "outlets.yaml"

# " - Voice of America", " – Washington Post", " | Reuters" at the end of a title.
_TITLE_SUFFIX = re.compile(r"\s+[-–—|]\s+(?P<name>[^-–—|]{2,60}?)\s*$")
_THE = re.compile(r"^the\s+", re.I)


def parse_published(value: object) -> datetime:
    """An aware datetime from an ISO 8601 string, a ``date`` or a ``datetime``.

    Raises ValueError for anything else, so the caller can reject the input with W109.
    YAML front matter and gold files hand over ``date``/``datetime`` objects, JSON strings.
    """
    if isinstance(value, datetime):
        return value if value.tzinfo is not None else value.replace(tzinfo=UTC)
    if isinstance(value, date):
        return datetime(value.year, value.month, value.day, tzinfo=UTC)
    if not isinstance(value, str) or not value.strip():
        raise ValueError(f"not a date: {value!r}")
    parsed = datetime.fromisoformat(value.strip())
    return parsed if parsed.tzinfo is not None else parsed.replace(tzinfo=UTC)


def parse_published_lenient(value: str) -> datetime | None:
    """ISO 8601 or RFC 2822 (as some pages write their meta tags); None when neither parses."""
    try:
        return parse_published(value)
    except ValueError:
        pass
    try:
        parsed = parsedate_to_datetime(value.strip())
    except (TypeError, ValueError, IndexError):
        return None
    return parsed if parsed.tzinfo is not None else parsed.replace(tzinfo=UTC)


def url_host(url: str) -> str | None:
    try:
        host = urlsplit(url.strip()).hostname
    except ValueError:
        return None
    if not host:
        return None
    return host.removeprefix("www.")


@dataclass(frozen=True, slots=True)
class OutletTable:
    """Outlet names by web host, by dateline agency, and by name (for title suffixes)."""

    hosts: Mapping[str, str]
    agencies: Mapping[str, str]

    @classmethod
    def load(cls) -> OutletTable:
        """The table shipped beside this module (outlets.yaml)."""
        text = (
            resources.files("watchfloor.ingest").joinpath(OUTLETS_FILE).read_text(encoding="utf-8")
        )
        return cls.from_mapping(yaml.safe_load(text))

    @classmethod
    def from_mapping(cls, data: Mapping[str, Mapping[str, str]]) -> OutletTable:
        hosts = {str(k).lower().removeprefix("www."): str(v) for k, v in data["hosts"].items()}
        agencies = {str(k).lower(): str(v) for k, v in data["agencies"].items()}
        return cls(hosts, agencies)

    def by_url(self, url: str | None) -> str | None:
        """The outlet of a URL's host or of its nearest parent domain (feeds.reuters.com)."""
        host = url_host(url) if url else None
        if host is None:
            return None
        parts = host.split(".")
        for i in range(len(parts) - 1):
            name = self.hosts.get(".".join(parts[i:]))
            if name is not None:
                return name
        return None

    def by_agency(self, agency: str | None) -> str | None:
        return self.agencies.get(agency.strip().lower()) if agency else None

    def by_site_name(self, site_name: str | None) -> str | None:
        """og:site_name as the page gives it, unless it is only a host name."""
        if not site_name or not site_name.strip():
            return None
        name = site_name.strip()
        if "." in name and " " not in name:
            return self.by_url("http://" + name)
        return name

    def by_title_suffix(self, title: str | None) -> str | None:
        """A known outlet named at the end of a title, as aggregators append it."""
        if not title:
            return None
        match = _TITLE_SUFFIX.search(title)
        if match is None:
            return None
        wanted = _THE.sub("", match["name"]).lower()
        for name in (*self.hosts.values(), *self.agencies.values()):
            if _THE.sub("", name).lower() == wanted:
                return name
        return None
