"""Reference rows become launch events: local days where the launch happened, salvos grouped,
missile names as the pack names them. Rows are built by hand."""

from __future__ import annotations

from datetime import date, time
from pathlib import Path

import pytest

from watchfloor.pack import Pack
from watchfloor.reference.launches import group_events, localize, pack_weapon
from watchfloor.reference.readers import ReferenceTest

SHARED = Path(__file__).resolve().parents[2] / "shared" / "reference"


def row(line: int, day: date, clock: time | None, system: str | None = "Hwasong-12",
        facility: str | None = "Kusong", **fields: object) -> ReferenceTest:
    return ReferenceTest(source="t.csv", line=line, kind="missile", date_start=day,  # type: ignore[arg-type]
                         date_end=day, time_utc=clock, system=system, weapon_class="IRBM",
                         facility=facility, **fields)


def test_a_launch_is_dated_by_the_korean_day_and_the_zone_of_its_time(pack: Pack) -> None:
    # 2022: Pyongyang is UTC+9; 23:10 UTC on the 4th is 08:10 on the 5th
    assert localize(row(2, date(2022, 1, 4), time(23, 10)), "Asia/Pyongyang", pack).day_start \
        == date(2022, 1, 5)
    # 2017: Pyongyang was UTC+8:30; 15:20 UTC is 23:50 the same day, 15:40 UTC the next day
    assert localize(row(2, date(2017, 5, 13), time(15, 20)), "Asia/Pyongyang", pack) \
        .day_start == date(2017, 5, 13)
    assert localize(row(2, date(2017, 5, 13), time(15, 40)), "Asia/Pyongyang", pack) \
        .day_start == date(2017, 5, 14)
    # no time: either Korean day the UTC day overlaps
    no_time = localize(row(2, date(1993, 5, 29), None), "Asia/Pyongyang", pack)
    assert (no_time.day_start, no_time.day_end) == (date(1993, 5, 29), date(1993, 5, 30))


def test_a_salvo_is_one_event_and_launches_hours_apart_are_two(pack: Pack) -> None:
    rows = [
        row(5, date(2016, 6, 21), time(20, 58), "Musudan", "Wonsan"),
        row(6, date(2016, 6, 21), time(23, 5), "Musudan", "Wonsan"),
        row(7, date(2022, 1, 14), time(5, 41), "Rail-mobile KN-23", "Uiju"),
        row(8, date(2022, 1, 14), time(5, 52), "Rail-mobile KN-23", "Uiju"),
        row(9, date(2022, 1, 14), time(8, 10), "Hwasong-11B (KN-24)", "Uiju"),
    ]
    events = group_events("cns", "cns-2026", rows, pack)
    assert [(e.key, e.count) for e in events] == [("cns:5", 1), ("cns:6", 1), ("cns:7-8", 2),
                                                  ("cns:9", 1)]
    assert events[2].weapon == "KN-23" and events[2].label.startswith("cns lines 7,8: 2022-01-14")


def test_file_names_are_mapped_to_the_pack_and_unknown_ones_kept(pack: Pack) -> None:
    assert pack_weapon("Hwasong-11A (KN-23)", pack) == "KN-23"
    assert pack_weapon("ER Scud", pack) == "Scud-ER"
    assert pack_weapon("Rail-mobile KN-23", pack) == "KN-23"
    assert pack_weapon("Pukguksong-2", pack) == "Pukguksong-2"
    assert pack_weapon("New IRBM (2022)", pack) is None
    unknown = localize(row(2, date(2022, 10, 3), time(22, 23), "New IRBM (2022)"),
                       "Asia/Pyongyang", pack)
    assert (unknown.weapon, unknown.weapon_class) == (None, ("IRBM",))
    slv = localize(ReferenceTest("t", 3, "missile", date(2023, 5, 30), date(2023, 5, 30),
                                 weapon_class="SLV"), "Asia/Pyongyang", None)
    assert slv.weapon_class == ("space_launch",)


@pytest.mark.skipif(not SHARED.is_dir(), reason="../shared/reference is not there")
def test_the_two_cns_files_agree_on_the_launch_days_of_january_2022(pack: Pack) -> None:
    from watchfloor.reference import read_reference

    days = {}
    for name in ("nk_missile_tests_1984_2026.csv", "north_korea_missile_test_database_2023-04.csv"):
        read = read_reference(SHARED / "cns" / name)
        events = group_events(name, read.format, read.records, pack)
        days[name] = [e.day_start for e in events
                      if date(2022, 1, 1) <= e.day_start <= date(2022, 1, 31)]
    new, old = days.values()
    # Korean days of the six ballistic launches of January 2022
    assert new == [date(2022, 1, d) for d in (5, 11, 14, 17, 27, 30)]
    # the 2023 file dates the first launch a day late (its own typo, 5-Jan for 4 Jan UTC)
    assert old[1:] == new[1:] and old[0] == date(2022, 1, 6)


def test_a_missile_listed_without_a_time_joins_its_timed_salvo(pack: Pack) -> None:
    rows = [
        row(10, date(2019, 5, 4), time(1, 54), "Hwasong-11A (KN-23)", "Hodo"),
        row(11, date(2019, 5, 4), None, "Hwasong-11A (KN-23)", "Hodo"),
        # untimed launches on adjacent days stay two
        row(12, date(2019, 7, 1), None, "KN-25", "Kaechon"),
        row(13, date(2019, 7, 2), None, "KN-25", "Kaechon"),
    ]
    events = group_events("cns", "cns-2026", rows, pack)
    assert [(e.key, e.count) for e in events] == [("cns:10-11", 2), ("cns:12", 1),
                                                  ("cns:13", 1)]


def test_two_systems_fired_from_one_site_within_the_hour_are_one_launch(pack: Pack) -> None:
    rows = [row(20, date(2022, 10, 8), time(16, 48), "KN-25", "Samsok"),
            row(21, date(2022, 10, 8), time(17, 3), "Hwasong-11A (KN-23)", "Samsok"),
            # no site: two systems stay two launches
            row(22, date(2022, 11, 2), time(1, 0), "KN-25", None),
            row(23, date(2022, 11, 2), time(1, 10), "Hwasong-11A (KN-23)", None)]
    events = group_events("cns", "cns-2026", rows, pack)
    assert [(e.key, e.count) for e in events] == [("cns:20-21", 2), ("cns:22", 1), ("cns:23", 1)]
    assert events[0].weapon_class == ("SRBM",)
