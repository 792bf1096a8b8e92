from __future__ import annotations

import io
import json
import pickle
import shutil
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest

from watchfloor.ingest import (
    Ingester,
    LanguageDetector,
    ingest_file,
    ingest_paths,
    ingest_stdin,
    ingest_text,
)
from watchfloor.records import Document, Rejection
from watchfloor.settings import Settings

FIXTURES = Path(__file__).parent / "fixtures" / "ingest"
DATELINES = {
    "SEOUL": "Asia/Seoul",
    "Washington": "America/New_York",
    "TOKYO": "Asia/Tokyo",
    "PYONGYANG": "Asia/Pyongyang",
}
KST = timezone(timedelta(hours=9))
ARTICLE = (
    "SEOUL (Reuters) - South Korea's defence ministry said on Monday it would hold talks with "
    "the North's military at the border village next week.\n\n"
    "The meeting would be the first of its kind in two years, a spokesman said."
)
GERMAN = (
    "Nordkorea hat am Donnerstag erneut mehrere Raketen in Richtung Meer abgefeuert, wie das "
    "Militär in Seoul mitteilte. Die Regierung in Tokio verurteilte den Start scharf."
)


@pytest.fixture(scope="module")
def detector() -> LanguageDetector:
    return LanguageDetector()


@pytest.fixture(scope="module")
def ingester(detector: LanguageDetector) -> Ingester:
    return Ingester(Settings(), DATELINES, detector=detector)


def only_document(result: Document | Rejection) -> Document:
    assert isinstance(result, Document), result
    return result


def only_rejection(result: Document | Rejection, code: str) -> Rejection:
    assert isinstance(result, Rejection), result
    assert result.code == code, result.reason
    return result


def write(path: Path, content: str | bytes) -> Path:
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    return path


# ---------------------------------------------------------------------------- input types


def test_plain_text_file_gives_document_with_headline_as_title(ingester: Ingester) -> None:
    [result] = ingester.ingest_paths([FIXTURES / "ap_washington.txt"])
    doc = only_document(result)
    assert doc.title == "US envoy says door to talks stays open"
    assert doc.text.startswith("The U.S. special envoy for North Korea said Friday")
    assert "Related" not in doc.text
    assert "Share this" not in doc.text
    assert "Photo:" not in doc.text
    assert "reporting by" not in doc.text
    assert (doc.dateline, doc.tz, doc.outlet) == (
        "WASHINGTON",
        "America/New_York",
        "Associated Press",
    )
    assert doc.language == "en"
    assert doc.source == str(FIXTURES / "ap_washington.txt")
    assert doc.id == Document.make_id(doc.text)


def test_html_file_gives_text_and_page_metadata(ingester: Ingester) -> None:
    [result] = ingester.ingest_paths([FIXTURES / "wire_seoul.html"])
    doc = only_document(result)
    assert doc.text.startswith("North Korea launched several cruise missiles toward the Yellow Sea")
    assert "REUTERS/" not in doc.text
    assert "Editing by" not in doc.text
    assert doc.published == datetime(2023, 9, 14, 6, 45, tzinfo=KST)
    assert doc.published.utcoffset() == timedelta(hours=9)
    assert doc.url is not None and doc.url.startswith("https://www.reuters.com/")
    assert (doc.outlet, doc.dateline, doc.tz) == ("Reuters", "SEOUL", "Asia/Seoul")


def test_html_with_em_dash_dateline_site_name_and_author_bio(ingester: Ingester) -> None:
    [result] = ingester.ingest_paths([FIXTURES / "post_tokyo.html"])
    doc = only_document(result)
    assert doc.text.startswith("Japan ordered two destroyers into the Sea of Japan on Friday")
    assert "bureau chief" not in doc.text
    assert "Related:" not in doc.text
    assert "“We will respond calmly and firmly,”" in doc.text
    assert (doc.outlet, doc.dateline, doc.tz) == ("The Example Post", "TOKYO", "Asia/Tokyo")


def test_markdown_front_matter_sets_metadata_and_markup_is_removed(ingester: Ingester) -> None:
    [result] = ingester.ingest_paths([FIXTURES / "yonhap_brief.md"])
    doc = only_document(result)
    assert doc.title == "Allies hold joint air drills after launch"
    assert doc.published == datetime(2024, 3, 5, 9, 30, tzinfo=KST)
    assert doc.url == "https://en.yna.co.kr/view/AEN-example-0001"
    assert (doc.outlet, doc.dateline, doc.tz) == ("Yonhap", "SEOUL", "Asia/Seoul")
    assert doc.text.startswith("South Korea and the United States staged combined air drills")
    assert "**" not in doc.text and "](" not in doc.text
    assert "Exports rise" not in doc.text and "RECOMMENDED" not in doc.text
    assert "Allies hold joint air drills" not in doc.text


