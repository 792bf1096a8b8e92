"""An article page fetched from the web, made a Document: decoded with the charset the
answer gives (else sniffed as for a file) and read as HTML or text by its content type. Used by
`watchfloor watch` and by the API's "ingest this URL"."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace

from watchfloor.errors import E, WatchfloorError
from watchfloor.ingest.fetch import FetchResult
from watchfloor.ingest.files import decode_bytes
from watchfloor.ingest.ingester import Ingester
from watchfloor.records import Document, Rejection

PAGE_TYPES = ("text/html", "application/xhtml+xml", "text/plain")


def page_document(
    ingester: Ingester, url: str, page: FetchResult, *, meta: Mapping[str, object] | None = None
) -> Document | Rejection:
    """An article page as fetched, ingested: decoded with the charset the answer gives (else
    sniffed as for a file), read as HTML or text by its content type, with ``url`` as the
    document's URL and source unless ``meta`` says otherwise. Raises W710 when the page is
    neither HTML nor text (a PDF, an image): there is nothing to ingest."""
    mime, charset = content_type(page.content_type)
    if mime and mime not in PAGE_TYPES:
        raise WatchfloorError(E.W710, url=url, content_type=mime)
    html = None if not mime else mime != "text/plain"  # no type given: sniff
    text = _decode(page.body, charset, html=html is not False)
    if text is None:
        return Rejection(url, E.W104.name, WatchfloorError(E.W104, source=url).message)
    # The URL asked for is the one a later poll looks for; the page's canonical may differ.
    result = ingester.ingest_text(text, url, html=html, meta={"url": url, **(meta or {})})
    if isinstance(result, Document):
        result = replace(result, fetched=page.fetched_at)
    return result


def content_type(value: str | None) -> tuple[str, str | None]:
    if not value:
        return "", None
    mime, _, rest = value.partition(";")
    charset = None
    for param in rest.split(";"):
        key, _, val = param.partition("=")
        if key.strip().lower() == "charset" and val.strip():
            charset = val.strip().strip("\"'")
    return mime.strip().lower(), charset


def _decode(body: bytes, charset: str | None, *, html: bool) -> str | None:
    if charset:
        try:
            return body.decode(charset)
        except (LookupError, UnicodeDecodeError):
            pass  # the header lied: sniff as for a file
    decoded = decode_bytes(body, html=html)
    return None if decoded.binary else decoded.text
