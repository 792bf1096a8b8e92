"""Markdown in: YAML front matter read, markup reduced to plain lines."""

from __future__ import annotations

import re
from typing import Any

import yaml

_FRONT_MATTER = re.compile(
    r"\A\ufeff?---[ \t]*\r?\n(?P<yaml>.*?)\r?\n(?:---|\.\.\.)[ \t]*(?:\r?\n|\Z)", re.S
)
_FENCE = re.compile(r"^\s*(?:```|~~~)")
_HEADING = re.compile(r"^\s{0,3}#{1,6}\s+(?P<text>.*?)(?:\s+#+)?\s*$")
_SETEXT_RULE = re.compile(r"^\s{0,3}(?:=+|-+)\s*$")
_RULE = re.compile(r"^\s{0,3}(?:(?:-\s*){3,}|(?:\*\s*){3,}|(?:_\s*){3,})$")
_QUOTE = re.compile(r"^\s{0,3}(?:>\s?)+")
_LIST_ITEM = re.compile(r"^\s*(?:[-*+]|\d{1,3}[.)])\s+")
_LINK_DEFINITION = re.compile(r"^\s{0,3}\[[^\]]+\]:\s*\S+.*$")
_IMAGE = re.compile(r"!\[[^\]]*\]\([^)]*\)|!\[[^\]]*\]\[[^\]]*\]")
_LINK = re.compile(r"\[(?P<text>[^\]]+)\]\((?:[^()\s]+|\([^)]*\))*(?:\s+\"[^\"]*\")?\)")
_REF_LINK = re.compile(r"\[(?P<text>[^\]]+)\]\[[^\]]*\]")
_AUTOLINK = re.compile(r"<(?P<url>(?:https?|mailto):[^>\s]+)>")
_STRONG = re.compile(r"(\*\*|__)(?=\S)(?P<text>.+?)(?<=\S)\1")
_EMPHASIS = re.compile(
    r"(?<![\w*])\*(?=\S)(?P<text>[^*]+?)(?<=\S)\*(?![\w*])|"
    r"(?<![\w_])_(?=\S)(?P<text2>[^_]+?)(?<=\S)_(?![\w_])"
)
_STRIKE = re.compile(r"~~(?P<text>.+?)~~")
_CODE = re.compile(r"`([^`]+)`")
_TAG = re.compile(r"</?[A-Za-z][A-Za-z0-9]*(?:\s[^<>]*)?/?>")
_ESCAPE = re.compile(r"\\(?P<char>[\\`*_{}\[\]()#+\-.!>])")
# libyaml's safe loader where PyYAML was built with it: the same documents, about ten times
# faster than the pure-Python one, and front matter is read on every Markdown article.
_LOADER: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class FrontMatterError(ValueError):
    """The front matter is not a YAML mapping."""


def split_front_matter(text: str) -> tuple[dict[str, Any], str]:
    """The front matter as a mapping (empty when there is none) and the body after it."""
    match = _FRONT_MATTER.match(text)
    if match is None:
        return {}, text
    try:
        data = yaml.load(match["yaml"], Loader=_LOADER)
    except yaml.YAMLError as exc:
        raise FrontMatterError(f"front matter is not valid YAML: {exc}") from exc
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise FrontMatterError("front matter is not a mapping of keys to values")
    return {str(k): v for k, v in data.items()}, text[match.end() :]


def _inline(line: str) -> str:
    """Plain text of one line; code spans are kept verbatim, markup outside them removed."""
    pieces = _CODE.split(line)
    # re.split with one group alternates: text, code, text, ...
    return "".join(piece if i % 2 else _inline_markup(piece) for i, piece in enumerate(pieces))


def _inline_markup(text: str) -> str:
    text = _IMAGE.sub("", text)
    text = _LINK.sub(r"\g<text>", text)
    text = _REF_LINK.sub(r"\g<text>", text)
    text = _AUTOLINK.sub(r"\g<url>", text)
    text = _STRONG.sub(r"\g<text>", text)
    text = _EMPHASIS.sub(lambda m: m["text"] or m["text2"], text)
    text = _STRIKE.sub(r"\g<text>", text)
    text = _TAG.sub("", text)
    return _ESCAPE.sub(r"\g<char>", text)


def markdown_blocks(body: str) -> tuple[list[list[str]], str | None]:
    """Blocks of plain lines from a Markdown body, and its first heading (a title candidate).

    Headings stand as blocks of their own, so a subheading never runs into the paragraph
    after it.
    """
    blocks: list[list[str]] = []
    current: list[str] = []
    first_heading: str | None = None

    def close() -> None:
        nonlocal current
        if current:
            blocks.append(current)
        current = []

    for raw in body.splitlines():
        if _FENCE.match(raw) or _RULE.match(raw) or _LINK_DEFINITION.match(raw):
            close()
            continue
        if _SETEXT_RULE.match(raw) and current:
            # "Title\n=====": the line before is a heading.
            heading = current.pop()
            close()
            blocks.append([heading])
            if len(blocks) == 1:
                first_heading = heading
            continue
        heading_match = _HEADING.match(raw)
        if heading_match is not None:
            close()
            text = _inline(heading_match["text"]).strip()
            if text:
                blocks.append([text])
                if len(blocks) == 1:
                    first_heading = text
            continue
        line = _QUOTE.sub("", raw)
        if _LIST_ITEM.match(line):
            # Each list item is a paragraph of its own, never the tail of the line above.
            close()
            line = _LIST_ITEM.sub("", line)
        if not line.strip():
            close()
            continue
        current.append(_inline(line))
    close()
    return blocks, first_heading
