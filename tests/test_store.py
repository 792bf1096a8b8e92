"""The Store: round trips, idempotent saves, re-extraction, filters, prefix lookup, errors.

Every record is built by hand; the sentences are written for these tests. The tests that take
the ``url`` fixture run on SQLite, and on PostgreSQL as well when WATCHFLOOR_TEST_POSTGRES is set.
"""

from __future__ import annotations

import importlib.util
import time
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta, timezone
from pathlib import Path

import pytest
from sqlalchemy import text

from watchfloor.errors import WatchfloorError
from watchfloor.records import (
    ActorMention,
    Claim,
    Document,
    EventMention,
    Extraction,
    Provenance,
    Quote,
    Rejection,
    Sentence,
    TimeExpression,
    WeaponMention,
)
from watchfloor.store import Store, create_store_engine, db

PACK = "a" * 64
OTHER_PACK = "b" * 64
VERSION = "0.1.0"

TEXT_A = (
    "SEOUL, Aug. 30 - The North launched an intermediate-range missile on Tuesday, the "
    "military in Seoul said. Washington called the test reckless and urged restraint."
)
TEXT_B = "TOKYO - Pyongyang tested a long-range missile in July, officials here said on Friday."


def make_doc(text: str, **fields: object) -> Document:
    return Document(id=Document.make_id(text), text=text, source="fixtures/hand.txt", **fields)  # type: ignore[arg-type]


def prov(
    doc_id: str, sentence: int = 0, start: int = 0, end: int = 4, **fields: object
) -> Provenance:
    values: dict[str, object] = {
        "extractor": "extract.events",
        "version": VERSION,
        "pack_sha256": PACK,
        "confidence": 0.8,
    }
    values.update(fields)
    return Provenance(doc_id, sentence, start, end, **values)  # type: ignore[arg-type]


def make_event(doc_id: str, event_id: str, **fields: object) -> EventMention:
    values: dict[str, object] = {
        "type": "weapon_test",
        "actor": "PRK",
        "target": None,
        "modality": "asserted",
        "trigger": "launched",
        "prov": prov(doc_id),
    }
    values.update(fields)
    return EventMention(id=event_id, **values)  # type: ignore[arg-type]


def full_extraction(doc: Document) -> Extraction:
    """One record of every kind, with every optional field set and some left empty."""
    d = doc.id
    return Extraction(
        doc_id=d,
        sentences=[
            Sentence(index=0, start=0, end=96, text=doc.text[:96]),
            Sentence(index=1, start=97, end=len(doc.text), text=doc.text[97:]),
        ],
        actors=[
            ActorMention("The North", "PRK", "North Korea", "state", prov(d, 0, 16, 25)),
            ActorMention(
                "Washington",
                "USA",
                "United States",
                "state",
                prov(d, 1, 97, 107, confidence=0.1 + 0.2),
            ),
        ],
        weapons=[
            WeaponMention(
                "intermediate-range missile", None, ("IRBM",), 1, prov(d, 0, 38, 64, extractor="w")
            ),
            WeaponMention("the test", None, (), None, prov(d, 1, 119, 127)),
        ],
        times=[
            TimeExpression(
                "Tuesday", date(2017, 8, 29), date(2017, 8, 29), "day", prov(d, 0, 68, 75)
            ),
            TimeExpression("lately", None, None, "unknown", prov(d, 1, 100, 106)),
        ],
        events=[
            make_event(
                d,
                "ev_00a1",
                weapon="Hwasong-12",
                weapon_class=("IRBM", "ballistic"),
                location="Sunan",
                date_start=date(2017, 8, 29),
                date_end=date(2017, 8, 29),
                granularity="day",
                date_text="Tuesday",
                count=1,
                stance="hostile",
                status="done",
                participants=("PRK", "KOR"),
                sentences=(0, 1),
                evidence="The North launched a missile, Seoul said — «quoted»",
                prov=prov(d, 0, 16, 75, confidence=1.0),
            ),
            make_event(d, "ev_00a2", type="appeal", actor="USA", target="PRK", modality="desired"),
        ],
        quotes=[
            Quote("q_1", "reckless", "Washington", "USA", "KCNA", prov(d, 1, 115, 123)),
            Quote("q_2", "urged restraint", None, None, None, prov(d, 1, 128, 143)),
        ],
        claims=[
            Claim(
                "c_1",
                "first_since",
                "weapon_test",
                "PRK",
                "first launch since May",
                prov(d, 0),
                target="JPN",
                value=3,
                since="2017-05-14",
                period_start=date(2017, 1, 1),
                period_end=date(2017, 12, 31),
            ),
            Claim("c_2", "count", "weapon_test", None, "a third test", prov(d, 0)),
        ],
    )


