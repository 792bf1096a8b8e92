"""The web dashboard (serve/dashboard.py) through FastAPI's TestClient, over a store built by
hand from three short articles of our own (no model): every page renders, the event list
filters and pages, highlights sit around the right words, article text and titles are
escaped, and unknown ids give HTML 404 pages."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from watchfloor.consolidate.run import consolidate_store
from watchfloor.pack import Pack
from watchfloor.records import (
    Claim,
    Document,
    EventMention,
    Extraction,
    Provenance,
    Quote,
    Sentence,
    TimeExpression,
)
from watchfloor.serve import dashboard
from watchfloor.serve.api import create_app
from watchfloor.serve.dashboard import Mark, choose_period, render_marked
from watchfloor.settings import load_settings
from watchfloor.store import Store

PACK_SHA = "p" * 64
SUNDAY = date(2017, 5, 14)
FRIDAY = date(2017, 6, 2)


@dataclass
class Story:
    """One article: its sentences, and what extraction found in them, as (sentence, phrase)."""

    outlet: str
    title: str
    hour: int
    sentences: list[str]
    events: list[dict[str, object]] = field(default_factory=list)
    times: list[tuple[int, str, date]] = field(default_factory=list)
    quotes: list[tuple[int, str, str, str]] = field(default_factory=list)  # text, who, code
    claims: list[tuple[int, str]] = field(default_factory=list)


STORIES = [
    Story("Harbour Wire", "North Korea fires missile into the sea", 1, [
        "SEOUL - North Korea fired a Hwasong-12 missile into the sea on Sunday, the military "
        "said.",
        '"The launch was a complete success," said Kim Yo Jong.',
        "It was the North's fourth launch this year.",
    ], events=[dict(sentence=0, type="weapon_test", actor="PRK", trigger="fired",
                    weapon="Hwasong-12", weapon_class=("IRBM",), day=SUNDAY,
                    date_text="on Sunday", status="succeeded")],
        times=[(0, "on Sunday", SUNDAY)],
        quotes=[(1, "The launch was a complete success", "Kim Yo Jong", "PRK")],
        claims=[(2, "the North's fourth launch this year")]),
    Story("Pacific Ledger", "Missile falls <script>alert('x')</script> near Japan", 2, [
        "TOKYO - A North Korean missile fell into the sea on Sunday and appeared to have "
        "failed, Japan's defence ministry said.",
    ], events=[dict(sentence=0, type="weapon_test", actor="PRK", trigger="fell",
                    weapon=None, weapon_class=(), day=SUNDAY, date_text="on Sunday",
                    status="failed")],
        times=[(0, "on Sunday", SUNDAY)]),
    Story("Capital Desk", "U.S. imposes new sanctions", 3, [
        "WASHINGTON - The United States imposed new sanctions on North Korea on Friday.",
        'The measures target R&D funds. "Pressure works," said Rex Tillerson.',
    ], events=[dict(sentence=0, type="sanction", actor="USA", target="PRK", trigger="imposed",
                    weapon=None, weapon_class=(), day=FRIDAY, date_text="on Friday",
                    status=None)],
        times=[(0, "on Friday", FRIDAY)],
        quotes=[(1, "Pressure works", "Rex Tillerson", "USA")]),
]


def _prov(doc_id: str, n: int, start: int, end: int, extractor: str) -> Provenance:
    return Provenance(doc_id, n, start, end, extractor, "1", PACK_SHA, 0.9)


def _extraction(doc: Document, story: Story) -> Extraction:
    sentences, at = [], 0
    for n, s in enumerate(story.sentences):
        sentences.append(Sentence(n, at, at + len(s) + 1, doc.text[at:at + len(s) + 1]))
        at += len(s) + 1

    def where(n: int, phrase: str) -> tuple[int, int]:
        start = doc.text.index(phrase, sentences[n].start)
        return start, start + len(phrase)

    x = Extraction(doc.id, sentences)
    for n, text, day in story.times:
        x.times.append(TimeExpression(text, day, day, "day",
                                      _prov(doc.id, n, *where(n, text), "extract.dates")))
    for k, e in enumerate(story.events):
        n = int(str(e["sentence"]))
        s = sentences[n]
        day = e["day"]
        assert isinstance(day, date)
        x.events.append(EventMention(
            id=f"ev_{doc.id[:6]}_{k}", type=str(e["type"]), actor=str(e["actor"]),
            target=e.get("target"),  # type: ignore[arg-type]
            modality="asserted", trigger=str(e["trigger"]),
            prov=_prov(doc.id, n, s.start, s.end - 1, "extract.events"),
            weapon=e["weapon"], weapon_class=e["weapon_class"],  # type: ignore[arg-type]
            date_start=day, date_end=day, granularity="day", date_text=str(e["date_text"]),
            status=e["status"],  # type: ignore[arg-type]
            sentences=(n,), evidence=s.text.strip()))
    for k, (n, text, who, code) in enumerate(story.quotes):
        x.quotes.append(Quote(f"qt_{doc.id[:6]}_{k}", text, who, code, None,
                              _prov(doc.id, n, *where(n, text), "extract.quotes")))
    for k, (n, text) in enumerate(story.claims):
        x.claims.append(Claim(f"cl_{doc.id[:6]}_{k}", "ordinal", "weapon_test", "PRK", text,
                              _prov(doc.id, n, *where(n, text), "extract.claims"), value=4))
    return x


def build_dashboard_store(url: str, pack: Pack) -> dict[str, str]:
    """A store holding STORIES, extracted and consolidated; each outlet's document id."""
    ids = {}
    with Store.open(url) as store:
        for story in STORIES:
            text = " ".join(story.sentences) + "\n"
            doc = Document(id=Document.make_id(text), text=text, source=f"{story.outlet}.txt",
                           title=story.title, outlet=story.outlet,
                           url=f"https://example.invalid/{story.hour}",
                           published=datetime(2017, 6, 3, story.hour, tzinfo=UTC))
            store.save(doc, _extraction(doc, story), version="1", pack_sha256=PACK_SHA)
            ids[story.outlet] = doc.id
        consolidate_store(store, pack)
    return ids


