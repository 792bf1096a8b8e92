"""Checks of the demo corpus (corpus/demo): articles and their gold files.

The quality gate (`watchfloor eval corpus/demo`) trusts the gold files to be exact. A misspelt
type, an impossible date or an evidence string that is not in the article would not crash the
gate; it would silently cost recall and make a good extractor look bad. So the files are checked
here against ../shared/GOLD_FORMAT.md, one gold file per test case, whichever half of the corpus
wrote it and however many files there are.
"""

from __future__ import annotations

import html
import re
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any, get_args

import pytest
import yaml

from watchfloor.records import EVENT_TYPES, MODALITIES, ClaimKind

ROOT = Path(__file__).resolve().parents[1]
DEMO = ROOT / "corpus" / "demo"
REAL = ROOT.parent / "shared" / "corpus" / "real"

WEAPON_CLASSES = frozenset(
    [
        "SRBM",
        "MRBM",
        "IRBM",
        "ICBM",
        "SLBM",
        "cruise",
        "hypersonic",
        "nuclear",
        "space_launch",
        "artillery",
    ]
)
CLAIM_KINDS: tuple[str, ...] = get_args(ClaimKind)
# ISO 3166-1 alpha-3 for states, short upper-case codes for organisations (UN, UNSC, IAEA).
ACTOR_CODE = re.compile(r"^[A-Z]{2,5}$")
ARTICLE_NAME = re.compile(r"^(\d{3})-[a-z0-9]+(?:-[a-z0-9]+)*\.md$")
SINCE = re.compile(r"^\d{4}(?:-\d{2}(?:-\d{2})?)?$")

DOCUMENT_KEYS = frozenset({"file", "published", "language", "url", "outlet", "title"})
EVENT_KEYS = frozenset(
    [
        "id",
        "type",
        "actor",
        "target",
        "weapon",
        "weapon_class",
        "date",
        "tolerance_days",
        "modality",
        "stance",
        "status",
        "participants",
        "location",
        "count",
        "evidence",
        "notes",
    ]
)
QUOTE_KEYS = frozenset({"speaker", "speaker_actor", "channel", "text_startswith", "notes"})
CLAIM_KEYS = frozenset(
    ["kind", "about", "actor", "target", "value", "since", "period", "evidence", "notes"]
)
FRONT_MATTER_KEYS = frozenset({"title", "published", "outlet", "url"})
MIN_WORDS, MAX_WORDS = 120, 350
# The house rule forbids copying runs of more than about eight words from a publisher.
COPIED_RUN_WORDS = 9

CURLY = str.maketrans({"‘": "'", "’": "'", "“": '"', "”": '"'})


def gold_files() -> list[Path]:
    return sorted(DEMO.glob("*.gold.yaml")) if DEMO.is_dir() else []


def articles() -> list[Path]:
    return sorted(DEMO.glob("*.md")) if DEMO.is_dir() else []


def fold(text: str) -> str:
    """Text as the evaluation compares it: curly quotes straight, white space folded."""
    return re.sub(r"\s+", " ", text.translate(CURLY)).strip()


def split_article(path: Path) -> tuple[dict[str, Any], str]:
    """The YAML front matter and the body after its closing `---`."""
    text = path.read_text(encoding="utf-8")
    match = re.match(r"---\n(.*?)\n---\n(.*)", text, re.DOTALL)
    assert match, f"{path.name}: no YAML front matter between '---' lines"
    meta = yaml.safe_load(match.group(1))
    assert isinstance(meta, dict), f"{path.name}: front matter is not a mapping"
    return meta, match.group(2)


def load_gold(path: Path) -> dict[str, Any]:
    try:
        gold = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (yaml.YAMLError, ValueError) as exc:
        # PyYAML raises ValueError, not YAMLError, for a date-like value such as 2016-13-02.
        pytest.fail(f"{path.name}: does not load as YAML: {exc}")
    assert isinstance(gold, dict), f"{path.name}: not a mapping"
    return gold