def peek(url: str, sql: str, **params: object) -> list[tuple[object, ...]]:
    """Read straight from the database, past the Store."""
    engine = create_store_engine(url)
    try:
        with engine.connect() as conn:
            return [tuple(row) for row in conn.execute(text(sql), params)]
    finally:
        engine.dispose()


def rows_per_table(url: str, doc_id: str) -> dict[str, int]:
    tables = (
        "sentences",
        "actor_mentions",
        "weapon_mentions",
        "time_expressions",
        "event_mentions",
        "event_weapon_classes",
        "quotes",
        "claims",
        "extraction_runs",
    )
    return {
        t: int(peek(url, f"SELECT count(*) FROM {t} WHERE doc_id = :d", d=doc_id)[0][0])  # type: ignore[call-overload]
        for t in tables
    }


# The ``url`` fixture is in conftest.py.
@pytest.fixture
def store(url: str) -> Iterator[Store]:
    with Store.open(url) as s:
        yield s


# -- round trips ---------------------------------------------------------------------------


def test_document_round_trip_keeps_offset_and_every_field(store: Store) -> None:
    seoul = timezone(timedelta(hours=9))
    doc = make_doc(
        TEXT_A,
        title="Missile test — “again”",
        url="https://example.org/a?x=1",
        outlet="Example Wire",
        published=datetime(2017, 8, 30, 6, 57, 12, 345, tzinfo=seoul),
        dateline="SEOUL",
        tz="Asia/Seoul",
        language="en",
        fetched=datetime(2017, 8, 30, 1, 0, tzinfo=UTC),
    )
    assert store.save_document(doc) is True
    got = store.document(doc.id)
    assert got == doc
    assert got is not None and got.published is not None
    assert got.published.utcoffset() == timedelta(hours=9)


def test_document_round_trip_keeps_naive_time_naive_and_nones(store: Store) -> None:
    doc = make_doc(TEXT_B, published=datetime(2017, 7, 4, 9, 40))
    store.save_document(doc)
    got = store.document(doc.id)
    assert got == doc
    assert got is not None and got.published is not None and got.published.tzinfo is None


def test_naive_published_is_sorted_in_the_dateline_zone(store: Store, url: str) -> None:
    doc = make_doc(TEXT_B, published=datetime(2017, 7, 4, 9, 0), tz="Asia/Tokyo")
    store.save_document(doc)
    assert peek(url, "SELECT published_utc FROM documents") == [
        ("2017-07-04T00:00:00.000000+00:00",)
    ]


def test_extraction_round_trip_is_exact_for_every_record_type(store: Store) -> None:
    doc = make_doc(TEXT_A)
    extraction = full_extraction(doc)
    store.save(doc, extraction, version=VERSION, pack_sha256=PACK)
    assert store.extraction(doc.id) == extraction
    assert store.sentences(doc.id) == extraction.sentences
    assert store.events(doc_id=doc.id) == extraction.events
    assert store.quotes(doc_id=doc.id) == extraction.quotes
    assert store.claims(doc_id=doc.id) == extraction.claims


def test_rejection_round_trip_and_same_rejection_is_stored_once(store: Store) -> None:
    first = Rejection(source="inbox/photo.jpg", code="W106", reason="unsupported file type")
    second = Rejection(source="inbox/empty.html", code="W102", reason="no article text")
    store.save_rejection(first)
    store.save_rejection(second)
    store.save_rejection(first)
    assert store.rejections() == [first, second]
    assert store.counts()["rejections"] == 2


def test_extraction_of_never_extracted_document_is_none(store: Store) -> None:
    doc = make_doc(TEXT_A)
    store.save_document(doc)
    assert store.extraction(doc.id) is None
    assert store.document("0" * 32) is None


def test_data_survives_close_and_reopen(url: str) -> None:
    doc = make_doc(TEXT_A)
    with Store.open(url) as s:
        s.save(doc, full_extraction(doc), version=VERSION, pack_sha256=PACK)
    with Store.open(url) as s:
        assert s.document(doc.id) == doc
        assert s.extraction(doc.id) == full_extraction(doc)


# -- idempotence and replacement -----------------------------------------------------------


def test_saving_a_document_twice_stores_it_once(store: Store) -> None:
    doc = make_doc(TEXT_A)
    assert store.save_document(doc) is True
    assert store.save_document(doc) is False
    assert store.has_document(doc.id)
    assert store.counts()["documents"] == 1