@pytest.fixture
def site(tmp_path: Path, pack: Pack) -> Iterator[tuple[TestClient, dict[str, str]]]:
    url = f"sqlite:///{tmp_path / 'ui.sqlite'}"
    ids = build_dashboard_store(url, pack)
    with TestClient(create_app(load_settings(db_url=url), pack=pack)) as client:
        yield client, ids


def _event_ids(html: str) -> list[str]:
    return re.findall(r'href="/ui/events/(rec_[0-9a-f]+)"', html)


def _marks(html: str, kind: str) -> list[str]:
    return re.findall(rf'<(?:mark|a)[^>]* data-kind="{kind}"[^>]*>([^<]*)<', html)


# -- highlighting, the chart's periods ---------------------------------------------------


def test_marks_nest_cut_where_they_cross_and_escape_the_text() -> None:
    text = 'Kim said "go & win" today'
    html = render_marked(text, [Mark(9, 19, "quote", "quote"), Mark(10, 12, "trigger", "t"),
                                Mark(15, 22, "time", "crosses the quote's end"),
                                Mark(0, 3, "actor", 'a "name"', href="/ui/x")])
    assert html == (
        '<a href="/ui/x" class="hl hl-actor" data-kind="actor" title="a &#34;name&#34;">Kim</a>'
        ' said <mark class="hl hl-quote" data-kind="quote" title="quote">&#34;'
        '<mark class="hl hl-trigger" data-kind="trigger" title="t">go</mark> &amp; '
        '<mark class="hl hl-time" data-kind="time" title="crosses the quote&#39;s end">win&#34;'
        '</mark></mark> today')


def test_marks_outside_the_text_are_dropped_and_offsets_are_relative() -> None:
    assert render_marked("abc", [Mark(100, 103, "time", "t"), Mark(7, 8, "actor", "a")],
                         offset=6) == 'a<mark class="hl hl-actor" data-kind="actor" title="a">b' \
                                      "</mark>c"


@pytest.mark.parametrize(("start", "end", "wanted", "per"), [
    (date(2017, 5, 1), date(2017, 5, 31), "auto", "day"),
    (date(2017, 1, 1), date(2017, 12, 31), "auto", "week"),
    (date(2016, 1, 1), date(2019, 12, 31), "auto", "month"),
    (date(2000, 1, 1), date(2023, 12, 31), "auto", "year"),
    (date(2000, 1, 1), date(2023, 12, 31), "day", "month"),  # too many bars as days
    (date(2017, 1, 1), date(2017, 12, 31), "month", "month"),
])
def test_the_timeline_counts_by_a_period_fitting_its_range(start: date, end: date, wanted: str,
                                                            per: str) -> None:
    assert choose_period(start, end, wanted) == per


