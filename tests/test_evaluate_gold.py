from __future__ import annotations

import shutil
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from watchfloor.errors import WatchfloorError
from watchfloor.evaluate.gold import corpus_sha256, find_gold_files, load_gold
from watchfloor.evaluate.score import EvidenceIndex

FIXTURES = Path(__file__).parent / "fixtures" / "evaluate" / "corpus"
REAL = Path(__file__).resolve().parents[2] / "shared" / "corpus" / "real"

MINIMAL = """\
document:
  file: a.txt
  published: 2024-03-05T06:00:00Z
  language: en
events:
  - id: e1
    type: weapon_test
    actor: PRK
    modality: asserted
    evidence: "fired a missile"
"""


def write_gold(tmp_path: Path, text: str, article: str = "a.txt") -> Path:
    (tmp_path / article).write_text("North Korea fired a missile.\n", encoding="utf-8")
    gold = tmp_path / "a.gold.yaml"
    gold.write_text(text, encoding="utf-8")
    return gold


def load_error(tmp_path: Path, text: str) -> str:
    with pytest.raises(WatchfloorError) as info:
        load_gold(write_gold(tmp_path, text))
    assert info.value.code == "W501"
    return info.value.message


def test_fixture_gold_keeps_every_shape_of_value() -> None:
    doc = load_gold(FIXTURES / "harbour-launch.gold.yaml")
    assert doc.file == FIXTURES / "harbour-launch.txt"
    assert doc.published == datetime(2024, 3, 5, 6, 0, tzinfo=UTC)
    assert (doc.outlet, doc.url) == ("Harbour Wire", None)
    e1, e2, e3, e4, e5 = doc.events
    assert (e1.weapon_class, e1.count, e1.tolerance_days) == (("SRBM",), 2, 1)
    assert e1.date_start == e1.date_end == date(2024, 3, 5)
    assert e2.tolerance_days == 0 and e2.stance == "condemnation"
    assert e3.weapon_class == ("nuclear",) and e3.date_start is None and e3.target is None
    assert e4.location == "Seoul"
    assert (e5.date_start, e5.date_end) == (date(2023, 1, 1), date(2023, 12, 31))
    ordinal, first = doc.claims
    assert (ordinal.value, ordinal.period_start) == (3, date(2024, 1, 1))
    assert (first.kind, first.since, first.value) == ("first_since", "2023-11", None)
    assert [q.speaker_actor for q in doc.quotes] == ["JPN", "KOR"]


def test_bare_published_date_is_midnight_utc() -> None:
    doc = load_gold(FIXTURES / "ferry-timetable.gold.yaml")
    assert doc.published == datetime(2024, 2, 12, tzinfo=UTC)
    assert doc.events == () and doc.quotes == () and doc.claims == ()


def test_quoted_published_time_keeps_its_offset(tmp_path: Path) -> None:
    text = MINIMAL.replace("2024-03-05T06:00:00Z", '"2024-03-05T15:00:00+09:00"')
    doc = load_gold(write_gold(tmp_path, text))
    assert doc.published == datetime(2024, 3, 5, 6, 0, tzinfo=UTC)
    assert doc.published.utcoffset() is not None