def test_saving_the_same_extraction_twice_writes_nothing(store: Store, url: str) -> None:
    doc = make_doc(TEXT_A)
    store.save_document(doc)
    store.save_extraction(full_extraction(doc), version=VERSION, pack_sha256=PACK)
    before = store.counts()
    stamp = peek(url, "SELECT finished_at FROM extraction_runs")
    store.save_extraction(full_extraction(doc), version=VERSION, pack_sha256=PACK)
    assert peek(url, "SELECT finished_at FROM extraction_runs") == stamp
    assert store.counts() == before
    assert store.extraction(doc.id) == full_extraction(doc)


def test_reextraction_with_new_version_replaces_old_rows(store: Store) -> None:
    doc = make_doc(TEXT_A)
    store.save(doc, full_extraction(doc), version=VERSION, pack_sha256=PACK)
    newer = Extraction(
        doc_id=doc.id, events=[make_event(doc.id, "ev_new", prov=prov(doc.id, version="0.2.0"))]
    )
    store.save_extraction(newer, version="0.2.0", pack_sha256=PACK)
    assert store.extraction(doc.id) == newer
    assert store.is_extracted(doc.id, "0.2.0", PACK)
    assert not store.is_extracted(doc.id, VERSION, PACK)
    counts = store.counts()
    assert (counts["event_mentions"], counts["event_weapon_classes"], counts["sentences"]) == (
        1,
        0,
        0,
    )
    assert counts["extraction_runs"] == 1


def test_reextraction_with_same_version_but_new_content_replaces(store: Store) -> None:
    doc = make_doc(TEXT_A)
    store.save(doc, full_extraction(doc), version=VERSION, pack_sha256=PACK)
    changed = full_extraction(doc)
    changed.events = changed.events[:1]
    store.save_extraction(changed, version=VERSION, pack_sha256=PACK)
    assert store.events(doc_id=doc.id) == changed.events


def test_is_extracted_needs_both_version_and_pack(store: Store) -> None:
    doc = make_doc(TEXT_A)
    assert not store.is_extracted(doc.id, VERSION, PACK)
    store.save(doc, Extraction(doc_id=doc.id), version=VERSION, pack_sha256=PACK)
    assert store.is_extracted(doc.id, VERSION, PACK)
    assert not store.is_extracted(doc.id, VERSION, OTHER_PACK)
    assert store.extracted_ids(VERSION, PACK) == {doc.id}
    assert store.extracted_ids(VERSION, OTHER_PACK) == set()


# -- errors roll back the failing document only ----------------------------------------------


def test_extraction_of_unstored_document_is_refused(store: Store) -> None:
    doc = make_doc(TEXT_A)
    with pytest.raises(WatchfloorError) as err:
        store.save_extraction(full_extraction(doc), version=VERSION, pack_sha256=PACK)
    assert err.value.code == "W401"
    assert "save_document" in err.value.message
    assert store.counts()["event_mentions"] == 0


def test_failing_document_is_rolled_back_and_earlier_ones_kept(store: Store, url: str) -> None:
    good, bad = make_doc(TEXT_A), make_doc(TEXT_B)
    store.save(good, full_extraction(good), version=VERSION, pack_sha256=PACK)
    broken = Extraction(
        doc_id=bad.id,
        events=[make_event(bad.id, "ev_b1", prov=prov(bad.id))],
        # Two sentences with one index: the second insert breaks the primary key mid-way.
        sentences=[Sentence(0, 0, 5, "TOKYO"), Sentence(0, 6, 10, "again")],
    )
    with pytest.raises(WatchfloorError) as err:
        store.save(bad, broken, version=VERSION, pack_sha256=PACK)
    assert err.value.code == "W401"
    assert "rolled back" in err.value.message
    assert not store.has_document(bad.id)
    assert set(rows_per_table(url, bad.id).values()) == {0}
    assert store.extraction(good.id) == full_extraction(good)


def test_failed_reextraction_keeps_the_previous_extraction(store: Store) -> None:
    doc = make_doc(TEXT_A)
    store.save(doc, full_extraction(doc), version=VERSION, pack_sha256=PACK)
    broken = Extraction(doc_id=doc.id, sentences=[Sentence(3, 0, 1, "S"), Sentence(3, 1, 2, "E")])
    with pytest.raises(WatchfloorError):
        store.save_extraction(broken, version="0.2.0", pack_sha256=PACK)
    assert store.extraction(doc.id) == full_extraction(doc)
    assert store.is_extracted(doc.id, VERSION, PACK)


