"""Consolidation and reference data in the store: events saved and updated in place, the
change log, near-duplicate links, reference sets imported, replaced and kept whole. Documents
and extractions are built by hand; the texts are written for these tests. SQLite always, and
PostgreSQL too when WATCHFLOOR_TEST_POSTGRES names a database to wipe (as test_store.py)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime, time
from pathlib import Path

import pytest

from watchfloor.consolidate.run import consolidate_store
from watchfloor.errors import WatchfloorError
from watchfloor.pack import Pack
from watchfloor.records import Document, EventMention, Extraction, Provenance, Sentence
from watchfloor.reference.readers import ReferenceRead, ReferenceTest
from watchfloor.store import Store

WIRE = ("SEOUL - North Korea fired an intermediate-range missile early on Sunday from near "
        "Kusong, South Korea's military said, the latest in a string of launches this year. "
        "The missile flew about 700 km before falling into the sea between the peninsula and "
        "Japan, officials said. Japan lodged a protest through its embassy in Beijing. ")


@pytest.fixture
def store(url: str) -> Iterator[Store]:
    with Store.open(url) as s:
        yield s


def doc(text: str, outlet: str, hour: int) -> Document:
    return Document(id=Document.make_id(text), text=text, source=f"{outlet}.txt", outlet=outlet,
                    published=datetime(2017, 5, 14, hour, tzinfo=UTC))


def event(d: Document, n: int, **fields: object) -> EventMention:
    values: dict[str, object] = {
        "type": "weapon_test", "actor": "PRK", "target": None, "modality": "asserted",
        "trigger": "fired", "weapon_class": ("IRBM",), "date_start": date(2017, 5, 14),
        "date_end": date(2017, 5, 14), "granularity": "day", "sentences": (0,),
        "evidence": d.text[:40],
    }
    values.update(fields)
    return EventMention(id=f"ev_{d.id[:6]}_{n}",  # type: ignore[arg-type]
                        prov=Provenance(d.id, 0, 0, 10, "extract.events", "1", "p" * 64, 0.9),
                        **values)


def save(store: Store, d: Document, *events: EventMention, version: str = "1") -> None:
    x = Extraction(doc_id=d.id, sentences=[Sentence(0, 0, len(d.text), d.text)],
                   events=list(events))
    store.save(d, x, version=version, pack_sha256="p" * 64)


def test_consolidating_again_changes_nothing_and_a_new_article_only_its_event(
    store: Store, pack: Pack
) -> None:
    a = doc(WIRE, "Harbour Wire", 1)
    b = doc("TOKYO - Japan's defence ministry said a North Korean missile came down in the "
            "sea on Sunday morning after a flight of half an hour. ", "Pacific Ledger", 3)
    save(store, a, event(a, 0), event(a, 1, type="protest", actor="JPN", target="PRK",
                                     weapon_class=()))
    save(store, b, event(b, 0, weapon_class=()))
    first = consolidate_store(store, pack)
    assert (len(first.diff.created), first.events) == (2, 2)
    launch = next(e for e in store.consolidated_events(type="weapon_test"))
    full = store.consolidated_event(launch.id[:8])
    assert full is not None and len(full.reports) == 2
    assert (full.documents, full.sources, full.status) == (2, 2, "confirmed")

    again = consolidate_store(store, pack)
    assert (again.diff.created, again.diff.updated, again.diff.unchanged) == ([], [], 2)
    log_size = len(store.event_changes())

    c = doc("WASHINGTON - The Pentagon said the missile North Korea launched on Sunday "
            "was an intermediate-range weapon. ", "Capital Desk", 6)
    save(store, c, event(c, 0))
    third = consolidate_store(store, pack)
    assert (third.diff.created, third.diff.updated) == ([], [launch.id])
    changes = store.event_changes()[log_size:]
    assert [(ch["event_id"], ch["change"]) for ch in changes] == [(launch.id, "updated")]
    assert changes[0]["detail"]["fields"]["documents"] == [2, 3]
    assert changes[0]["detail"]["reports_added"] == [[c.id, 0]]


def test_a_syndicated_copy_is_linked_and_counts_as_no_new_source(
    store: Store, pack: Pack
) -> None:
    a = doc(WIRE * 3, "Harbour Wire", 1)
    copy_text = ("Reprinted from Harbour Wire. " + WIRE * 3).replace("about 700 km",
                                                                    "roughly 700 km")
    b = doc(copy_text, "Evening Courier", 4)
    save(store, a, event(a, 0))
    save(store, b, event(b, 0))
    result = consolidate_store(store, pack)
    assert result.copies == 1 and store.document_links() == {
        b.id: (a.id, pytest.approx(store.document_links()[b.id][1]))}
    (launch,) = store.consolidated_events()
    assert (launch.documents, launch.sources, launch.status) == (2, 1, "reported")


def test_reextracting_an_article_moves_its_reports_and_logs_a_removed_event(
    store: Store, pack: Pack
) -> None:
    a = doc(WIRE, "Harbour Wire", 1)
    save(store, a, event(a, 0), event(a, 1, type="protest", actor="JPN", target="PRK",
                                     weapon_class=()))
    consolidate_store(store, pack)
    protest = store.consolidated_events(type="protest")[0]
    # the new version no longer finds the protest
    save(store, a, event(a, 0), version="2")
    result = consolidate_store(store, pack)
    assert result.diff.removed == [protest.id]
    assert store.consolidated_events(type="protest") == []
    removed = [ch for ch in store.event_changes(protest.id) if ch["change"] == "removed"]
    assert removed and removed[0]["detail"]["last"]["type"] == "protest"


def test_a_reference_launch_confirms_the_event(store: Store, pack: Pack) -> None:
    read = ReferenceRead(source="t.csv", format="cns-2026", records=[
        ReferenceTest("t.csv", 40, "missile", date(2017, 5, 13), date(2017, 5, 13),
                      time_utc=time(20, 28), system="Hwasong-12", weapon_class="IRBM"),
    ])
    store.save_reference("cns-2026", read, source="t.csv", sha256="1" * 64)
    a = doc(WIRE, "Harbour Wire", 1)
    save(store, a, event(a, 0))
    consolidate_store(store, pack)
    (launch,) = store.consolidated_events()
    assert launch.reference == ("cns-2026:40",) and launch.status == "confirmed"


def test_reference_sets_are_replaced_whole_and_the_same_file_writes_nothing(
    store: Store,
) -> None:
    rows = [ReferenceTest("t.csv", n, "missile", date(2016, 1, n), date(2016, 1, n))
            for n in (2, 3, 4)]
    read = ReferenceRead(source="t.csv", format="cns-2026", records=rows)
    assert store.save_reference("cns", read, source="t.csv", sha256="1" * 64)
    assert not store.save_reference("cns", read, source="t.csv", sha256="1" * 64)
    assert [r.line for r in store.reference_rows("cns")] == [2, 3, 4]
    fewer = ReferenceRead(source="t2.csv", format="cns-2026", records=rows[:1])
    assert store.save_reference("cns", fewer, source="t2.csv", sha256="2" * 64)
    assert [r.line for r in store.reference_rows("cns")] == [2]
    (kept,) = store.reference_sets()
    assert (kept.name, kept.rows, kept.source) == ("cns", 1, "t2.csv")
    with pytest.raises(WatchfloorError, match=r"W602.*'nuclear'.*stored: cns"):
        store.reference_rows("nuclear")
    assert store.delete_reference("cns") and store.reference_sets() == []


def test_reference_rows_round_trip_every_field(store: Store) -> None:
    row = ReferenceTest("t.csv", 7, "missile", date(2017, 9, 1), date(2017, 9, 30),
                        time_utc=time(21, 57), system="Hwasong-12", weapon_class="IRBM",
                        facility="Sunan", latitude=39.2, longitude=125.7, outcome="failure",
                        apogee_km=770.0, distance_km=3700.0)
    store.save_reference("x", ReferenceRead("t.csv", "cns-2026", [row]), source="t.csv",
                         sha256="3" * 64)
    assert store.reference_rows("x") == [row]


def test_consolidating_an_empty_store_is_fine(store: Store, pack: Pack, tmp_path: Path) -> None:
    result = consolidate_store(store, pack)
    assert (result.documents, result.events, result.diff.created) == (0, 0, [])


def test_stories_relaying_state_media_are_one_source_and_the_act_is_claimed(
    store: Store, pack: Pack
) -> None:
    texts = [("Harbour Wire", "SEOUL - North Korea tested a new engine on Sunday, KCNA said."),
             ("Pacific Ledger", "TOKYO - The North tested a rocket engine on Sunday, the "
                                "Korean Central News Agency reported.")]
    for hour, (outlet, text) in enumerate(texts, 1):
        d = doc(text, outlet, hour)
        save(store, d, event(d, 0, evidence=text))
    consolidate_store(store, pack)
    (test,) = store.consolidated_events()
    assert (test.documents, test.sources, test.status) == (2, 1, "claimed")


def test_a_rebuild_places_reports_as_if_all_came_at_once(store: Store, pack: Pack) -> None:
    texts = ["SEOUL - A launch this month.", "TOKYO - A launch on the 21st.",
             "BEIJING - A launch on the 14th."]
    loose, later, earlier = (doc(t, o, h) for t, o, h in zip(
        texts, ("Harbour Wire", "Pacific Ledger", "Capital Desk"), (1, 2, 3), strict=True))
    # loose first, then the 21st: they become one event; the 14th then cannot join it
    save(store, loose, event(loose, 0, date_start=date(2017, 5, 10), date_end=date(2017, 5, 31),
                             granularity="interval"))
    save(store, later, event(later, 0, date_start=date(2017, 5, 21), date_end=date(2017, 5, 21)))
    consolidate_store(store, pack)
    save(store, earlier, event(earlier, 0))  # 2017-05-14
    consolidate_store(store, pack)

    def groups() -> set[frozenset[str]]:
        return {frozenset(d for d, _ in e.reports) for e in store.consolidated_events()}

    assert groups() == {frozenset({loose.id, later.id}), frozenset({earlier.id})}
    # all at once, the precise reports found the events and the loose one joins the nearest
    result = consolidate_store(store, pack, rebuild=True)
    assert groups() == {frozenset({loose.id, earlier.id}), frozenset({later.id})}
    assert result.diff.updated or result.diff.created
    assert consolidate_store(store, pack, rebuild=True).diff.unchanged == 2


@pytest.mark.parametrize("order", [(0, 1, 2), (2, 1, 0), (1, 2, 0)])
def test_copies_found_article_by_article_are_the_copies_found_at_once(
    store: Store, pack: Pack, order: tuple[int, int, int]
) -> None:
    """Each run sketches only the new articles; the links (a copy of a copy included, linked to
    the earliest) are the ones the batch detection gives over all texts, in any arrival order."""
    from watchfloor.consolidate.neardup import ArticleText, find_near_duplicates

    first = doc(WIRE * 3, "Harbour Wire", 1)
    second = doc(("Reprinted from Harbour Wire. " + WIRE * 3).replace("about 700", "some 700"),
                 "Evening Courier", 2)
    third = doc(second.text.replace("Japan lodged", "Tokyo lodged").replace("early on",
                                                                              "on early"),
                "Valley Times", 3)
    articles = [first, second, third]
    for i in order:
        save(store, articles[i], event(articles[i], 0))
        consolidate_store(store, pack)
    assert store.unsketched_documents() == []
    batch = find_near_duplicates(ArticleText(d.id, d.text, d.published, i)
                                 for i, d in enumerate(articles))
    assert {b.doc_id: (b.original_id, b.similarity) for b in batch} == {
        d: (o, pytest.approx(s, abs=0.0015)) for d, (o, s) in store.document_links().items()}
    assert {o for o, _ in store.document_links().values()} == {first.id}
    assert len(store.document_links()) == 2
    again = consolidate_store(store, pack)
    assert again.links_changed == 0 and again.diff.created == []