def test_markdown_heading_is_dropped_even_when_front_matter_title_differs(
    ingester: Ingester,
) -> None:
    text = "---\ntitle: Border talks set\n---\n# Koreas to talk at border\n\n" + ARTICLE
    doc = only_document(ingester.ingest_text(text, "a.md"))
    assert doc.title == "Border talks set"
    assert doc.text.startswith("South Korea's defence ministry said on Monday")


def test_markdown_heading_is_the_title_without_front_matter(
    ingester: Ingester, tmp_path: Path
) -> None:
    path = write(tmp_path / "a.md", "# Koreas to talk at border\n\n" + ARTICLE)
    [result] = ingester.ingest_paths([path])
    assert only_document(result).title == "Koreas to talk at border"


def test_jsonl_lines_are_documents_or_rejections_each(ingester: Ingester) -> None:
    path = FIXTURES / "batch.jsonl"
    results = list(ingester.ingest_paths([path]))
    assert [r.source for r in results] == [f"{path}:{n}" for n in (1, 3, 4, 5, 6, 7)]
    assert [getattr(r, "code", "doc") for r in results] == [
        "doc", "W107", "W107", "W107", "W109", "doc",
    ]  # fmt: skip
    first, html_line = only_document(results[0]), only_document(results[-1])
    assert first.published == datetime(2024, 1, 9, 7, tzinfo=KST)
    assert (first.outlet, first.dateline, first.tz) == ("KCNA", "PYONGYANG", "Asia/Pyongyang")
    assert html_line.text.startswith("Japan lodged a protest with Beijing")
    assert (html_line.outlet, html_line.dateline) == ("Kyodo News", "TOKYO")


def test_stdin_text_and_bytes_give_the_same_document(ingester: Ingester) -> None:
    [from_text] = ingester.ingest_stdin(io.StringIO(ARTICLE))
    [from_bytes] = ingester.ingest_stdin(io.BytesIO(ARTICLE.encode("utf-8")))
    doc = only_document(from_text)
    assert doc.source == "<stdin>"
    assert doc.id == only_document(from_bytes).id


def test_stdin_html_is_sniffed(ingester: Ingester) -> None:
    page = (FIXTURES / "wire_seoul.html").read_text(encoding="utf-8")
    [result] = ingester.ingest_stdin(io.StringIO(page))
    doc = only_document(result)
    assert "<p>" not in doc.text
    assert doc.dateline == "SEOUL"


def test_stdin_jsonl_gives_one_result_per_line(ingester: Ingester) -> None:
    line = json.dumps({"text": ARTICLE})
    stream = io.StringIO(f'{line}\n\n{{"nope": 1}}\n')
    results = list(ingester.ingest_stdin(stream))
    assert [r.source for r in results] == ["<stdin>:1", "<stdin>:3"]
    only_document(results[0])
    only_rejection(results[1], "W107")


def test_stdin_console_stream_is_decoded_from_its_buffer(ingester: Ingester) -> None:
    raw = ARTICLE.replace("talks", "“talks”").encode("cp1252")
    stream = io.TextIOWrapper(io.BytesIO(raw), encoding="utf-8")
    [result] = ingester.ingest_stdin(stream)
    assert "“talks”" in only_document(result).text


def test_stdin_binary_is_rejected(ingester: Ingester) -> None:
    [result] = ingester.ingest_stdin(io.BytesIO(b"GIF89a\x00\x01\x00"))
    only_rejection(result, "W101")


# ------------------------------------------------------------------------- rejection codes