def test_record_from_another_document_is_refused(store: Store) -> None:
    doc, other = make_doc(TEXT_A), make_doc(TEXT_B)
    store.save_document(doc)
    stray = Extraction(doc_id=doc.id, events=[make_event(other.id, "ev_x", prov=prov(other.id))])
    with pytest.raises(WatchfloorError, match=other.id):
        store.save_extraction(stray, version=VERSION, pack_sha256=PACK)
    assert store.counts()["event_mentions"] == 0


def test_save_refuses_extraction_of_another_document(store: Store) -> None:
    doc, other = make_doc(TEXT_A), make_doc(TEXT_B)
    with pytest.raises(WatchfloorError, match="its own extraction"):
        store.save(doc, Extraction(doc_id=other.id), version=VERSION, pack_sha256=PACK)
    assert not store.has_document(doc.id)


def test_unwritable_folder_is_a_w401_naming_the_url(tmp_path: Path) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where a folder should be")
    url = f"sqlite:///{blocker / 'sub' / 'db.sqlite'}"
    with pytest.raises(WatchfloorError) as err:
        Store.open(url)
    assert err.value.code == "W401"
    assert url in err.value.message and "WATCHFLOOR_DB" in err.value.message


def test_unknown_backend_is_a_w203(tmp_path: Path) -> None:
    with pytest.raises(WatchfloorError) as err:
        Store.open("nosuchdb://somewhere/db")
    assert err.value.code == "W203"


def test_missing_driver_error_hides_the_password() -> None:
    if importlib.util.find_spec("pg8000") is not None:
        pytest.skip("pg8000 is installed; the missing-driver path cannot be reached")
    with pytest.raises(WatchfloorError) as err:
        Store.open("postgresql+pg8000://analyst:hunter2@localhost/watchfloor")
    assert err.value.code == "W203"
    assert "hunter2" not in str(err.value) and "analyst" in str(err.value)


# -- reading documents ---------------------------------------------------------------------


