"""The store's service parts (issue 5), on SQLite and PostgreSQL alike: full-text search over
articles, quotes and the sentences that report events; the state of watched feeds; API
tokens kept as hashes."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime

import pytest
from sqlalchemy import select

from watchfloor.consolidate.run import consolidate_store
from watchfloor.errors import WatchfloorError
from watchfloor.pack import Pack
from watchfloor.records import (
    Document,
    EventMention,
    Extraction,
    Provenance,
    Quote,
    Sentence,
)
from watchfloor.store import Store, schema
from watchfloor.store.search import parse

ARTICLES = [
    ("The launches continued", "North Korea launched two Scud missiles from Wonsan on Monday. "
     "Seoul protested the tests.", date(2016, 7, 18), "Quiet talks resumed in Geneva."),
    ("A new engine", "Pyongyang tested a rocket engine at Sohae on Saturday. Officials in Tokyo "
     "urged restraint.", date(2016, 9, 19), "We will respond firmly to any provocation."),
]


@pytest.fixture
def store(url: str, pack: Pack) -> Iterator[Store]:
    with Store.open(url) as store:
        for n, (title, text, day, said) in enumerate(ARTICLES):
            doc = Document(id=Document.make_id(text), text=text, source=f"{n}.txt", title=title,
                           url=f"https://news.example/{n}",
                           published=datetime(2016, 9, 20 + n, tzinfo=UTC))
            first = text.index(".") + 1
            sentences = [Sentence(0, 0, first, text[:first]),
                         Sentence(1, first + 1, len(text), text[first + 1:])]
            prov = Provenance(doc.id, 0, 0, first, "extract.events", "1", "p" * 64, 0.9)
            event = EventMention(id=f"ev_{n}", type="weapon_test", actor="PRK", target=None,
                                 modality="asserted", trigger="launched", prov=prov,
                                 date_start=day, date_end=day, granularity="day",
                                 sentences=(0,), evidence=text[:first])
            qprov = Provenance(doc.id, 1, first + 1, len(text), "extract.quotes", "1",
                               "p" * 64, 0.9)
            quote = Quote(id=f"q_{n}", text=said, speaker="a foreign ministry spokesman",
                          speaker_actor="CHN" if n else "KOR", channel=None, prov=qprov)
            store.save(doc, Extraction(doc.id, sentences, events=[event], quotes=[quote]),
                       version="1", pack_sha256="p" * 64)
        consolidate_store(store, pack)
        yield store


def test_documents_are_found_by_words_phrases_and_exclusions(store: Store) -> None:
    def titles(query: str) -> list[str | None]:
        return [d.title for d in store.search_documents(query)]

    assert titles("Scud") == ["The launches continued"]
    assert titles("launch") == ["The launches continued"]  # stemmed: launch finds launched
    assert titles("engine") == ["A new engine"]  # the title is searched too
    assert titles('"rocket engine"') == ["A new engine"]
    assert titles('"engine rocket"') == []  # a phrase keeps its order
    assert titles("Korea OR Pyongyang") == ["A new engine", "The launches continued"]
    assert titles("missile -Wonsan") == []
    assert titles("restraint Tokyo") == ["A new engine"]
    assert titles("restraint Wonsan") == []
    assert titles("Scud _") == titles("Scud")  # "_" is no word on either backend


@pytest.mark.parametrize("query", ['NEAR(a b)', 'a* OR', '"unclosed', 'col:value', "a AND",
                                   "Hwasong-15", "' OR 1=1 --"])
def test_any_typed_query_is_words_never_syntax(store: Store, query: str) -> None:
    store.search_documents(query)  # no error, whatever the user typed


@pytest.mark.parametrize("query", ["", "   ", "-Wonsan", "---", "(((", "x" * 501, "a\x00b",
                                   "Scud OR -Wonsan", "_"])
def test_a_query_with_nothing_to_look_for_is_refused_with_a_reason(query: str) -> None:
    with pytest.raises(WatchfloorError) as err:
        parse(query)
    assert err.value.code == "W406"


def test_quotes_are_found_by_their_text_and_speaker(store: Store) -> None:
    assert [q.speaker_actor for q in store.quotes(query="provocation")] == ["CHN"]
    assert len(store.quotes(query="spokesman")) == 2
    assert store.quotes(query="Geneva", speaker_actor="CHN") == []


def test_events_are_found_by_the_sentences_that_report_them(store: Store) -> None:
    found = store.consolidated_events(query="Scud")
    assert [e.date_start for e in found] == [date(2016, 7, 18)]
    # words from another sentence of the same article do not find its event
    assert store.consolidated_events(query="protested") == []
    assert len(store.consolidated_events(query="Korea OR Pyongyang")) == 2


def test_search_follows_re_extraction(store: Store) -> None:
    doc = next(d for d in store.documents() if d.title == "A new engine")
    s = Sentence(0, 0, len(doc.text), doc.text)
    store.save_extraction(Extraction(doc.id, [s]), version="2", pack_sha256="p" * 64)
    assert store.quotes(query="provocation") == []
    assert [d.title for d in store.search_documents("engine")] == ["A new engine"]


def test_document_summaries_filter_and_leave_the_text_out(store: Store) -> None:
    rows = store.document_summaries()
    assert [r["title"] for r in rows] == ["A new engine", "The launches continued"]
    assert "text" not in rows[0] and rows[0]["chars"] > 40
    assert [r["title"] for r in store.document_summaries(query="Scud")] == [
        "The launches continued"]
    assert [r["title"] for r in store.document_summaries(
        published_from=date(2016, 9, 21), published_to=date(2016, 9, 21))] == ["A new engine"]
    assert store.has_url("https://news.example/1")
    assert not store.has_url("https://news.example/2")


def test_feed_state_is_upserted_field_by_field(store: Store) -> None:
    url = "https://feeds.example/rss"
    assert store.feed_state(url) is None
    store.save_feed_state(url, etag='"abc"', last_checked="2026-12-07T10:00:00+00:00")
    store.save_feed_state(url, failures=2, last_error="timed out")
    state = store.feed_state(url)
    assert state is not None
    assert (state["etag"], state["failures"], state["last_error"], state["entries_seen"]) == (
        '"abc"', 2, "timed out", 0)
    assert [s["url"] for s in store.feed_states()] == [url]
    with pytest.raises(ValueError, match="colour"):
        store.save_feed_state(url, colour="red")


def test_tokens_are_hashed_at_rest_checked_and_revoked(store: Store) -> None:
    token_id, token = store.create_token("newsroom importer")
    assert token.startswith(f"wf_{token_id}_")
    assert store.check_token(token) == "newsroom importer"
    with store._read() as conn:  # the secret itself is nowhere in the database
        stored = conn.execute(select(schema.api_tokens)).all()
    assert token.split("_", 2)[2] not in repr(stored)
    assert store.check_token(token[:-1] + ("A" if token[-1] != "A" else "B")) is None
    assert store.check_token("wf_" + token_id) is None
    assert store.check_token("") is None
    assert store.tokens()[0]["last_used_at"] is not None
    assert "secret_sha256" not in store.tokens()[0]
    assert store.revoke_token(token_id) is True
    assert store.revoke_token(token_id) is False
    assert store.check_token(token) is None


def test_a_token_needs_a_name(store: Store) -> None:
    with pytest.raises(WatchfloorError, match="W407"):
        store.create_token("  ")


def test_events_sort_by_date_either_way_and_by_other_columns(store: Store) -> None:
    days = [e.date_start for e in store.consolidated_events()]
    assert days == sorted(days)
    assert [e.date_start for e in store.consolidated_events(sort="-date")] == days[::-1]
    by_confidence = [e.confidence for e in store.consolidated_events(sort="-confidence")]
    assert by_confidence == sorted(by_confidence, reverse=True)
    with pytest.raises(ValueError, match="sort 'colour'"):
        store.consolidated_events(sort="colour")


def test_timeline_counts_events_per_period_and_key(store: Store) -> None:
    months = store.event_timeline(by="type", interval="month")
    assert months["periods"] == [("2016-07", {"weapon_test": 1}), ("2016-09", {"weapon_test": 1})]
    assert (months["undated"], months["loose"], months["events"]) == (0, 0, 2)
    years = store.event_timeline(by="actor", interval="year")
    assert years["periods"] == [("2016", {"PRK": 2})]
    weeks = store.event_timeline(by="class", interval="week", date_from=date(2016, 9, 1))
    assert weeks["periods"] == [("2016-W38", {"none": 1})]
    assert store.event_timeline(interval="day", query="Scud")["periods"] == [
        ("2016-07-18", {"weapon_test": 1})]
    with pytest.raises(ValueError):
        store.event_timeline(by="colour")


def test_one_holder_of_an_exclusive_lock_at_a_time(url: str) -> None:
    import threading
    import time

    order: list[str] = []
    with Store.open(url) as first, Store.open(url) as second:
        held = threading.Event()

        def other() -> None:
            held.wait()
            with second.exclusive("consolidate"):
                order.append("second")

        thread = threading.Thread(target=other)
        thread.start()
        with first.exclusive("consolidate"):
            held.set()
            time.sleep(0.5)  # the other store waits all this time
            order.append("first")
        thread.join(timeout=10)
        with first.exclusive("another"), second.exclusive("different"):
            order.append("both")  # different names do not block each other
    assert order == ["first", "second", "both"]


def test_the_timeline_leaves_loosely_dated_events_apart(store: Store, pack: Pack) -> None:
    text = "Over the past year North Korea launched more missiles than ever, officials said."
    doc = Document(id=Document.make_id(text), text=text, source="loose.txt")
    prov = Provenance(doc.id, 0, 0, len(text), "extract.events", "1", "p" * 64, 0.9)
    loose = EventMention(id="ev_loose", type="weapon_test", actor="PRK", target=None,
                         modality="asserted", trigger="launched", prov=prov,
                         date_start=date(2016, 1, 1), date_end=date(2016, 12, 31),
                         granularity="year", sentences=(0,), evidence=text)
    store.save(doc, Extraction(doc.id, [Sentence(0, 0, len(text), text)], events=[loose]),
               version="1", pack_sha256="p" * 64)
    consolidate_store(store, pack)
    years = store.event_timeline(by="type", interval="year")
    assert (years["events"], years["loose"], years["periods"]) == (
        2, 1, [("2016", {"weapon_test": 2})])
    assert store.event_counts("actor") == {"PRK": 3}


def _save_span(store: Store, name: str, first: date, last: date) -> None:
    text = f"North Korea held the {name} exercise over many weeks, officials said."
    doc = Document(id=Document.make_id(text), text=text, source=f"{name}.txt")
    prov = Provenance(doc.id, 0, 0, len(text), "extract.events", "1", "p" * 64, 0.9)
    event = EventMention(id=f"ev_{name}", type="military_exercise", actor="PRK", target=None,
                         modality="asserted", trigger="held", prov=prov, date_start=first,
                         date_end=last, granularity="interval", sentences=(0,),
                         evidence=text)
    store.save(doc, Extraction(doc.id, [Sentence(0, 0, len(text), text)], events=[event]),
               version="1", pack_sha256="p" * 64)


def test_a_date_filter_keeps_every_event_that_overlaps_however_long_it_lasts(
        store: Store, pack: Pack) -> None:
    """The filter reads only the index range that can overlap, bounded by the longest event
    stored: an event longer than any before it, stored later, must still be found."""
    def exercises(**dates: date) -> list[date | None]:
        return [e.date_start for e in store.consolidated_events(type="military_exercise",
                                                                 **dates)]

    _save_span(store, "short", date(2016, 3, 1), date(2016, 3, 20))
    consolidate_store(store, pack)
    assert exercises(date_from=date(2016, 3, 15)) == [date(2016, 3, 1)]
    assert exercises(date_from=date(2016, 3, 21)) == []
    _save_span(store, "long", date(2014, 6, 1), date(2016, 8, 31))  # two years and more
    consolidate_store(store, pack)
    assert exercises(date_from=date(2016, 8, 1)) == [date(2014, 6, 1)]
    assert exercises(date_from=date(2016, 3, 2), date_to=date(2016, 3, 2)) == [
        date(2014, 6, 1), date(2016, 3, 1)]
    timeline = store.event_timeline(by="type", interval="year", type="military_exercise",
                                    date_from=date(2016, 8, 1))
    assert (timeline["events"], timeline["loose"]) == (0, 1)  # found, and counted apart
    assert exercises(date_from=date(2016, 9, 1)) == []


def test_a_date_filter_at_the_first_day_of_the_calendar_is_no_error(store: Store,
                                                                   pack: Pack) -> None:
    _save_span(store, "long", date(2014, 6, 1), date(2016, 8, 31))
    consolidate_store(store, pack)
    assert len(store.consolidated_events(date_from=date(1, 1, 2))) == 3
    assert store.event_timeline(date_from=date.min)["events"] == 2