def test_w101_binary_file(ingester: Ingester, tmp_path: Path) -> None:
    path = write(tmp_path / "picture.html", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    [result] = ingester.ingest_paths([path])
    assert only_rejection(result, "W101").source == str(path)


def test_w101_binary_jsonl_is_one_rejection(ingester: Ingester, tmp_path: Path) -> None:
    path = write(tmp_path / "dump.jsonl", b"\x00\x01\x02\n" * 50)
    assert [getattr(r, "code", None) for r in ingester.ingest_paths([path])] == ["W101"]


def test_w102_nothing_left_after_cleaning(ingester: Ingester, tmp_path: Path) -> None:
    path = write(tmp_path / "furniture.txt", "Share this article\n\n(Reporting by Jane Doe)\n")
    [result] = ingester.ingest_paths([path])
    only_rejection(result, "W102")


def test_w102_text_shorter_than_min_chars(detector: LanguageDetector) -> None:
    ingester = Ingester(Settings(min_chars=1000), DATELINES, detector=detector)
    only_rejection(ingester.ingest_text(ARTICLE, "short"), "W102")


def test_w103_file_over_max_bytes(detector: LanguageDetector, tmp_path: Path) -> None:
    ingester = Ingester(Settings(max_bytes=100), DATELINES, detector=detector)
    path = write(tmp_path / "long.txt", ARTICLE)
    [result] = ingester.ingest_paths([path])
    assert "is over the limit of 100 bytes" in only_rejection(result, "W103").reason
    only_rejection(ingester.ingest_text(ARTICLE, "arg"), "W103")


def test_w104_undecodable_file(ingester: Ingester, tmp_path: Path) -> None:
    path = write(tmp_path / "garbled.txt", b"\x81\x8d\x8f\x90\x9d" * 40)
    [result] = ingester.ingest_paths([path])
    only_rejection(result, "W104")


def test_w105_not_english(ingester: Ingester) -> None:
    rejection = only_rejection(ingester.ingest_text(GERMAN, "de.txt"), "W105")
    assert "'de'" in rejection.reason


def test_non_english_is_kept_with_its_language_when_allowed(detector: LanguageDetector) -> None:
    ingester = Ingester(Settings(english_only=False), DATELINES, detector=detector)
    assert only_document(ingester.ingest_text(GERMAN, "de.txt")).language == "de"


def test_w106_unsupported_type_named_explicitly(ingester: Ingester, tmp_path: Path) -> None:
    path = write(tmp_path / "report.pdf", "%PDF-1.4")
    [result] = ingester.ingest_paths([path])
    assert "'.pdf'" in only_rejection(result, "W106").reason


def test_w107_bad_jsonl_line_names_its_line(ingester: Ingester, tmp_path: Path) -> None:
    path = write(tmp_path / "feed.jsonl", '{"text": 5}\n{"text": "unterminated\n')
    results = list(ingester.ingest_paths([path]))
    assert [r.source for r in results] == [f"{path}:1", f"{path}:2"]
    assert "line 2" in only_rejection(results[1], "W107").reason
    only_rejection(results[0], "W107")


def test_w108_missing_file_and_w110_bad_front_matter(ingester: Ingester, tmp_path: Path) -> None:
    missing = tmp_path / "gone.txt"
    bad_front = write(tmp_path / "bad.md", "---\ntitle: [unclosed\n---\n" + ARTICLE)
    results = list(ingester.ingest_paths([missing, bad_front]))
    only_rejection(results[0], "W108")
    assert "front matter" in only_rejection(results[1], "W110").reason


def test_w109_bad_published_in_meta_or_front_matter(ingester: Ingester, tmp_path: Path) -> None:
    rejection = ingester.ingest_text(ARTICLE, "arg", meta={"published": "yesterday"})
    assert "'yesterday'" in only_rejection(rejection, "W109").reason
    path = write(tmp_path / "a.md", "---\npublished: soon\n---\n" + ARTICLE)
    [result] = ingester.ingest_paths([path])
    only_rejection(result, "W109")


# ------------------------------------------------------------------------- batch behaviour


def test_batch_goes_on_past_bad_inputs(ingester: Ingester, tmp_path: Path) -> None:
    write(tmp_path / "1_good.txt", ARTICLE)
    write(tmp_path / "2_binary.txt", b"\x00\x00\x00")
    write(tmp_path / "3_german.txt", GERMAN)
    write(tmp_path / "4_good.html", f"<html><body><p>{ARTICLE}</p></body></html>")
    results = list(ingester.ingest_paths([tmp_path, tmp_path / "5_missing.md"]))
    assert [getattr(r, "code", "doc") for r in results] == ["doc", "W101", "W105", "doc", "W108"]


def test_same_text_in_two_files_and_a_jsonl_line_is_one_id(ingester: Ingester) -> None:
    results = list(ingester.ingest_paths([FIXTURES / "nested"]))
    assert [Path(r.source).name for r in results] == ["copy_of_note.txt", "plain_note.txt"]
    ids = {only_document(r).id for r in results}
    assert len(ids) == 1
    text = only_document(results[0]).text
    jsonl = ingester.ingest_text(f"SEOUL (Reuters) - {text}", "other")
    assert only_document(jsonl).id in ids


def test_different_text_gives_different_ids(ingester: Ingester) -> None:
    a = only_document(ingester.ingest_text(ARTICLE, "a"))
    b = only_document(ingester.ingest_text(ARTICLE + " It added no detail.", "b"))
    assert a.id != b.id


# ------------------------------------------------------------------------------- metadata


def test_meta_overrides_what_the_input_says(ingester: Ingester) -> None:
    page = (FIXTURES / "wire_seoul.html").read_text(encoding="utf-8")
    meta = {"published": "2023-09-13T21:45:00Z", "url": "https://example.org/x", "title": "T"}
    doc = only_document(ingester.ingest_text(page, "page", meta=meta))
    assert doc.published == datetime(2023, 9, 13, 21, 45, tzinfo=UTC)
    assert (doc.url, doc.title) == ("https://example.org/x", "T")


def test_single_file_takes_meta_and_refuses_jsonl(ingester: Ingester) -> None:
    doc = only_document(
        ingester.ingest_file(FIXTURES / "yonhap_brief.md", meta={"published": "2024-03-04"})
    )
    assert doc.published == datetime(2024, 3, 4, tzinfo=UTC)
    assert doc.outlet == "Yonhap"
    only_rejection(ingester.ingest_file(FIXTURES / "batch.jsonl"), "W106")


def test_meta_none_values_do_not_erase_what_was_read(ingester: Ingester) -> None:
    page = (FIXTURES / "wire_seoul.html").read_text(encoding="utf-8")
    doc = only_document(ingester.ingest_text(page, "page", meta={"url": None}))
    assert doc.url is not None and "reuters.com" in doc.url


def test_date_only_published_is_midnight_utc(ingester: Ingester) -> None:
    doc = only_document(ingester.ingest_text(ARTICLE, "a", meta={"published": "2022-01-31"}))
    assert doc.published == datetime(2022, 1, 31, tzinfo=UTC)
    assert doc.published.tzinfo is not None


def test_unknown_dateline_city_has_no_zone(ingester: Ingester) -> None:
    doc = only_document(
        ingester.ingest_text(
            "BEIJING (Reuters) - China urged calm on Monday after the launch.", "a"
        )
    )
    assert (doc.dateline, doc.tz, doc.outlet) == ("BEIJING", None, "Reuters")


def test_text_without_dateline_has_none(ingester: Ingester) -> None:
    doc = only_document(ingester.ingest_text(ARTICLE.split(" - ", 1)[1], "a"))
    assert (doc.dateline, doc.tz, doc.outlet) == (None, None, None)


def test_outlet_from_url_host_when_page_names_none(ingester: Ingester) -> None:
    page = "<html><body><p>" + ARTICLE.split(" - ", 1)[1] + "</p></body></html>"
    meta = {"url": "https://www.voanews.com/a/example/1.html"}
    assert only_document(ingester.ingest_text(page, "p", meta=meta)).outlet == "Voice of America"


def test_ingester_pickles_for_workers(ingester: Ingester) -> None:
    clone = pickle.loads(pickle.dumps(ingester))
    assert only_document(clone.ingest_text(ARTICLE, "a")) == only_document(
        ingester.ingest_text(ARTICLE, "a")
    )


# ------------------------------------------------------------------------ module functions


def test_module_functions_match_the_ingester(detector: LanguageDetector, tmp_path: Path) -> None:
    settings = Settings()
    shutil.copy(FIXTURES / "ap_washington.txt", tmp_path / "a.txt")
    [via_paths] = ingest_paths([tmp_path], settings, DATELINES, detector=detector)
    via_text = ingest_text(
        (tmp_path / "a.txt").read_text(encoding="utf-8"),
        "x",
        settings,
        DATELINES,
        detector=detector,
    )
    [via_stdin] = ingest_stdin(
        io.StringIO((tmp_path / "a.txt").read_text(encoding="utf-8")),
        settings,
        DATELINES,
        detector=detector,
    )
    via_file = ingest_file(tmp_path / "a.txt", settings, DATELINES, detector=detector)
    ids = {only_document(r).id for r in (via_paths, via_text, via_stdin, via_file)}
    assert len(ids) == 1