# -- pages -------------------------------------------------------------------------------


def test_ui_sends_to_the_overview(site: tuple[TestClient, dict[str, str]]) -> None:
    client, _ids = site
    response = client.get("/ui", follow_redirects=False)
    assert response.status_code == 307 and response.headers["location"] == "/ui/"


def test_overview_draws_the_timeline_by_type_and_by_class(
        site: tuple[TestClient, dict[str, str]]) -> None:
    client, _ids = site
    response = client.get("/ui/")
    assert response.status_code == 200 and response.headers["content-type"].startswith(
        "text/html")
    html = response.text
    assert '<a class="skip" href="#main">' in html
    svg = html[html.index("<svg"):html.index("</svg>")]
    assert 'role="img"' in svg and "Events per day by event type" in svg
    # 14 May to 2 June by day: one bar for the launch, one for the sanctions, each a link
    assert re.findall(r"<title>([^<]*)</title>", svg) == [
        "2017-05-14 · Weapon test: 1 event", "2017-06-02 · Sanction: 1 event"]
    assert ('href="/ui/events?from=2017-05-14&amp;to=2017-05-14&amp;modality=asserted&amp;'
            'type=weapon_test"') in svg
    assert "The chart's numbers as a table" in html
    by_class = client.get("/ui/", params={"by": "class", "per": "month"}).text
    assert "<title>2017-05 · IRBM: 1 event</title>" in by_class
    assert "no weapon class" in by_class


def test_overview_range_and_bad_dates(site: tuple[TestClient, dict[str, str]]) -> None:
    client, _ids = site
    june = client.get("/ui/", params={"from": "2017-06-01", "to": "2017-06-30"}).text
    assert "Sanction: 1 event" in june and "Weapon test: 1 event" not in june
    bad = client.get("/ui/", params={"from": "yesterday"})
    assert bad.status_code == 200 and "not a date (YYYY-MM-DD)" in bad.text


def test_event_list_filters_like_the_api(site: tuple[TestClient, dict[str, str]]) -> None:
    client, _ids = site
    everything = client.get("/ui/events").text
    assert len(_event_ids(everything)) == 2 and "<strong>2</strong> events match" in everything
    for params, types in [
        ({"actor": "USA"}, ["Sanction"]),
        ({"actor": "North Korea"}, ["Weapon test"]),  # a name stands for its code
        ({"target": "PRK"}, ["Sanction"]),
        ({"type": "weapon_test"}, ["Weapon test"]),
        ({"weapon": "KN-17"}, ["Weapon test"]),  # an alias stands for the system
        ({"class": "IRBM"}, ["Weapon test"]),
        ({"status": "disputed"}, ["Weapon test"]),
        ({"from": "2017-06-01"}, ["Sanction"]),
        ({"to": "2017-05-31"}, ["Weapon test"]),
        ({"class": "ICBM"}, []),
    ]:
        html = client.get("/ui/events", params=params).text
        shown = re.findall(r'href="/ui/events/rec_[0-9a-f]+">([^<]+)</a>', html)
        assert shown == types, params
    kept = client.get("/ui/events", params={"type": "sanction", "actor": "usa"}).text
    assert '<option value="sanction" selected>' in kept and 'value="USA"' in kept


