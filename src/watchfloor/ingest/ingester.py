"""The ingest stage: inputs in, ``Document`` or ``Rejection`` out, one bad input never stopping
a batch.

:class:`Ingester` is the builder: it loads the language model and the outlet table once, and
then turns any number of inputs into records without further I/O beyond reading the inputs
themselves. The module functions (:func:`ingest_text` and friends) build one per call; loop
over an ``Ingester`` (or pass ``detector=``) when ingesting many inputs one by one.

Choices worth knowing:
- ``max_bytes`` bounds one article: a whole file, or one line of a ``.jsonl`` file (a feed of
  many articles may be larger than any one of them).
- Metadata precedence: the caller's ``meta``, then front matter or JSONL fields, then what
  the page says (``<meta>`` tags, canonical link), then what cleaning finds (a headline, the
  dateline's agency). A ``None`` in ``meta`` means "not given", never "erase".
- Front matter that is not a YAML mapping is rejected with W110.
- The same text twice gives the same ``Document.id`` but both are yielded: deduplication is
  the store's job (one row per id).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import BinaryIO, Literal, TextIO

from watchfloor.errors import E, WatchfloorError
from watchfloor.ingest.clean import clean_blocks, normalize_line
from watchfloor.ingest.files import HTML_SUFFIXES, SUFFIXES, decode_bytes, iter_input_files
from watchfloor.ingest.html import extract_html
from watchfloor.ingest.language import LanguageDetector
from watchfloor.ingest.markdown import FrontMatterError, markdown_blocks, split_front_matter
from watchfloor.ingest.meta import OutletTable, parse_published
from watchfloor.records import Document, Rejection
from watchfloor.settings import Settings

Kind = Literal["text", "html", "markdown"]
Result = Document | Rejection

STDIN = "<stdin>"
# Metadata keys a caller (or a JSONL line, or front matter) may set; others are ignored.
META_KEYS = ("title", "published", "url", "outlet", "dateline")

_HTML_SNIFF = re.compile(
    r"^\s*(?:<!doctype\s+html|<html\b|<\?xml)|<(?:body|p|div|article|br|span|h[1-6])\b[^>]*>",
    re.I,
)
_FRONT_MATTER_START = re.compile(r"\A\ufeff?---[ \t]*\r?\n")
_SNIFF_CHARS = 4096
_NUL_CHECK_BYTES = 8192


def looks_like_html(text: str) -> bool:
    return bool(_HTML_SNIFF.search(text[:_SNIFF_CHARS]))


def _reject(source: str, code: E, **fields: object) -> Rejection:
    error = WatchfloorError(code, source=source, **fields)
    return Rejection(source=source, code=error.code, reason=error.message)


@dataclass(frozen=True, slots=True)
class _Fields:
    """Metadata as given explicitly (caller's meta over front matter or JSONL fields)."""

    title: str | None = None
    published: datetime | None = None
    url: str | None = None
    outlet: str | None = None
    dateline: str | None = None


def _explicit(source: str, *layers: Mapping[str, object] | None) -> _Fields | Rejection:
    """Later layers override earlier ones; a None value means "not given", not "erase"."""
    merged: dict[str, object] = {}
    for layer in layers:
        if layer:
            merged.update({k: layer[k] for k in META_KEYS if layer.get(k) is not None})
    published = None
    if "published" in merged:
        try:
            published = parse_published(merged["published"])
        except ValueError:
            return _reject(source, E.W109, value=merged["published"])

    def text(key: str) -> str | None:
        value = merged.get(key)
        return normalize_line(str(value)) or None if value is not None else None

    dateline = text("dateline")
    return _Fields(
        title=text("title"),
        published=published,
        url=text("url"),
        outlet=text("outlet"),
        dateline=dateline.upper() if dateline else None,
    )


def _text_blocks(text: str) -> list[list[str]]:
    blocks: list[list[str]] = [[]]
    for line in text.splitlines():
        if line.strip():
            blocks[-1].append(line)
        elif blocks[-1]:
            blocks.append([])
    return [b for b in blocks if b]


@dataclass(frozen=True, slots=True, eq=False)
class Ingester:
    """Turns files, folders, text and stdin into Documents and Rejections.

    ``datelines`` maps dateline cities to IANA zones (the domain pack supplies it); keys are
    matched in upper case.
    """

    settings: Settings
    datelines: Mapping[str, str]
    detector: LanguageDetector = field(default_factory=LanguageDetector)
    outlets: OutletTable = field(default_factory=OutletTable.load)

    def __post_init__(self) -> None:
        # A plain dict (not a MappingProxyType) so that the ingester pickles for Dask workers.
        upper = {k.upper(): v for k, v in self.datelines.items()}
        object.__setattr__(self, "datelines", upper)

    # ----------------------------------------------------------------- public entry points

    def ingest_text(
        self,
        text: str,
        source: str,
        *,
        html: bool | None = None,
        meta: Mapping[str, object] | None = None,
    ) -> Result:
        """One article from a string. ``html=None`` sniffs; text that opens with YAML front
        matter is read as Markdown. ``meta`` (title, published, url, outlet, dateline)
        overrides what the input says."""
        if html is None:
            html = looks_like_html(text)
        kind: Kind = "html" if html else "text"
        if not html and _FRONT_MATTER_START.match(text):
            kind = "markdown"
        return self._ingest(text, source, kind, meta=meta)

    def ingest_paths(self, paths: Iterable[Path]) -> Iterator[Result]:
        """Files and folders (see :func:`iter_input_files`): one result per article, so one
        per non-blank line of a ``.jsonl`` file."""
        for path in iter_input_files(paths):
            if path.suffix.lower() == ".jsonl":
                yield from self._ingest_jsonl(path)
            else:
                yield self.ingest_file(path)

    def ingest_file(self, path: Path, *, meta: Mapping[str, object] | None = None) -> Result:
        """One article file (.txt, .html, .htm, .md); ``meta`` overrides what it says. A
        ``.jsonl`` file holds many articles: give it to :meth:`ingest_paths` instead."""
        source = str(path)
        suffix = path.suffix.lower()
        if suffix not in SUFFIXES or suffix == ".jsonl":
            return _reject(source, E.W106, suffix=suffix or path.name)
        try:
            size = path.stat().st_size
            if size > self.settings.max_bytes:
                return _reject(source, E.W103, size=size, limit=self.settings.max_bytes)
            data = path.read_bytes()
        except OSError as exc:
            return _reject(source, E.W108, detail=exc.strerror or exc)
        decoded = decode_bytes(data, html=suffix in HTML_SUFFIXES)
        if decoded.binary:
            return _reject(source, E.W101)
        if decoded.text is None:
            return _reject(source, E.W104)
        kind: Kind = "html" if suffix in HTML_SUFFIXES else "text"
        if suffix == ".md":
            kind = "markdown"
        return self._ingest(decoded.text, source, kind, meta=meta)

    def ingest_stdin(self, stream: TextIO | BinaryIO) -> Iterator[Result]:
        """Standard input: one article (text or HTML, sniffed), or JSONL when every
        non-blank line is a JSON object."""
        # A console's text stream would fail on bytes it cannot decode; read its buffer instead.
        source = getattr(stream, "buffer", stream)
        try:
            raw = source.read()
        except (OSError, UnicodeDecodeError) as exc:
            yield _reject(STDIN, E.W108, detail=exc)
            return
        if isinstance(raw, bytes):
            decoded = decode_bytes(raw)
            if decoded.binary:
                yield _reject(STDIN, E.W101)
                return
            if decoded.text is None:
                yield _reject(STDIN, E.W104)
                return
            text = decoded.text
        else:
            text = raw
        lines = text.splitlines()
        if lines and all(_is_json_object(line) for line in lines if line.strip()):
            for number, line in enumerate(lines, start=1):
                if line.strip():
                    yield self._ingest_json_line(line, f"{STDIN}:{number}", number)
            return
        yield self.ingest_text(text, STDIN)

    # ----------------------------------------------------------------------------- JSONL

    def _ingest_jsonl(self, path: Path) -> Iterator[Result]:
        source = str(path)
        try:
            with path.open("rb") as handle:
                if b"\x00" in handle.read(_NUL_CHECK_BYTES):
                    yield _reject(source, E.W101)
                    return
                handle.seek(0)
                for number, raw in enumerate(handle, start=1):
                    if raw.strip():
                        yield self._ingest_json_bytes(raw, f"{source}:{number}", number)
        except OSError as exc:
            yield _reject(source, E.W108, detail=exc.strerror or exc)

    def _ingest_json_bytes(self, raw: bytes, source: str, number: int) -> Result:
        if len(raw) > self.settings.max_bytes:
            return _reject(source, E.W103, size=len(raw), limit=self.settings.max_bytes)
        try:
            line = raw.decode("utf-8-sig")
        except UnicodeDecodeError:
            return _reject(source, E.W104)
        return self._ingest_json_line(line, source, number)

    def _ingest_json_line(self, line: str, source: str, number: int) -> Result:
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as exc:
            return _reject(source, E.W107, line=number, detail=exc.msg)
        if not isinstance(obj, dict):
            return _reject(source, E.W107, line=number, detail=f"got {type(obj).__name__}")
        body = obj.get("text")
        kind: Kind = "text"
        if body is None:
            body, kind = obj.get("html"), "html"
        if not isinstance(body, str):
            detail = "no 'text' or 'html' string" if body is None else "'text'/'html' not a string"
            return _reject(source, E.W107, line=number, detail=detail)
        if len(body.encode("utf-8")) > self.settings.max_bytes:
            size = len(body.encode("utf-8"))
            return _reject(source, E.W103, size=size, limit=self.settings.max_bytes)
        return self._ingest(body, source, kind, declared=obj)

    # ------------------------------------------------------------------------ one article

    def _ingest(
        self,
        text: str,
        source: str,
        kind: Kind,
        *,
        declared: Mapping[str, object] | None = None,
        meta: Mapping[str, object] | None = None,
    ) -> Result:
        size = len(text.encode("utf-8"))
        if size > self.settings.max_bytes:
            return _reject(source, E.W103, size=size, limit=self.settings.max_bytes)
        read = _read(text, source, kind, declared, meta)
        if isinstance(read, Rejection):
            return read
        fields, raw = read
        title = fields.title or raw.title
        cleaned = clean_blocks(
            raw.blocks,
            datelines=self.datelines,
            headlines=[h for h in (title, *raw.headlines) if h],
            dateline_hint=raw.dateline_hint,
            find_headline=kind != "html",
        )
        if len(cleaned.text) < max(self.settings.min_chars, 1):
            return _reject(source, E.W102)
        language, _ = self.detector.detect(cleaned.text)
        if self.settings.english_only and language != "en":
            return _reject(source, E.W105, lang=language)
        title = title or cleaned.title
        url = fields.url or raw.url
        dateline = fields.dateline or cleaned.dateline
        outlet = (
            fields.outlet
            or self.outlets.by_site_name(raw.site_name)
            or self.outlets.by_url(url)
            or self.outlets.by_agency(cleaned.agency)
            or self.outlets.by_title_suffix(title)
        )
        return Document(
            id=Document.make_id(cleaned.text),
            text=cleaned.text,
            source=source,
            title=title,
            url=url,
            outlet=outlet,
            published=fields.published or raw.published,
            dateline=dateline,
            tz=self.datelines.get(dateline) if dateline else None,
            language=language,
        )


@dataclass(frozen=True, slots=True)
class _Raw:
    """What an input holds before cleaning: its lines and what its markup says about it."""

    blocks: list[list[str]]
    title: str | None = None
    headlines: tuple[str, ...] = ()  # every title the input shows, to drop repeats of
    published: datetime | None = None
    url: str | None = None
    site_name: str | None = None
    dateline_hint: str | None = None


def _read(
    text: str,
    source: str,
    kind: Kind,
    declared: Mapping[str, object] | None,
    meta: Mapping[str, object] | None,
) -> tuple[_Fields, _Raw] | Rejection:
    """The explicit metadata (front matter or JSONL fields, then ``meta``) and the raw input."""
    front: Mapping[str, object] = {}
    if kind == "markdown":
        try:
            front, text = split_front_matter(text)
        except FrontMatterError as exc:
            return _reject(source, E.W110, detail=exc)
    fields = _explicit(source, front, declared, meta)
    if isinstance(fields, Rejection):
        return fields
    if kind == "html":
        page = extract_html(text, url=fields.url)
        return fields, _Raw(
            page.blocks, page.title, page.headlines, page.published, page.url, page.site_name,
            page.dateline_hint,
        )  # fmt: skip
    if kind == "markdown":
        blocks, heading = markdown_blocks(text)
        return fields, _Raw(blocks, heading, (heading,) if heading else ())
    return fields, _Raw(_text_blocks(text))


def _is_json_object(line: str) -> bool:
    stripped = line.strip()
    if not (stripped.startswith("{") and stripped.endswith("}")):
        return False
    try:
        return isinstance(json.loads(stripped), dict)
    except json.JSONDecodeError:
        return False


# ------------------------------------------------------------------------- module functions


def ingest_text(
    text: str,
    source: str,
    settings: Settings,
    datelines: Mapping[str, str],
    *,
    html: bool | None = None,
    meta: Mapping[str, object] | None = None,
    detector: LanguageDetector | None = None,
) -> Document | Rejection:
    """One article from a string (see :meth:`Ingester.ingest_text`). Pass a built
    ``detector`` when calling this in a loop: loading the language model takes ~0.7 s."""
    return _ingester(settings, datelines, detector).ingest_text(text, source, html=html, meta=meta)


def ingest_file(
    path: Path,
    settings: Settings,
    datelines: Mapping[str, str],
    *,
    meta: Mapping[str, object] | None = None,
    detector: LanguageDetector | None = None,
) -> Document | Rejection:
    """One article file (see :meth:`Ingester.ingest_file`), e.g. with a gold file's metadata
    as ``meta``. Pass a built ``detector`` when calling this in a loop."""
    return _ingester(settings, datelines, detector).ingest_file(path, meta=meta)


def ingest_paths(
    paths: Iterable[Path],
    settings: Settings,
    datelines: Mapping[str, str],
    *,
    detector: LanguageDetector | None = None,
) -> Iterator[Document | Rejection]:
    """Files and folders (recursively, in sorted order), one result per article."""
    return _ingester(settings, datelines, detector).ingest_paths(paths)


def ingest_stdin(
    stream: TextIO | BinaryIO,
    settings: Settings,
    datelines: Mapping[str, str],
    *,
    detector: LanguageDetector | None = None,
) -> Iterator[Document | Rejection]:
    """Standard input, text or bytes: one article, or one per line when it is JSONL."""
    return _ingester(settings, datelines, detector).ingest_stdin(stream)


def _ingester(
    settings: Settings, datelines: Mapping[str, str], detector: LanguageDetector | None
) -> Ingester:
    if detector is None:
        return Ingester(settings, datelines)
    return Ingester(settings, datelines, detector=detector)
