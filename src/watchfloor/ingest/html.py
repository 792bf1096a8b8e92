"""HTML in: main text with trafilatura, metadata read from the page's own tags.

trafilatura finds the article body and drops navigation, but it gives the publication date
without its time and offset, and can drop a short paragraph or the first one with the dateline
span. So the page's ``<meta>`` and ``<link>`` tags are read here directly, and trafilatura's
paragraphs are checked against the page's own ``<p>`` elements inside the article container:
when one of substance is missing, that container's paragraphs are used instead.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import trafilatura
from trafilatura.utils import load_html

from watchfloor.ingest.clean import fold_key, is_boilerplate, normalize_line
from watchfloor.ingest.meta import parse_published, parse_published_lenient

_DOCUMENT = re.compile(r"<html\b|<body\b", re.I)
_PUBLISHED_XPATHS = (
    "//meta[@property='article:published_time']/@content",
    "//meta[@property='og:article:published_time']/@content",
    "//meta[@itemprop='datePublished']/@content",
    "//meta[@name='article:published_time']/@content",
    "//meta[@name='pubdate' or @name='publishdate' or @name='publish-date']/@content",
    "//meta[@name='parsely-pub-date' or @name='sailthru.date']/@content",
    "//meta[@name='dc.date' or @name='DC.date.issued' or @name='date']/@content",
    "//time[@itemprop='datePublished']/@datetime",
    "//article//time/@datetime",
)
_URL_XPATHS = (
    "//link[@rel='canonical']/@href",
    "//meta[@property='og:url']/@content",
)
_TITLE_XPATHS = (
    "//meta[@property='og:title']/@content",
    "//title",
    "//h1",
)
_DATELINE_XPATH = (
    "//*[contains(@class, 'dateline') or contains(@class, 'articleLocation')"
    " or contains(@class, 'article-location')]"
)
_PARAGRAPH_TAGS = frozenset({"p", "li", "h2", "h3", "h4", "blockquote"})
_SKIP_TAGS = frozenset(
    {
        "script", "style", "noscript", "nav", "header", "footer", "aside", "figure",
        "figcaption", "form", "button", "select", "template", "iframe",
    }
)  # fmt: skip
_SKIP_CLASS = re.compile(
    r"caption|credit|share|social|related|newsletter|promo|byline|sidebar|widget|advert", re.I
)
_MIN_WORDS = 4
_ALNUM = re.compile(r"\w")


@dataclass(frozen=True, slots=True)
class HtmlArticle:
    blocks: list[list[str]] = field(default_factory=list)  # one paragraph per block
    title: str | None = None
    headlines: tuple[str, ...] = ()  # every title the page gives: og:title, <title>, <h1>
    published: datetime | None = None
    url: str | None = None
    site_name: str | None = None
    dateline_hint: str | None = None
    used_fallback: bool = False  # the page's own paragraphs replaced trafilatura's


def _first(tree: Any, xpaths: tuple[str, ...]) -> str | None:
    for xpath in xpaths:
        for value in tree.xpath(xpath):
            text = normalize_line(str(value))
            if text:
                return text
    return None


def _published(tree: Any) -> datetime | None:
    for xpath in _PUBLISHED_XPATHS:
        for value in tree.xpath(xpath):
            parsed = parse_published_lenient(str(value))
            if parsed is not None:
                return parsed
    return None


def _headlines(tree: Any) -> tuple[str, ...]:
    """The page's titles, best first; aggregator pages sometimes carry a lone ">" as one."""
    found: list[str] = []
    for xpath in _TITLE_XPATHS:
        for value in tree.xpath(xpath)[:1]:
            text = normalize_line(value if isinstance(value, str) else value.text_content())
            if _ALNUM.search(text) and text not in found:
                found.append(text)
    return tuple(found)


def _dateline_hint(tree: Any) -> str | None:
    for element in tree.xpath(_DATELINE_XPATH):
        text = normalize_line(element.text_content())
        if text and len(text) <= 60:
            return text
    return None


