"""Checking stored claims: which act a claim is about, and when not to check it at all.
Documents, events and claims are built by hand; the sentences are written for these tests."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime, time

import pytest

from watchfloor.analyze.checks import check_claims
from watchfloor.consolidate.run import consolidate_store
from watchfloor.pack import Pack
from watchfloor.records import (
    Claim,
    Document,
    EventMention,
    Extraction,
    Provenance,
    Sentence,
)
from watchfloor.reference.readers import ReferenceRead, ReferenceTest
from watchfloor.store import Store

NUCLEAR_DAYS = [(date(2006, 10, 9), time(1, 35)), (date(2009, 5, 25), time(0, 54)),
                (date(2013, 2, 12), time(2, 57)), (date(2016, 1, 6), time(1, 30)),
                (date(2016, 9, 9), time(0, 30))]


@pytest.fixture
def store(url: str) -> Iterator[Store]:
    with Store.open(url) as s:
        rows = [ReferenceTest("n.csv", i + 2, "nuclear", d, d, time_utc=t,
                              weapon_class="nuclear") for i, (d, t) in enumerate(NUCLEAR_DAYS)]
        s.save_reference("nuclear", ReferenceRead("n.csv", "nuclear", rows), source="n.csv",
                         sha256="0" * 64)
        yield s


def store_article(store: Store, sentences: list[str],
                  events: list[tuple[int, str, str, date | None]],
                  claims: list[tuple[int, str, int]]) -> None:
    """sentences; events as (sentence, trigger, modality, day); claims as (sentence,
    evidence words, ordinal value), all nuclear tests by North Korea."""
    text = " ".join(sentences)
    doc = Document(id=Document.make_id(text), text=text, source="t.txt", outlet="Harbour Wire",
                   published=datetime(2016, 9, 9, 6, tzinfo=UTC), tz="Asia/Seoul")
    spans, start = [], 0
    for i, s in enumerate(sentences):
        spans.append(Sentence(i, start, start + len(s), s))
        start += len(s) + 1

    def prov(i: int, a: int = 0, b: int = 0) -> Provenance:
        return Provenance(doc.id, i, spans[i].start + a, spans[i].start + b, "t", "1", "p", 0.8)

    x = Extraction(doc_id=doc.id, sentences=spans, events=[
        EventMention(id=f"ev{n}", type="weapon_test", actor="PRK", target=None,
                     modality=modality, trigger=trigger, prov=prov(i),  # type: ignore[arg-type]
                     weapon_class=("nuclear",), date_start=day, date_end=day,
                     granularity="day" if day else "unknown", sentences=(i,),
                     evidence=sentences[i])
        for n, (i, trigger, modality, day) in enumerate(events)
    ], claims=[
        Claim(id=f"cl{n}", kind="ordinal", about="weapon_test", actor="PRK", evidence=words,
              prov=prov(i, sentences[i].find(words), sentences[i].find(words) + len(words)),
              value=value)
        for n, (i, words, value) in enumerate(claims)
    ])
    store.save(doc, x, version="1", pack_sha256="p" * 64)


def test_a_claim_is_about_the_act_its_sentence_refers_to_not_one_it_compares_with(
    store: Store, pack: Pack
) -> None:
    store_article(store, [
        "North Korea set off a nuclear blast on Friday.",
        "It was the North's fifth nuclear test, after one on Jan. 6.",
    ], events=[(0, "blast", "asserted", date(2016, 9, 9)),
               (1, "one", "asserted", date(2016, 1, 6))],
       claims=[(1, "fifth nuclear test", 5)])
    consolidate_store(store, pack)
    (checked,) = check_claims(store, pack)
    assert checked.check.verdict == "supported", checked.check.reason
    # the act of Jan. 6 and Friday's are known from the table and the article both
    assert [k for k in checked.check.evidence if k.startswith("nuclear:")] == [
        "nuclear:2", "nuclear:3", "nuclear:4", "nuclear:5", "nuclear:6"]


def test_a_claim_about_an_act_not_done_is_not_checked_against_what_happened(
    store: Store, pack: Pack
) -> None:
    store_article(store, ["Analysts said a new blast would be the North's fourth nuclear test."],
                  events=[(0, "blast", "hypothetical", None)],
                  claims=[(0, "fourth nuclear test", 4)])
    consolidate_store(store, pack)
    (checked,) = check_claims(store, pack)
    assert checked.check.verdict == "unverifiable"
    assert "hypothetical" in checked.check.reason


def test_words_after_the_claim_that_narrow_it_make_it_unverifiable(
    store: Store, pack: Pack
) -> None:
    store_article(store, [
        "North Korea set off a nuclear blast on Friday.",
        "It was the fifth nuclear test that had crossed a border, officials said.",
    ], events=[(0, "blast", "asserted", date(2016, 9, 9))],
       claims=[(1, "fifth nuclear test", 5)])
    consolidate_store(store, pack)
    (checked,) = check_claims(store, pack)
    assert checked.check.verdict == "unverifiable" and "crossed" in checked.check.reason


def test_the_api_pages_the_checked_claims_and_filters_them_by_verdict(
    store: Store, pack: Pack, url: str
) -> None:
    from fastapi.testclient import TestClient

    from watchfloor.serve.api import create_app
    from watchfloor.settings import load_settings

    store_article(store, [
        "North Korea set off a nuclear blast on Friday.",
        "It was the North's fifth nuclear test.",
        "Officials called it the sixth nuclear test.",
        "A later report named it the fifth nuclear test again.",
    ], events=[(0, "blast", "asserted", date(2016, 9, 9))],
       claims=[(1, "fifth nuclear test", 5), (2, "sixth nuclear test", 6),
               (3, "fifth nuclear test", 5)])
    consolidate_store(store, pack)
    checked = check_claims(store, pack)
    verdicts = [c.check.verdict for c in checked]
    assert verdicts == ["supported", "contradicted", "supported"]
    with TestClient(create_app(load_settings(db_url=url), pack=pack)) as client:
        whole = client.get("/claims").json()
        assert (whole["limit"], whole["offset"]) == (100, 0)
        assert [c["verdict"] for c in whole["items"]] == verdicts
        second = client.get("/claims", params={"limit": 1, "offset": 1}).json()["items"]
        assert [c["id"] for c in second] == [whole["items"][1]["id"]]
        supported = client.get("/claims", params={"verdict": "supported", "offset": 1})
        assert [c["value"] for c in supported.json()["items"]] == [5]
        rows = client.get("/claims", params={"format": "csv", "limit": 2}).text.splitlines()
        assert rows[0].startswith("id,doc_id,kind") and len(rows) == 3
        assert client.get("/claims", params={"limit": 0}).status_code == 422