def article_of(gold_path: Path) -> Path:
    return gold_path.with_name(gold_path.name.removesuffix(".gold.yaml") + ".md")


def body_of(gold_path: Path) -> str:
    return split_article(article_of(gold_path))[1]


def as_date(value: Any) -> date:
    if isinstance(value, datetime):
        raise ValueError(f"{value!r} is a time, not a date")
    if isinstance(value, date):
        return value
    return date.fromisoformat(str(value))


def as_interval(value: Any) -> tuple[date, date]:
    """A gold `date` or `period`: one day, or [start, end] with start <= end."""
    if isinstance(value, list):
        if len(value) != 2:
            raise ValueError(f"{value!r} is not [start, end]")
        start, end = as_date(value[0]), as_date(value[1])
        if end < start:
            raise ValueError(f"{value!r} ends before it starts")
        return start, end
    day = as_date(value)
    return day, day


def as_published(value: Any) -> date | datetime:
    """`published` is a date, or a time that carries its offset."""
    if isinstance(value, datetime):
        moment = value
    elif isinstance(value, date):
        return value
    else:
        text = str(value)
        if "T" not in text:
            return date.fromisoformat(text)
        moment = datetime.fromisoformat(text)
    if moment.tzinfo is None:
        raise ValueError(f"{value!r} has no UTC offset")
    return moment


def quoted_spans(body: str) -> list[str]:
    """Every stretch of text inside double quotes, paragraph by paragraph.

    A quote left open at the end of a paragraph counts up to the paragraph's end, as wire
    copy leaves a quotation open when it runs on into the next paragraph.
    """
    spans: list[str] = []
    for paragraph in re.split(r"\n\s*\n", body.translate(CURLY)):
        pieces = fold(paragraph).split('"')
        spans.extend(piece.strip() for piece in pieces[1::2] if piece.strip())
    return spans


def words(text: str) -> list[str]:
    return re.findall(r"[a-z0-9]+", html.unescape(text).translate(CURLY).lower())


def runs(tokens: list[str], n: int) -> set[tuple[str, ...]]:
    return {tuple(tokens[i : i + n]) for i in range(len(tokens) - n + 1)}


def visible_text(raw: str) -> str:
    raw = re.sub(r"(?is)<(script|style)\b.*?</\1>", " ", raw)
    return re.sub(r"(?s)<[^>]+>", " ", raw)


GOLD = pytest.mark.parametrize("gold_path", gold_files(), ids=lambda p: p.name)


# --- the corpus as a whole ---------------------------------------------------------------


def test_every_article_has_a_gold_file_and_every_gold_file_an_article() -> None:
    md = {p.name.removesuffix(".md") for p in articles()}
    gold = {p.name.removesuffix(".gold.yaml") for p in gold_files()}
    assert md - gold == set(), f"articles without a gold file: {sorted(md - gold)}"
    assert gold - md == set(), f"gold files without an article: {sorted(gold - md)}"


def test_article_names_are_numbered_slugs_with_unique_numbers() -> None:
    seen: dict[str, str] = {}
    for path in articles():
        match = ARTICLE_NAME.match(path.name)
        assert match, f"{path.name}: name is not NNN-short-slug.md"
        number = match.group(1)
        assert number not in seen, f"{path.name} and {seen[number]} share number {number}"
        seen[number] = path.name


def test_articles_copy_no_long_run_of_words_from_the_real_corpus() -> None:
    if not REAL.is_dir():
        pytest.skip(f"{REAL} is absent: nothing to compare with")
    published: set[tuple[str, ...]] = set()
    for path in sorted(REAL.iterdir()):
        if path.suffix in {".html", ".htm", ".txt"}:
            raw = path.read_text(encoding="utf-8", errors="replace")
            published |= runs(words(visible_text(raw)), COPIED_RUN_WORDS)
    copied = []
    for path in articles():
        _, body = split_article(path)
        copied += [
            f"{path.name}: {' '.join(r)}"
            for r in runs(words(body), COPIED_RUN_WORDS)
            if r in published
        ]
    assert copied == [], "runs of words copied from a publisher:\n" + "\n".join(sorted(copied))