def test_integer_since_becomes_a_year_string(tmp_path: Path) -> None:
    text = MINIMAL + (
        "claims:\n  - {kind: first_since, about: weapon_test, actor: PRK, since: 2017,"
        " evidence: x}\n"
    )
    assert load_gold(write_gold(tmp_path, text)).claims[0].since == "2017"


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (("modality: asserted", "modality: asserterd"), "events[0] (id e1): key 'modality'"),
        (("type: weapon_test", "type: launch"), "key 'type': 'launch' is not one of"),
        (("actor: PRK", "actor: PRK\n    tolerence_days: 1"), "unknown key 'tolerence_days'"),
        (("actor: PRK", "actor: PRK\n    weapon_class: [ICBM, rocket]"), "'rocket' is not one"),
        (("actor: PRK", "actor: PRK\n    date: [2024-03-05, 2024-03-01]"), "ends (2024-03-01)"),
        (("actor: PRK", "actor: PRK\n    date: 5 March"), "key 'date': '5 March' is not a date"),
        (("actor: PRK", "actor: PRK\n    actor: USA"), "key 'actor' appears twice"),
        (("actor: PRK", "actor: PRK\n    tolerance_days: -1"), "'tolerance_days'"),
        (("2024-03-05T06:00:00Z", "2024-03-05T06:00:00"), "has no offset"),
        (("file: a.txt", "file: b.txt"), "article 'b.txt' not found"),
        (('evidence: "fired a missile"', "evidence: ''"), "key 'evidence' is missing"),
    ],
)
def test_bad_gold_names_the_entry_and_key(
    tmp_path: Path, change: tuple[str, str], expected: str
) -> None:
    assert expected in load_error(tmp_path, MINIMAL.replace(*change))


def test_duplicate_event_ids_are_refused(tmp_path: Path) -> None:
    entry = MINIMAL[MINIMAL.index("  - id: e1") :]
    assert "id 'e1' is used twice" in load_error(tmp_path, MINIMAL + entry)


def test_first_since_claim_without_since_is_refused(tmp_path: Path) -> None:
    text = (
        MINIMAL + "claims:\n  - {kind: first_since, about: weapon_test, actor: PRK, evidence: x}\n"
    )
    assert "claims[0]: key 'since' is required" in load_error(tmp_path, text)


def test_missing_events_section_is_refused(tmp_path: Path) -> None:
    text = MINIMAL[: MINIMAL.index("events:")]
    assert "no 'events' section" in load_error(tmp_path, text)


def test_find_gold_files_is_sorted_and_refuses_an_empty_folder(tmp_path: Path) -> None:
    assert [p.name for p in find_gold_files(FIXTURES)] == [
        "ferry-timetable.gold.yaml",
        "harbour-launch.gold.yaml",
    ]
    with pytest.raises(WatchfloorError) as info:
        find_gold_files(tmp_path)
    assert info.value.code == "W502"


def test_corpus_sha_follows_bytes_and_names_not_location(tmp_path: Path) -> None:
    first = tmp_path / "one"
    shutil.copytree(FIXTURES, first)
    moved = tmp_path / "two"
    shutil.copytree(FIXTURES, moved)
    assert corpus_sha256(first) == corpus_sha256(moved) == corpus_sha256(FIXTURES)

    article = moved / "ferry-timetable.txt"
    article.write_text(article.read_text(encoding="utf-8") + " ", encoding="utf-8")
    assert corpus_sha256(moved) != corpus_sha256(first)


@pytest.fixture(scope="module")
def real_gold_files() -> list[Path]:
    if not REAL.is_dir():
        pytest.skip(f"{REAL} is absent")
    return find_gold_files(REAL)


def test_every_real_gold_file_loads(real_gold_files: list[Path]) -> None:
    docs = [load_gold(p) for p in real_gold_files]
    assert len(docs) == len(real_gold_files) > 0
    assert all(d.file.is_file() and d.published.tzinfo is not None for d in docs)


def test_seed_article_evidence_is_found_in_its_text(real_gold_files: list[Path]) -> None:
    seeds = [p for p in real_gold_files if load_gold(p).file.suffix == ".txt"]
    if not seeds:
        pytest.skip("no plain-text article in the real corpus")
    for path in seeds:
        doc = load_gold(path)
        index = EvidenceIndex(doc.file.read_text(encoding="utf-8"))
        missing = [e.id for e in doc.events if not index.spans(e.evidence)]
        missing += [f"claim {c.evidence}" for c in doc.claims if not index.spans(c.evidence)]
        assert missing == [], f"{path.name}: evidence not found for {missing}"
