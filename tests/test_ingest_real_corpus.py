"""Ingest over the real articles in ../shared/corpus/real: every gold evidence string, quote
opening and claim evidence must be found in the cleaned text (white space folded, curly quotes
made straight, as GOLD_FORMAT.md compares them). The articles are read at run time and never
copied; the module skips when the folder is absent."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
import yaml

from watchfloor.ingest import Ingester
from watchfloor.records import Document
from watchfloor.settings import Settings

REAL = Path(__file__).resolve().parents[2] / "shared" / "corpus" / "real"
DATELINES = {"SEOUL": "Asia/Seoul", "WASHINGTON": "America/New_York", "TOKYO": "Asia/Tokyo"}
_STRAIGHT = str.maketrans({"‘": "'", "’": "'", "“": '"', "”": '"'})
_SPACE = re.compile(r"\s+")

pytestmark = pytest.mark.skipif(not REAL.is_dir(), reason=f"{REAL} is absent")


def fold(text: str) -> str:
    return _SPACE.sub(" ", text.translate(_STRAIGHT)).strip()


def gold_files() -> list[Path]:
    return sorted(REAL.glob("*.gold.yaml")) if REAL.is_dir() else []


@pytest.fixture(scope="module")
def ingester() -> Ingester:
    return Ingester(Settings(), DATELINES)


def ingest_as_evaluator(ingester: Ingester, gold: dict[str, Any]) -> Document:
    """As the evaluation does: the article file with the gold's published, url and title."""
    document = gold["document"]
    path = REAL / document["file"]
    meta = {k: document[k] for k in ("published", "url", "title") if k in document}
    result = ingester.ingest_file(path, meta=meta)
    assert isinstance(result, Document), result
    return result


def wanted_strings(gold: dict[str, Any]) -> list[str]:
    found = [e.get("evidence") for e in gold.get("events") or []]
    found += [c.get("evidence") for c in gold.get("claims") or []]
    found += [q.get("text_startswith") for q in gold.get("quotes") or []]
    return [s for s in found if isinstance(s, str) and s.strip()]


@pytest.mark.parametrize("gold_path", gold_files(), ids=lambda p: p.name[:40])
def test_every_gold_string_is_in_the_cleaned_text(ingester: Ingester, gold_path: Path) -> None:
    gold = yaml.safe_load(gold_path.read_text(encoding="utf-8"))
    doc = ingest_as_evaluator(ingester, gold)
    text = fold(doc.text)
    missing = [s for s in wanted_strings(gold) if fold(s) not in text]
    assert missing == []


def test_html_pages_give_dateline_time_and_outlet(ingester: Ingester) -> None:
    docs = [
        r for r in ingester.ingest_paths(sorted(REAL.glob("*.html"))) if isinstance(r, Document)
    ]
    assert len(docs) == len(list(REAL.glob("*.html")))
    for doc in docs:
        assert doc.published is not None and doc.published.utcoffset() is not None, doc.source
        assert doc.language == "en", doc.source
        # Page furniture that the gold format rules out must be gone.
        assert "Editing by" not in doc.text and "reporting by" not in doc.text.lower()
        assert not re.match(r"[A-Z]{3,}[ /]", doc.text), doc.source  # dateline stripped
    reuters = [d for d in docs if d.url and "reuters.com" in d.url]
    assert reuters and all(d.outlet == "Reuters" for d in reuters)
    assert sum(1 for d in docs if d.dateline == "SEOUL") >= 3


def test_plain_text_seed_drops_headline_and_photo_credit(ingester: Ingester) -> None:
    for path in sorted(REAL.glob("*.txt")):
        [result] = ingester.ingest_paths([path])
        assert isinstance(result, Document)
        assert result.title is not None
        first_line = result.text.split("\n", 1)[0]
        assert not first_line.startswith(result.title)
        assert "iStock" not in result.text