def test_documents_come_in_ingest_order_across_pages(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(db, "PAGE_SIZE", 2)
    docs = [make_doc(f"Hand-written article number {i} about a launch.") for i in range(5)]
    for doc in docs:
        store.save_document(doc)
    assert list(store.documents()) == docs


def test_documents_by_ids_keep_given_order_and_skip_unknown(store: Store) -> None:
    docs = [make_doc(f"Hand-written article number {i} about talks.") for i in range(3)]
    for doc in docs:
        store.save_document(doc)
    wanted = [docs[2].id, "f" * 32, docs[0].id, docs[2].id]
    assert list(store.documents(ids=iter(wanted))) == [docs[2], docs[0]]


# -- filters -------------------------------------------------------------------------------


@pytest.fixture
def filled(store: Store) -> Store:
    a, b = make_doc(TEXT_A), make_doc(TEXT_B)
    pa, pb = prov(a.id), prov(b.id)
    store.save(
        a,
        Extraction(
            doc_id=a.id,
            events=[
                make_event(
                    a.id,
                    "ev_3fa1",
                    prov=pa,
                    weapon="Hwasong-12",
                    weapon_class=("IRBM",),
                    date_start=date(2017, 8, 29),
                    date_end=date(2017, 8, 29),
                ),
                make_event(
                    a.id,
                    "ev_3fb2",
                    prov=pa,
                    type="threaten",
                    target="USA",
                    modality="hypothetical",
                    date_start=date(2017, 8, 9),
                ),
                make_event(
                    a.id,
                    "ev_77c3",
                    prov=pa,
                    type="sanction",
                    actor="UNSC",
                    target="PRK",
                    date_start=date(2017, 9, 1),
                    date_end=date(2017, 9, 30),
                    granularity="month",
                ),
                make_event(a.id, "ev_77d4", prov=pa, type="meeting", actor="USA", target="KOR"),
            ],
            quotes=[Quote("q_a", "reckless", "the spokesman", "USA", None, pa)],
            claims=[Claim("c_a", "ordinal", "weapon_test", "PRK", "third test", pa, value=3)],
        ),
        version=VERSION,
        pack_sha256=PACK,
    )
    store.save(
        b,
        Extraction(
            doc_id=b.id,
            events=[
                make_event(
                    b.id,
                    "ev_9e05",
                    prov=pb,
                    weapon="Hwasong-14",
                    weapon_class=("ICBM", "ballistic"),
                    date_start=date(2017, 7, 4),
                ),
            ],
            quotes=[Quote("q_b", "a gift", "Kim", "PRK", "KCNA", pb)],
        ),
        version=VERSION,
        pack_sha256=PACK,
    )
    return store


def ids(events: list[EventMention]) -> list[str]:
    return [e.id for e in events]


def test_events_unfiltered_are_in_date_order_with_undated_last(filled: Store) -> None:
    assert ids(filled.events()) == ["ev_9e05", "ev_3fb2", "ev_3fa1", "ev_77c3", "ev_77d4"]


def test_events_filter_by_actor_target_type_modality(filled: Store) -> None:
    assert ids(filled.events(actor="PRK")) == ["ev_9e05", "ev_3fb2", "ev_3fa1"]
    assert ids(filled.events(target="PRK")) == ["ev_77c3"]
    assert ids(filled.events(type="meeting")) == ["ev_77d4"]
    assert ids(filled.events(modality="hypothetical")) == ["ev_3fb2"]
    assert ids(filled.events(actor="PRK", modality="asserted")) == ["ev_9e05", "ev_3fa1"]


def test_events_filter_by_weapon_and_weapon_class(filled: Store) -> None:
    assert ids(filled.events(weapon="Hwasong-12")) == ["ev_3fa1"]
    assert ids(filled.events(weapon_class="ICBM")) == ["ev_9e05"]
    assert ids(filled.events(weapon_class="ballistic")) == ["ev_9e05"]
    assert filled.events(weapon_class="icbm") == []


def test_events_date_range_keeps_overlapping_intervals(filled: Store) -> None:
    assert ids(filled.events(date_from=date(2017, 9, 15))) == ["ev_77c3"]
    assert ids(filled.events(date_to=date(2017, 8, 10))) == ["ev_9e05", "ev_3fb2"]
    window = filled.events(date_from=date(2017, 8, 1), date_to=date(2017, 8, 31))
    assert ids(window) == ["ev_3fb2", "ev_3fa1"]


def test_events_filter_by_document_and_limit(filled: Store) -> None:
    b = make_doc(TEXT_B)
    assert ids(filled.events(doc_id=b.id)) == ["ev_9e05"]
    assert ids(filled.events(limit=2)) == ["ev_9e05", "ev_3fb2"]


def test_quotes_and_claims_filters(filled: Store) -> None:
    assert [q.id for q in filled.quotes(speaker_actor="PRK")] == ["q_b"]
    assert [q.id for q in filled.quotes(doc_id=make_doc(TEXT_A).id)] == ["q_a"]
    assert [c.id for c in filled.claims()] == ["c_a"]
    assert filled.claims(doc_id=make_doc(TEXT_B).id) == []


def test_counts_name_every_table(filled: Store) -> None:
    counts = filled.counts()
    assert counts["documents"] == 2 and counts["event_mentions"] == 5
    assert counts["event_weapon_classes"] == 3 and counts["extraction_runs"] == 2
    assert counts["rejections"] == 0 and "time_expressions" in counts


# -- event lookup by id or prefix ----------------------------------------------------------


def test_event_by_full_id_and_unique_prefix(filled: Store) -> None:
    full = filled.event("ev_9e05")
    assert full is not None and full.weapon == "Hwasong-14"
    by_prefix = filled.event("ev_3fa")
    assert by_prefix is not None and by_prefix.id == "ev_3fa1"


def test_event_ambiguous_prefix_asks_for_more(filled: Store) -> None:
    with pytest.raises(WatchfloorError, match="more characters"):
        filled.event("ev_3f")


def test_event_unknown_or_wildcard_prefix_is_none(filled: Store) -> None:
    assert filled.event("ev_000") is None
    assert filled.event("ev%") is None  # LIKE wildcards are escaped, not obeyed
    assert filled.event("ev_3_a") is None
    assert filled.event("EV_3FA") is None  # case counts, on SQLite as on PostgreSQL
    assert filled.event("") is None


# -- speed: the pipeline must reach 50+ articles/s, the store alone must be far quicker -----


def test_saving_documents_with_extractions_is_well_over_fifty_per_second(
    store: Store, url: str
) -> None:
    if not url.startswith("sqlite"):
        # A speed bound belongs in the bench (make bench), not in a test; this one predates
        # that rule and holds SQLite's store to it. A server's round trips are not measured
        # against it.
        pytest.skip("timed against SQLite only")
    docs = [make_doc(f"{TEXT_A} Copy {i}.") for i in range(60)]
    extractions = []
    for doc in docs:
        x = full_extraction(doc)
        x.events = x.events * 5
        x.actors = x.actors * 10
        extractions.append(x)
    start = time.perf_counter()
    for doc, x in zip(docs, extractions, strict=True):
        store.save(doc, x, version=VERSION, pack_sha256=PACK)
    elapsed = time.perf_counter() - start
    # 60 documents in 1.2 s is 50/s; the store alone runs many times faster than that.
    assert elapsed < 1.2, f"saving 60 documents took {elapsed:.2f}s"
