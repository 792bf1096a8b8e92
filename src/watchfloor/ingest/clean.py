"""Cleaning: from raw lines to the stored article text.

Input is a list of blocks (paragraphs as the source separated them), each a list of lines.
Cleaning drops page furniture (a repeated headline, photo credits and captions, bylines,
"Reporting by ...; Editing by ..." lines, related-story and share prompts, an author's bio at
the end), records the dateline and strips it, and normalises white space: single spaces,
paragraphs separated by one blank line, zero-width characters removed. Curly quotes stay as they
are, since every character offset downstream refers to this text.

The dateline prefix ("SEOUL (Reuters) - ", "WASHINGTON, March 3 (AP) - ") is stripped from the
text and kept in ``Cleaned.dateline``: gold evidence never includes it, a city in capitals at the
head of the first sentence would otherwise read as its subject ("WASHINGTON" as an actor), and
offsets stay simple because they always refer to the stored, already stripped text.
"""

from __future__ import annotations

import re
from collections.abc import Container, Sequence
from dataclasses import dataclass

# Format characters that carry no text: zero-width space/joiners, direction marks and
# embeddings, word joiner, BOM, soft hyphen. Removing them lets "nuclear-tipped" match itself.
_INVISIBLE = dict.fromkeys(
    [0x00AD, 0x180E, *range(0x200B, 0x2010), *range(0x202A, 0x202F), 0x2060, 0x2061, 0xFEFF]
)
_SPACES = re.compile(r"\s+")
_WORD = re.compile(r"\w+")
_TERMINAL = re.compile(r"[.!?:;…]['\"”’)\]]*$")
_LETTERS = re.compile(r"[^\W\d_]")

# Photo credits glued to or trailing a line ("North Korea nuclear programiStock").
_CREDIT_SUFFIX = re.compile(
    r"\s*[|(/-]?\s*(?:iStock(?:photo)?|Getty Images|Shutterstock|AP Photo(?:/[\w .'-]+)?|"
    r"AFP(?:/Getty Images| via Getty Images)?|EPA(?:-EFE)?(?:/[\w .'-]+)?|"
    r"REUTERS/[\w .'-]+(?:/File(?: Photo)?)?)\)?\.?\s*$"
)
_CREDIT_LINE = re.compile(
    r"^\(?(?:(?:photo|image|picture|photograph|file photo|credit|caption)s?(?:\s+credit)?\s*[:|]"
    r"|\(?(?:photo|image|picture)s?\s+(?:by|courtesy|credit)\b"
    r"|(?:AP|AFP|Reuters|Yonhap|EPA|KCNA)\s+(?:photo|pool|file)\b"
    r"|(?:reuters|ap|afp|yonhap|kcna|getty images|istock|shutterstock|file photo)\.?$)",
    re.I,
)
# A caption ends with its credit: "... in Seoul, March 3, 2016. REUTERS/Kim Hong-Ji" or
# "... (Jung Yeon-je/AFP via Getty Images)".
_CAPTION_END = re.compile(
    r"(?:\bREUTERS/[A-Z][\w.'-]*(?:[ -][A-Z][\w.'-]*)*(?:/File(?: Photo)?)?\.?"
    r"|\((?i:[^()]*(?:/(?:AFP|AP|Reuters|Yonhap|EPA|KCNA|Getty|Xinhua|Kyodo)|Getty Images|"
    r"AP Photo|Photo by)[^()]*)\))\s*$"
)
_NAME = r"[A-Z][\w.'’-]*(?:\s+[A-Z][\w.'’-]*){0,3}"
_BYLINE = re.compile(
    rf"^(?:By|BY)\s+{_NAME}(?:\s*(?:,|and|&)\s*{_NAME})*"
    rf"(?:\s*(?:,|\||-|–|—|in)\s*{_NAME})?\.?$"
)
_CREDIT_ROLE = (
    r"(?:(?:additional|further|extra)\s+)?(?:reporting|writing|editing|compiled|"
    r"research(?:ed)?|translat(?:ed|ion)|produced|edited|written)\s+by\b"
)
_CREDITS_LINE = re.compile(rf"^(?P<paren>\(\s*)?{_CREDIT_ROLE}(?P<rest>.*)$", re.I)
_CREDIT_ROLES = re.compile(_CREDIT_ROLE, re.I)
_NAME_WORD = re.compile(r"^(?:[A-Z][\w.'’-]*|and|in|at|from|with|of|&)$")
_SOURCE_NOTE = re.compile(
    r"^(?:some\s+)?(?:material|information)\s+for\s+this\s+(?:report|story|article)\s+"
    r"(?:came|comes|was\s+provided)\s+from\b",
    re.I,
)
# A marker alone on its line; the link titles that follow it are page furniture too.
_MARKER = re.compile(
    r"^(?:recommended(?:\s+(?:stories|articles|for you))?|related(?:\s+(?:stories|articles|"
    r"coverage|content|news|links?|topics?))?|read more|read also|also read|see also|"
    r"more on this(?: story)?|most read|most popular|trending(?: now)?|you may also like|"
    r"more from [\w .]+)\s*[:>»]?$",
    re.I,
)
_MARKER_WITH_LINK = re.compile(
    r"^(?:recommended|related(?:\s+(?:stories|articles|coverage))?|read more|read also|"
    r"also read|see also)\s*[:>»|–—-]\s*\S",
    re.I,
)
_PROMPT = re.compile(
    r"^(?:share(?:\s+(?:this|on|via|the|article|story)\b.*)?|subscribe\b.*|sign up\b.*|"
    r"follow (?:us|@)\b.*|click here\b.*|tap here\b.*|download (?:our|the) app\b.*|"
    r"join (?:our|us)\b.*|email (?:this|us)\b.*|print(?: this)?(?: article| story| page)?|"
    r"tweet(?: this)?|comments?(?:\s*\(\d+\))?|advertisement|sponsored(?: content)?|"
    r"story continues(?: below)?(?: advertisement)?|continue reading\b.*|copyright\b.*|©.*|"
    r"all rights reserved\.?|(?:first\s+)?(?:published|updated|posted|last updated)\b"
    r"[^.]{0,60}\d[^.]{0,40})$",
    re.I,
)
_BIO = re.compile(
    r"^[A-Z][\w.'’-]+(?:\s+[A-Z][\w.'’-]+){1,3}\s+(?:is|was)\s+(?:a|an|the|The)\b.{0,120}?"
    r"\b(?:correspondent|reporter|bureau chief|editor|writer|columnist|contributor|journalist)\b"
)
_MAX_HEADLINE_WORDS = 20
_MAX_PROMPT_WORDS = 30
_BIO_TAIL = 2
# Share of lines with a sentence ending above which a block holds one paragraph per line.
_ONE_PER_LINE = 0.6
_MAX_BYLINE_WORDS = 16