# --- one gold file and its article -------------------------------------------------------


@GOLD
def test_gold_file_has_the_four_sections_as_lists(gold_path: Path) -> None:
    gold = load_gold(gold_path)
    assert set(gold) == {"document", "events", "quotes", "claims"}, sorted(gold)
    assert isinstance(gold["document"], dict)
    for section in ("events", "quotes", "claims"):
        assert isinstance(gold[section], list), f"{section} is not a list (write [] for none)"
        assert all(isinstance(item, dict) for item in gold[section]), section


@GOLD
def test_document_block_repeats_the_article_front_matter(gold_path: Path) -> None:
    document = load_gold(gold_path)["document"]
    meta, _ = split_article(article_of(gold_path))
    assert set(document) <= DOCUMENT_KEYS, sorted(set(document) - DOCUMENT_KEYS)
    assert set(meta) == FRONT_MATTER_KEYS, f"front matter keys {sorted(meta)}"
    assert document["file"] == article_of(gold_path).name
    assert document["language"] == "en"
    assert as_published(document["published"]) == as_published(meta["published"])
    for key in ("title", "outlet", "url"):
        assert document.get(key) == meta[key], f"{key}: gold {document.get(key)!r}"


@GOLD
def test_article_body_is_wire_length(gold_path: Path) -> None:
    count = len(body_of(gold_path).split())
    assert MIN_WORDS <= count <= MAX_WORDS, f"{count} words"


@GOLD
def test_events_use_the_gold_format_vocabulary(gold_path: Path) -> None:
    problems = []
    for event in load_gold(gold_path)["events"]:
        where = f"event {event.get('id')!r}"
        if missing := {"id", "type", "actor", "modality", "evidence"} - set(event):
            problems.append(f"{where}: missing {sorted(missing)}")
        if unknown := set(event) - EVENT_KEYS:
            problems.append(f"{where}: unknown keys {sorted(unknown)}")
        if event.get("type") not in EVENT_TYPES:
            problems.append(f"{where}: type {event.get('type')!r}")
        if event.get("modality") not in MODALITIES:
            problems.append(f"{where}: modality {event.get('modality')!r}")
        for role in ("actor", "target"):
            if role in event and not ACTOR_CODE.match(str(event[role])):
                problems.append(f"{where}: {role} {event[role]!r} is not a code")
        if "target" in event and event["target"] == event.get("actor"):
            problems.append(f"{where}: actor and target are both {event['target']}")
        classes = event.get("weapon_class", [])
        for cls in classes if isinstance(classes, list) else [classes]:
            if cls not in WEAPON_CLASSES:
                problems.append(f"{where}: weapon_class {cls!r}")
        if "count" in event and not (isinstance(event["count"], int) and event["count"] > 0):
            problems.append(f"{where}: count {event['count']!r}")
        if "participants" in event and not isinstance(event["participants"], list):
            problems.append(f"{where}: participants is not a list")
    assert problems == [], "\n".join(problems)


@GOLD
def test_event_ids_are_unique(gold_path: Path) -> None:
    ids = [str(event.get("id")) for event in load_gold(gold_path)["events"]]
    repeated = sorted({i for i in ids if ids.count(i) > 1})
    assert repeated == [], f"repeated ids: {repeated}"


