from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

from trafilatura.utils import load_html

from watchfloor.ingest.html import choose_paragraphs, extract_html

FIXTURES = Path(__file__).parent / "fixtures" / "ingest"

PAGE = """<!DOCTYPE html><html><head><title>&gt;</title></head><body>
<div class="sidebar"><p>Most read stories from around the region this week.</p></div>
<div id="story">
<p><span class="articleLocation">SEOUL</span> The North fired an artillery barrage on Friday.</p>
<p>Residents of two islands were told to go to shelters.</p>
<p>No damage was reported.</p>
</div></body></html>"""


def test_wire_page_gives_paragraphs_time_with_offset_canonical_url_and_dateline() -> None:
    page = extract_html((FIXTURES / "wire_seoul.html").read_text(encoding="utf-8"))
    assert page.published == datetime(2023, 9, 14, 6, 45, tzinfo=timezone(timedelta(hours=9)))
    assert page.url == "https://www.reuters.com/world/asia-pacific/example-cruise-story-2023-09-14/"
    assert page.title == "North Korea test-fires cruise missiles off west coast"
    assert page.dateline_hint == "SEOUL"
    lines = [line for block in page.blocks for line in block]
    assert lines[0].startswith("SEOUL North Korea launched several cruise missiles")
    assert any(line.startswith("Pyongyang did not immediately comment") for line in lines)


def test_page_title_without_letters_is_no_title() -> None:
    page = extract_html(PAGE)
    assert page.title is None
    assert page.headlines == ()


def test_site_name_and_title_suffix_are_read() -> None:
    page = extract_html((FIXTURES / "post_tokyo.html").read_text(encoding="utf-8"))
    assert page.site_name == "The Example Post"
    assert page.published == datetime(2023, 11, 2, 23, 10, tzinfo=UTC)
    assert page.url is None
    assert "Japan scrambles destroyers after missile warning" in page.headlines


def test_paragraph_lost_by_trafilatura_is_restored_from_its_container() -> None:
    tree = load_html(PAGE)
    extracted = "SEOUL The North fired an artillery barrage on Friday.\nNo damage was reported."
    paragraphs, fallback = choose_paragraphs(tree, extracted)
    assert fallback
    assert paragraphs == [
        "SEOUL The North fired an artillery barrage on Friday.",
        "Residents of two islands were told to go to shelters.",
        "No damage was reported.",
    ]


def test_complete_extraction_is_kept_and_sidebar_not_pulled_in() -> None:
    tree = load_html(PAGE)
    extracted = (
        "SEOUL The North fired an artillery barrage on Friday.\n"
        "Residents of two islands were told to go to shelters.\n"
        "No damage was reported."
    )
    paragraphs, fallback = choose_paragraphs(tree, extracted)
    assert not fallback
    assert paragraphs == extracted.splitlines()


def test_nothing_extracted_falls_back_to_page_paragraphs() -> None:
    paragraphs, fallback = choose_paragraphs(load_html(PAGE), "")
    assert fallback
    assert "Residents of two islands were told to go to shelters." in paragraphs


def test_bare_fragment_is_read_as_a_page() -> None:
    page = extract_html(
        "<p>Envoys from the two Koreas met at the border village on Monday morning.</p>"
        "<p>They agreed to reopen a hotline that had been silent for a year.</p>"
    )
    lines = [line for block in page.blocks for line in block]
    assert lines == [
        "Envoys from the two Koreas met at the border village on Monday morning.",
        "They agreed to reopen a hotline that had been silent for a year.",
    ]


def test_empty_page_gives_no_paragraphs() -> None:
    assert extract_html("").blocks == []
    assert extract_html("<html><body></body></html>").blocks == []