_MONTH = (
    r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|"
    r"Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?"
)
_CITY = r"[A-Z][A-Za-z.'’-]*(?:[ /][A-Z][A-Za-z.'’-]*){0,3}"
# "SEOUL (Reuters) - ", "WASHINGTON, March 3 (AP) — ", "SEOUL, South Korea — ",
# "Seoul, March 10 (Yonhap) -- ".
_DATELINE = re.compile(
    rf"^(?P<city>{_CITY})"
    r"(?:,\s*(?P<region>[A-Z][A-Za-z.]*(?:\s[A-Z][A-Za-z.]*){0,2}))?"
    rf"(?:,\s*(?P<date>{_MONTH}\s+\d{{1,2}}))?"
    r"\s*(?:\((?P<agency>[A-Za-z][A-Za-z .&'-]{0,40})\))?"
    r"\s*(?P<sep>—|–|--|-)\s+(?=\S)"
)
# "SEOUL North Korea said ..." as wire pages render a dateline span with no dash after it.
_BARE_DATELINE = re.compile(
    r"^(?P<city>[A-Z][A-Z.'’-]*(?:[ /][A-Z][A-Z.'’-]*){0,3})\s+(?=[A-Z][a-z])"
)
_AFTER_HINT = re.compile(
    r"^\s*(?:\((?P<agency>[A-Za-z][A-Za-z .&'-]{0,40})\))?\s*(?:(?:—|–|--|-)\s+)?"
)
_HINTED = re.compile(r"^[\s(,]$")
# " - Voice of America", " | Reuters": an outlet name appended to a page title.
_TITLE_SUFFIX = re.compile(r"\s+[-–—|]\s+[^-–—|]{2,60}$")
_HINT_TRAIL = re.compile(r"[\s,:—–-]+$")
_WEAK_SEPARATORS = ("-",)


@dataclass(frozen=True, slots=True)
class Cleaned:
    text: str
    title: str | None  # the headline found at the top of a plain-text input, if any
    dateline: str | None  # upper-case city, e.g. "SEOUL"
    agency: str | None  # the agency in the dateline's parentheses, e.g. "Reuters"