def _skipped(element: Any) -> bool:
    for node in (element, *element.iterancestors()):
        if not isinstance(node.tag, str) or node.tag in _SKIP_TAGS:
            return True
        if _SKIP_CLASS.search(str(node.get("class") or "")):
            return True
    return False


def _page_paragraphs(root: Any) -> Iterator[tuple[Any, str]]:
    """The page's own paragraphs in document order, the outermost of any nested ones."""
    taken: set[Any] = set()
    for element in root.iter(*_PARAGRAPH_TAGS):
        if any(a in taken for a in element.iterancestors()) or _skipped(element):
            continue
        text = normalize_line(element.text_content())
        if text:
            taken.add(element)
            yield element, text


def _common_ancestor(elements: list[Any]) -> Any:
    paths = [list(reversed([e, *e.iterancestors()])) for e in elements]
    common = None
    for nodes in zip(*paths, strict=False):
        if any(n is not nodes[0] for n in nodes):
            break
        common = nodes[0]
    return common


def choose_paragraphs(tree: Any, extracted: str) -> tuple[list[str], bool]:
    """trafilatura's lines, or the article container's own paragraphs when it lost some."""
    lines = [n for n in (normalize_line(line) for line in extracted.splitlines()) if n]
    body = tree.find("body")
    root = body if body is not None else tree
    own = list(_page_paragraphs(root))
    if not lines:
        return [text for _, text in own], bool(own)
    extracted_key = fold_key(" ".join(lines))
    matched = [e for e, text in own if fold_key(text) in extracted_key]
    container = _common_ancestor(matched) if matched else None
    if container is None:
        return lines, False
    inside = [(e, t) for e, t in own if e is container or container in e.iterancestors()]
    missing = [
        t
        for e, t in inside
        if e not in matched and len(t.split()) >= _MIN_WORDS and not is_boilerplate(t)
    ]
    if not missing:
        return lines, False
    return [t for _, t in inside], True


def extract_html(html: str, *, url: str | None = None) -> HtmlArticle:
    """Paragraphs and metadata of one HTML page. An empty or unparsable page gives no blocks."""
    if not _DOCUMENT.search(html):
        # trafilatura rejects a bare fragment ("<p>..</p><p>..</p>") as not quite HTML.
        html = f"<html><body>{html}</body></html>"
    tree = load_html(html)
    if tree is None:
        return HtmlArticle()
    try:
        result = trafilatura.bare_extraction(
            html,
            url=url,
            favor_recall=True,
            include_comments=False,
            include_tables=True,
            include_images=False,
            include_links=False,
            with_metadata=False,
            deduplicate=False,
        )
    except Exception:
        # One malformed page must not stop a batch; the page's own paragraphs stand in.
        result = None
    extracted = "" if result is None else str(getattr(result, "text", "") or "")
    paragraphs, fallback = choose_paragraphs(tree, extracted)
    published = _published(tree)
    headlines = _headlines(tree)
    title = headlines[0] if headlines else None
    page_url = _first(tree, _URL_XPATHS)
    site_name = _first(tree, ("//meta[@property='og:site_name']/@content",))
    if published is None or title is None:
        # trafilatura also reads JSON-LD and microdata; its date has no time, so it comes last.
        try:
            meta = trafilatura.extract_metadata(html, default_url=url, extensive=False)
        except Exception:
            meta = None  # as above: metadata is optional, a crash in reading it is not fatal
        if meta is not None:
            title = title or _title_text(meta.title)
            page_url = page_url or meta.url
            if published is None and meta.date:
                published = _date_only(str(meta.date))
    return HtmlArticle(
        blocks=[[p] for p in paragraphs],
        title=title,
        headlines=headlines,
        published=published,
        url=page_url,
        site_name=site_name,
        dateline_hint=_dateline_hint(tree),
        used_fallback=fallback,
    )


def _title_text(value: object) -> str | None:
    if not isinstance(value, str):
        return None
    text = normalize_line(value)
    return text if _ALNUM.search(text) else None


def _date_only(value: str) -> datetime | None:
    try:
        return parse_published(value)
    except ValueError:
        return None
