from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone

import pytest

from watchfloor.ingest.meta import OutletTable, parse_published, parse_published_lenient

KST = timezone(timedelta(hours=9))


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2016-03-09T22:02:14Z", datetime(2016, 3, 9, 22, 2, 14, tzinfo=UTC)),
        ("2024-03-05T09:30:00+09:00", datetime(2024, 3, 5, 9, 30, tzinfo=KST)),
        ("2022-01-31", datetime(2022, 1, 31, tzinfo=UTC)),
        ("2022-01-31T08:00:00", datetime(2022, 1, 31, 8, tzinfo=UTC)),
        (date(2022, 1, 31), datetime(2022, 1, 31, tzinfo=UTC)),
        (datetime(2024, 3, 5, 9, 30, tzinfo=KST), datetime(2024, 3, 5, 9, 30, tzinfo=KST)),
    ],
)
def test_published_is_always_aware_and_keeps_its_offset(value: object, expected: datetime) -> None:
    parsed = parse_published(value)
    assert parsed == expected
    assert parsed.utcoffset() == expected.utcoffset()


@pytest.mark.parametrize("value", ["last Tuesday", "", 20240305, None, "2024-13-01"])
def test_published_that_is_not_iso_8601_is_refused(value: object) -> None:
    with pytest.raises(ValueError):
        parse_published(value)


def test_meta_tags_in_rfc_2822_are_read_leniently() -> None:
    parsed = parse_published_lenient("Wed, 09 Mar 2016 22:02:14 +0000")
    assert parsed == datetime(2016, 3, 9, 22, 2, 14, tzinfo=UTC)
    assert parse_published_lenient("sometime in March") is None


@pytest.fixture(scope="module")
def outlets() -> OutletTable:
    return OutletTable.load()


def test_outlet_from_url_host_or_its_parent_domain(outlets: OutletTable) -> None:
    assert outlets.by_url("http://feeds.reuters.com/~r/reuters/topNews/story01.htm") == "Reuters"
    assert outlets.by_url("https://www.nknews.org/2024/01/example/") == "NK News"
    assert outlets.by_url("https://unknown.example.org/a") is None
    assert outlets.by_url("not a url") is None


def test_outlet_from_dateline_agency(outlets: OutletTable) -> None:
    assert outlets.by_agency("AP") == "Associated Press"
    assert outlets.by_agency("Yonhap") == "Yonhap"
    assert outlets.by_agency("Nobody") is None


def test_outlet_from_title_suffix_only_when_known(outlets: OutletTable) -> None:
    assert outlets.by_title_suffix("Talks resume – Voice of America") == "Voice of America"
    assert outlets.by_title_suffix("Talks resume - Washington Post") == "The Washington Post"
    assert outlets.by_title_suffix("U.S. and North Korea - a timeline") is None


def test_site_name_that_is_a_host_is_mapped(outlets: OutletTable) -> None:
    assert outlets.by_site_name("feeds.reuters.com") == "Reuters"
    assert outlets.by_site_name("The Example Post") == "The Example Post"
    assert outlets.by_site_name("  ") is None