def normalize_line(line: str) -> str:
    """One line with zero-width characters removed and white space folded to single spaces."""
    return _SPACES.sub(" ", line.translate(_INVISIBLE)).strip()


def fold_key(text: str) -> str:
    """A comparison key: lower case, words only, so quotes and punctuation do not matter."""
    return " ".join(_WORD.findall(text.lower()))


def is_headline_like(line: str) -> bool:
    words = line.split()
    return 0 < len(words) <= _MAX_HEADLINE_WORDS and not _TERMINAL.search(line)


def is_credit(line: str) -> bool:
    """A photo credit alone, or a short caption-like line that ends with one."""
    if _CREDIT_LINE.search(line):
        return True
    stripped = _CREDIT_SUFFIX.sub("", line)
    if stripped != line and (not stripped or is_headline_like(stripped)):
        return True
    return bool(_CAPTION_END.search(line))


def is_credits(line: str) -> bool:
    """A "(Reporting by ...; Editing by ...)" line, not a sentence that opens with those words
    ("Reporting by state media could not be verified.")."""
    match = _CREDITS_LINE.match(line)
    if match is None:
        return False
    if match["paren"] or ";" in line or len(_CREDIT_ROLES.findall(line)) > 1:
        return True
    names = match["rest"].replace(",", " ").rstrip(" .)").split()
    return all(_NAME_WORD.match(word) for word in names)


def is_boilerplate(line: str) -> bool:
    """Page furniture that is never article text, wherever it stands."""
    if is_credits(line) or _SOURCE_NOTE.search(line) or _MARKER_WITH_LINK.search(line):
        return True
    if len(line.split()) <= _MAX_BYLINE_WORDS and _BYLINE.match(line):
        return True
    if is_credit(line):
        return True
    return len(line.split()) <= _MAX_PROMPT_WORDS and bool(_PROMPT.match(line))


def headline_keys(*headlines: str | None) -> frozenset[str]:
    """Comparison keys of a page's headlines, each also without a " - Outlet" suffix."""
    keys = set()
    for headline in headlines:
        if headline:
            keys.add(fold_key(headline))
            keys.add(fold_key(_TITLE_SUFFIX.sub("", headline)))
    keys.discard("")
    return frozenset(keys)


def _repeats_title(line: str, keys: frozenset[str]) -> bool:
    return bool(keys) and (fold_key(line) in keys or fold_key(_CREDIT_SUFFIX.sub("", line)) in keys)


def _opens_with_headline(blocks: list[list[str]]) -> bool:
    """Whether a plain-text input's first line is its headline.

    It is when it reads like one (short, no sentence ending, no dateline) and stands apart:
    alone in its block, followed by a repeat or a photo credit, or heading a block that holds
    one paragraph per line. The first line of a hard-wrapped paragraph never qualifies.
    """
    first = blocks[0]
    candidate = first[0]
    if len(blocks) + len(first) <= 2 or not is_headline_like(candidate):
        return False
    if _DATELINE.match(candidate):
        return False
    if len(first) == 1:
        return True
    if (
        _repeats_title(first[1], headline_keys(candidate))
        or is_credit(first[1])
        or _BYLINE.match(first[1])
    ):
        return True
    rest = first[1:]
    ended = sum(1 for line in rest if _TERMINAL.search(line))
    return ended / len(rest) >= _ONE_PER_LINE


def _strip_headline(
    blocks: list[list[str]], headlines: Sequence[str], find_headline: bool
) -> tuple[list[list[str]], str | None]:
    """Drop the headlines (and their repeats and credits) from the top of the text.

    With ``find_headline``, a first line that reads as a headline is dropped and returned too.
    """
    found: str | None = None
    if find_headline and blocks and _opens_with_headline(blocks):
        found = blocks[0][0]
        blocks = [blocks[0][1:], *blocks[1:]]
    keys = headline_keys(*headlines, found)
    out: list[list[str]] = []
    at_top = True
    for block in blocks:
        kept: list[str] = []
        for line in block:
            if at_top and (_repeats_title(line, keys) or is_credit(line)):
                continue
            at_top = False
            kept.append(line)
        if kept:
            out.append(kept)
    return out, found