@GOLD
def test_event_dates_are_valid_and_nothing_asserted_happens_after_publication(
    gold_path: Path,
) -> None:
    gold = load_gold(gold_path)
    published = as_published(gold["document"]["published"])
    # A UTC time can be a day behind the dateline's calendar (SEOUL is UTC+9).
    latest = (published.date() if isinstance(published, datetime) else published) + timedelta(1)
    problems = []
    for event in gold["events"]:
        where = f"event {event.get('id')!r}"
        tolerance = event.get("tolerance_days", 0)
        if not (isinstance(tolerance, int) and tolerance >= 0):
            problems.append(f"{where}: tolerance_days {tolerance!r}")
            continue
        if "date" not in event:
            continue
        try:
            start, _ = as_interval(event["date"])
        except ValueError as exc:
            problems.append(f"{where}: date {exc}")
            continue
        if event.get("modality") == "asserted" and start > latest + timedelta(tolerance):
            problems.append(f"{where}: asserted but starts {start}, after publication")
    assert problems == [], "\n".join(problems)


@GOLD
def test_evidence_strings_are_verbatim_in_the_article_body(gold_path: Path) -> None:
    gold = load_gold(gold_path)
    body = fold(body_of(gold_path))
    problems = []
    for section in ("events", "claims"):
        for n, item in enumerate(gold[section]):
            evidence = fold(str(item.get("evidence", "")))
            if not evidence or evidence not in body:
                problems.append(f"{section}[{n}] ({item.get('id', '')}): {evidence!r}")
    assert problems == [], "evidence not found in the body:\n" + "\n".join(problems)


@GOLD
def test_quotes_name_a_speaker_code_and_start_where_the_article_opens_a_quote(
    gold_path: Path,
) -> None:
    spans = quoted_spans(body_of(gold_path))
    problems = []
    for quote in load_gold(gold_path)["quotes"]:
        start = fold(str(quote.get("text_startswith", "")))
        if unknown := set(quote) - QUOTE_KEYS:
            problems.append(f"quote {start!r}: unknown keys {sorted(unknown)}")
        if not ACTOR_CODE.match(str(quote.get("speaker_actor"))):
            problems.append(f"quote {start!r}: speaker_actor {quote.get('speaker_actor')!r}")
        if not quote.get("speaker"):
            problems.append(f"quote {start!r}: no speaker")
        if not start or not any(span.startswith(start) for span in spans):
            problems.append(f"quote {start!r}: no quotation in the body starts so")
    assert problems == [], "\n".join(problems)


@GOLD
def test_every_quotation_in_the_body_is_annotated(gold_path: Path) -> None:
    starts = [fold(str(q.get("text_startswith", ""))) for q in load_gold(gold_path)["quotes"]]
    missing = [
        span
        for span in quoted_spans(body_of(gold_path))
        if not any(start and span.startswith(start) for start in starts)
    ]
    assert missing == [], f"quotations with no gold quote: {missing}"


@GOLD
def test_claims_use_the_gold_format_vocabulary(gold_path: Path) -> None:
    problems = []
    for n, claim in enumerate(load_gold(gold_path)["claims"]):
        where = f"claims[{n}]"
        if unknown := set(claim) - CLAIM_KEYS:
            problems.append(f"{where}: unknown keys {sorted(unknown)}")
        kind = claim.get("kind")
        if kind not in CLAIM_KINDS:
            problems.append(f"{where}: kind {kind!r}")
        if claim.get("about") not in EVENT_TYPES:
            problems.append(f"{where}: about {claim.get('about')!r}")
        for role in ("actor", "target"):
            if role in claim and not ACTOR_CODE.match(str(claim[role])):
                problems.append(f"{where}: {role} {claim[role]!r} is not a code")
        if kind == "first_since":
            since = claim.get("since")
            text = since.isoformat() if isinstance(since, date) else str(since)
            if not SINCE.match(text):
                problems.append(f"{where}: since {since!r} is not a year, month or date")
        elif not (isinstance(claim.get("value"), int) and claim["value"] > 0):
            problems.append(f"{where}: {kind} needs a positive integer value")
        if "period" in claim:
            try:
                as_interval(claim["period"])
            except ValueError as exc:
                problems.append(f"{where}: period {exc}")
    assert problems == [], "\n".join(problems)