def test_a_submitted_form_is_sent_on_to_the_url_of_the_filters_in_force(
        site: tuple[TestClient, dict[str, str]]) -> None:
    client, _ids = site
    response = client.get("/ui/events", params={"actor": "North Korea", "type": "", "from": "",
                                                "weapon": "KN-17"}, follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"] == "/ui/events?actor=PRK&weapon=Hwasong-12"
    overview = client.get("/ui/", params={"by": "type", "per": "auto", "from": ""},
                          follow_redirects=False)
    assert overview.status_code == 303 and overview.headers["location"] == "/ui/"


def test_event_list_says_what_is_wrong_with_a_filter(
        site: tuple[TestClient, dict[str, str]]) -> None:
    client, _ids = site
    html = client.get("/ui/events", params={"type": "picnic", "from": "2017-06-02",
                                            "to": "2017-06-01", "actor": "nobody at all"}).text
    assert "type &#39;picnic&#39;: not one of weapon_test" in html
    assert "&#39;to&#39; 2017-06-01 is before &#39;from&#39; 2017-06-02" in html
    assert "not an actor code or name the pack knows" in html
    assert len(_event_ids(html)) == 2  # the bad filters are left out, not the page


def test_event_list_pages_in_a_stable_order(site: tuple[TestClient, dict[str, str]],
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    client, _ids = site
    monkeypatch.setattr(dashboard, "PAGE_SIZE", 1)
    first = client.get("/ui/events").text
    second = client.get("/ui/events", params={"page": 2}).text
    assert "Page 1 of 2" in first and 'rel="next" href="/ui/events?page=2"' in first
    assert 'rel="prev"' in second and 'rel="next"' not in second
    assert _event_ids(first) != _event_ids(second)
    assert [_event_ids(client.get("/ui/events", params={"page": p}).text) for p in (1, 2)] \
        == [_event_ids(first), _event_ids(second)]


def test_event_page_shows_sources_highlighted_and_their_disagreement(
        site: tuple[TestClient, dict[str, str]]) -> None:
    client, ids = site
    launch = _event_ids(client.get("/ui/events", params={"type": "weapon_test"}).text)[0]
    html = client.get(f"/ui/events/{launch}").text
    assert 'class="badge status-disputed"' in html and "confidence" in html
    # the outcome the two sources disagree on, each with its article
    section = html[html.index("Where the sources disagree"):html.index('id="reports-h"')]
    assert "Outcome:" in section and "failed" in section and "succeeded" in section
    assert f'href="/ui/documents/{ids["Pacific Ledger"]}"' in section
    assert _marks(html, "actor") == ["North Korea", "North Korean"]
    assert _marks(html, "weapon") == ["Hwasong-12"]
    assert _marks(html, "time") == ["on Sunday", "on Sunday"]
    assert _marks(html, "trigger") == ["fired", "fell"]
    for outlet in ("Harbour Wire", "Pacific Ledger"):
        assert f'href="/ui/documents/{ids[outlet]}#s0"' in html
    assert "<script>alert" not in html


def test_event_page_of_a_sanction_marks_its_target(
        site: tuple[TestClient, dict[str, str]]) -> None:
    client, _ids = site
    record = _event_ids(client.get("/ui/events", params={"type": "sanction"}).text)[0]
    html = client.get(f"/ui/events/{record}").text
    assert _marks(html, "actor") == ["United States"]
    assert _marks(html, "target") == ["North Korea"]
    assert _marks(html, "trigger") == ["imposed"]


def test_article_page_highlights_every_extraction_by_kind(
        site: tuple[TestClient, dict[str, str]]) -> None:
    client, ids = site
    html = client.get(f"/ui/documents/{ids['Harbour Wire']}").text
    assert re.findall(r'<span class="sent" id="(s\d+)">', html) == ["s0", "s1", "s2"]
    assert _marks(html, "quote") == ["The launch was a complete success"]
    assert _marks(html, "claim") == ["the North's fourth launch this year".replace("'", "&#39;")]
    assert _marks(html, "time") == ["on Sunday"]
    assert _marks(html, "weapon") == ["Hwasong-12"]
    # the trigger links to the event's record
    assert re.search(r'<a href="/ui/events/rec_[0-9a-f]+" class="hl hl-trigger" '
                     r'data-kind="trigger"[^>]*>fired</a>', html)
    assert 'class="legend"' in html and "https://example.invalid/1" in html


def test_titles_and_text_from_articles_are_escaped(
        site: tuple[TestClient, dict[str, str]]) -> None:
    client, ids = site
    html = client.get(f"/ui/documents/{ids['Pacific Ledger']}").text
    assert "<script>" not in html
    assert "Missile falls &lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; near Japan" in html
    capital = client.get(f"/ui/documents/{ids['Capital Desk']}").text
    assert "R&amp;D funds" in capital


def test_quotes_are_grouped_by_the_speakers_side(
        site: tuple[TestClient, dict[str, str]]) -> None:
    client, ids = site
    html = client.get("/ui/quotes").text
    assert html.index("North Korea (PRK)</h2>") < html.index("Kim Yo Jong") \
        < html.index("United States (USA)</h2>") < html.index("Rex Tillerson")
    assert f'href="/ui/documents/{ids["Harbour Wire"]}#s1"' in html
    only = client.get("/ui/quotes", params={"actor": "usa"}).text
    assert "Rex Tillerson" in only and "Kim Yo Jong" not in only


def test_the_quotes_board_is_read_a_page_at_a_time(
        site: tuple[TestClient, dict[str, str]], monkeypatch: pytest.MonkeyPatch) -> None:
    client, _ = site
    monkeypatch.setattr(dashboard, "QUOTES_PER_PAGE", 1)  # two quotes: two pages
    first = client.get("/ui/quotes").text
    second = client.get("/ui/quotes", params={"page": 2}).text
    speakers = ("Kim Yo Jong", "Rex Tillerson")
    assert [sum(who in page for page in (first, second)) for who in speakers] == [1, 1]
    assert [sum(who in first for who in speakers), sum(who in second for who in speakers)] \
        == [1, 1]
    assert "2 quotes; 1 to 1 shown here" in first and "Page 1 of 2" in first
    assert 'rel="next" href="/ui/quotes?page=2"' in first
    assert 'rel="prev" href="/ui/quotes?page=1"' in second and 'rel="next"' not in second
    only = client.get("/ui/quotes", params={"actor": "USA"}).text
    assert "1 quote by speakers of" in only and "Page 1" not in only
    assert '<option value="PRK">' in only  # every side stays offered
    assert client.get("/ui/quotes", params={"page": "x"}).text == first  # read as page 1


def test_claims_come_with_a_verdict_badge_and_a_reason(
        site: tuple[TestClient, dict[str, str]]) -> None:
    client, ids = site
    html = client.get("/ui/claims").text
    badges = re.findall(r'<p class="claim-head"><span class="badge verdict-(\w+)"', html)
    assert len(badges) == 1 and badges[0] in dashboard.VERDICTS
    assert "Why:" in html and f'href="/ui/documents/{ids["Harbour Wire"]}#s2"' in html
    other = next(v for v in dashboard.VERDICTS if v != badges[0])
    assert "No claim is" in client.get("/ui/claims", params={"verdict": other}).text


@pytest.mark.parametrize("path", [
    "/ui/events/rec_0000000000000000", "/ui/documents/0000", "/ui/no/such/page",
])
def test_unknown_ids_and_pages_get_an_html_404(site: tuple[TestClient, dict[str, str]],
                                               path: str) -> None:
    client, _ids = site
    response = client.get(path)
    assert response.status_code == 404
    assert response.headers["content-type"].startswith("text/html")
    assert "<h1>Not found</h1>" in response.text and 'href="/ui/events"' in response.text


def test_an_id_prefix_fitting_several_events_asks_which(
        site: tuple[TestClient, dict[str, str]]) -> None:
    client, _ids = site
    response = client.get("/ui/events/rec_")
    assert response.status_code == 400 and "<h1>Which event?</h1>" in response.text
    assert "W403" not in response.text and "rec_" in response.text


def test_an_article_not_yet_extracted_shows_its_text_plainly(tmp_path: Path,
                                                             pack: Pack) -> None:
    url = f"sqlite:///{tmp_path / 'plain.sqlite'}"
    text = "First paragraph <b>here</b>.\n\nSecond paragraph."
    doc = Document(id=Document.make_id(text), text=text, source="plain.txt", title="Plain")
    with Store.open(url) as store:
        store.save_document(doc)
    with TestClient(create_app(load_settings(db_url=url), pack=pack)) as client:
        html = client.get(f"/ui/documents/{doc.id}").text
    assert "has not been extracted yet" in html
    assert "First paragraph &lt;b&gt;here&lt;/b&gt;." in html and "Second paragraph." in html
    assert 'data-kind="' not in html


def test_the_stylesheet_is_served_and_the_api_schema_leaves_the_pages_out(
        site: tuple[TestClient, dict[str, str]]) -> None:
    client, _ids = site
    css = client.get("/ui/static/dashboard.css")
    assert css.status_code == 200 and css.headers["content-type"].startswith("text/css")
    assert "http" not in css.text  # nothing fetched from elsewhere
    assert not [p for p in client.get("/openapi.json").json()["paths"] if p.startswith("/ui")]


def test_a_page_number_far_past_the_data_is_an_empty_page_not_an_error(
        site: tuple[TestClient, dict[str, str]]) -> None:
    client, _ids = site
    r = client.get("/ui/events", params={"page": "99999999999999999999"})
    assert r.status_code == 200 and _event_ids(r.text) == []