def _drop_furniture(blocks: list[list[str]]) -> list[list[str]]:
    out: list[list[str]] = []
    after_marker = False
    for block in blocks:
        kept: list[str] = []
        for line in block:
            if after_marker and is_headline_like(line):
                continue
            after_marker = False
            if _MARKER.match(line):
                after_marker = True
                continue
            if not is_boilerplate(line):
                kept.append(line)
        if kept:
            out.append(kept)
    return out


def _join_block(block: list[str]) -> list[str]:
    """Paragraphs from one block: hard-wrapped lines join, a line with an ending stands alone.

    A short line without an ending in a block of long lines is a subheading, not a wrap.
    """
    widest = max(len(line) for line in block)
    paragraphs: list[str] = []
    current: list[str] = []
    for line in block:
        subheading = not current and widest > 60 and len(line) < widest // 2
        if subheading and is_headline_like(line) and len(block) > 1:
            paragraphs.append(line)
            continue
        current.append(line)
        if _TERMINAL.search(line):
            paragraphs.append(" ".join(current))
            current = []
    if current:
        paragraphs.append(" ".join(current))
    return paragraphs


def _city(raw: str) -> str:
    """The dateline's first city in capitals: "SEOUL/TOKYO" -> "SEOUL"."""
    return raw.split("/")[0].strip().upper()


def split_dateline(
    paragraph: str, datelines: Container[str], hint: str | None = None
) -> tuple[str, str | None, str | None]:
    """The paragraph without its dateline prefix, the dateline city and the agency, if any."""
    if hint:
        hint = _HINT_TRAIL.sub("", normalize_line(hint))
    if (
        hint
        and _LETTERS.search(hint)
        and paragraph.startswith(hint)
        and _HINTED.match(paragraph[len(hint) : len(hint) + 1])
    ):
        full = _DATELINE.match(paragraph)
        if full is not None and _city(full["city"]) == _city(hint):
            return paragraph[full.end() :], _city(hint), full["agency"]
        rest = paragraph[len(hint) :]
        after = _AFTER_HINT.match(rest)
        if after is not None and after.end() < len(rest):
            return rest[after.end() :], _city(hint), after["agency"]
    match = _DATELINE.match(paragraph)
    if match is not None and match.end() < len(paragraph):
        city = match["city"]
        # A plain hyphen also joins ordinary openings ("U.S. - North Korea talks"), so it
        # needs more evidence than a dash: an agency or date, a known city, or a region.
        marked = bool(match["agency"] or match["date"]) or _city(city) in datelines
        strong_sep = match["sep"] not in _WEAK_SEPARATORS
        upper = city.upper() == city and len(_LETTERS.findall(city)) >= 3
        if marked or (strong_sep and (upper or match["region"])):
            return paragraph[match.end() :], _city(city), match["agency"]
    bare = _BARE_DATELINE.match(paragraph)
    if bare is not None:
        city = bare["city"]
        if _city(city) in datelines or (" " in city and len(_LETTERS.findall(city)) >= 6):
            return paragraph[bare.end() :], _city(city), None
    return paragraph, None, None


def clean_blocks(
    blocks: Sequence[Sequence[str]],
    *,
    datelines: Container[str],
    headlines: Sequence[str] = (),
    dateline_hint: str | None = None,
    find_headline: bool = False,
) -> Cleaned:
    """Clean an article given as blocks of lines (see the module docstring).

    ``headlines`` are the article's known titles (given, ``<title>``, ``og:title``, ``<h1>``):
    lines at the top that repeat one are dropped. ``datelines`` holds the upper-case cities
    known to be datelines; a bare capitalised prefix with no dash after it ("SEOUL North Korea
    ...") counts only for those or for a page's dateline markup (``dateline_hint``).
    ``find_headline`` lets a plain-text input's first line be taken as its headline.
    """
    normalised = [[n for n in (normalize_line(line) for line in block) if n] for block in blocks]
    rows = [block for block in normalised if block]
    rows, found_title = _strip_headline(rows, [h for h in headlines if h], find_headline)
    rows = _drop_furniture(rows)
    paragraphs = [p for block in rows for p in _join_block(block)]
    for _ in range(_BIO_TAIL):
        if paragraphs and _BIO.match(paragraphs[-1]):
            paragraphs.pop()
    dateline = agency = None
    if paragraphs:
        first, dateline, agency = split_dateline(paragraphs[0], datelines, dateline_hint)
        paragraphs[0] = first.strip()
    return Cleaned("\n\n".join(p for p in paragraphs if p), found_title, dateline, agency)
