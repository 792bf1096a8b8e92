"""Reading reference records: format detection, validation with line numbers, both CNS
schemas and the nuclear table. Rows here are written for these tests; the real files in
../shared/reference are read when they are there."""

from __future__ import annotations

import json
from datetime import date, time
from pathlib import Path

import pytest

from watchfloor.errors import WatchfloorError
from watchfloor.reference import detect_format, read_reference

SHARED = Path(__file__).resolve().parents[2] / "shared" / "reference"

OLD_HEADER = ("F1,Date,Date Entered/Updated,Launch Time (UTC),Missile Name,Missile Type,"
              "Launch Agency/Authority,Facility Name,Facility Location,Other Name,"
              "Facility Latitude,Facility Longitude,Landing Location,Apogee,"
              "Distance Travelled,Confirmation Status,Test Outcome,Additional Information,"
              "Source(s)")


def test_the_header_tells_the_format() -> None:
    assert detect_format(OLD_HEADER.split(",")) == "cns-2023"
    assert detect_format(["date", "time", "series", "missile", "facility", "landing",
                          "outcome"]) == "cns-2026"
    assert detect_format([" test_no", "date_utc", "USGS_event_id"]) == "nuclear"
    assert detect_format(["date", "headline"]) is None


def test_the_2023_schema_in_windows_1252_with_a_line_break_inside_a_field(
    tmp_path: Path,
) -> None:
    rows = [
        OLD_HEADER,
        '1,12-Feb-17,1-Mar-17,10:55:00 PM,Pukguksong-2,MRBM,KPA,Banghyon,"Kusong,\nNorth '
        'Pyongan",,40.0,125.2,Sea of Japan,550 km,"1,500 km",Confirmed,Success,'
        'Cold\xa0launch,x',
        "2,Sep-84,,,Scud-B,SRBM,,Tonghae,,,Unknown,Unknown,Unknown,Unknown,Unknown,"
        "Confirmed,Unknown,,",
        "3,31-Feb-17,,,Scud-B,SRBM,,,,,,,,,,Confirmed,Success,,",
        "4,1-Mar-17,,,Scud-C,SRBM,,,,,,,,between 10 and 20 km,,Confirmed,Fizzled,,",
        "5,2-Mar-17,,,Scud-C",
    ]
    path = tmp_path / "cns_2023.csv"
    path.write_bytes("\r\n".join(rows).encode("cp1252") + b"\r\n")
    read = read_reference(path)
    assert read.format == "cns-2023"
    first, month, odd = read.records
    assert (first.line, first.date_start, first.time_utc) == (2, date(2017, 2, 12), time(22, 55))
    assert (first.system, first.weapon_class, first.outcome) == ("Pukguksong-2", "MRBM",
                                                                 "success")
    assert (first.apogee_km, first.distance_km, first.latitude) == (550.0, 1500.0, 40.0)
    # a month alone is the whole month; "Unknown" is no value
    assert (month.line, month.date_start, month.date_end) == (4, date(1984, 9, 1),
                                                              date(1984, 9, 30))
    assert month.latitude is None and month.outcome == "unknown"
    # a range and an odd outcome keep the row, without those values
    assert odd.line == 6 and odd.apogee_km is None and odd.outcome == "unknown"
    problems = {(p.line, p.column, p.severity) for p in read.problems}
    assert problems == {(5, "date", "error"), (6, "apogee", "warning"),
                        (6, "test outcome", "warning"), (7, "*", "error")}


def test_the_2026_schema_takes_names_and_sites_from_the_keys_beside_it(tmp_path: Path) -> None:
    (tmp_path / "missile.en.json").write_text(json.dumps(
        {"hwasong-15": {"name": "Hwasong-15", "type": "ICBM"}}), encoding="utf-8")
    (tmp_path / "facility.en.json").write_text(json.dumps(
        {"facilities": {"sunan": {"name": "Sunan Airfield", "lat": 39.2, "lon": 125.67}}}),
        encoding="utf-8")
    path = tmp_path / "tests.csv"
    path.write_text(
        "date,time,series,missile,facility,landing,apogee,distance,bearing,outcome,"
        "description,glide\n"
        "2017-11-28,18:17 (UTC),,hwasong-15,sunan,sea-of-japan,4475,950,90,success,one,\n"
        "2017-11-29,25:99 (UTC),1,mystery,sunan,na,na,unknown,90,success,two,\n"
        "2017-13-01,unknown,,hwasong-15,sunan,na,na,na,90,success,three,\n",
        encoding="utf-8")
    read = read_reference(path)
    first, second = read.records
    assert (first.system, first.weapon_class, first.facility) == ("Hwasong-15", "ICBM",
                                                                  "Sunan Airfield")
    assert (first.time_utc, first.apogee_km, first.longitude) == (time(18, 17), 4475.0, 125.67)
    assert (second.system, second.time_utc) == ("mystery", None)
    assert {(p.line, p.column, p.severity) for p in read.problems} == {
        (3, "time", "warning"), (3, "missile", "warning"), (4, "date", "error")}


def test_nuclear_tests_keep_the_central_yield(tmp_path: Path) -> None:
    path = tmp_path / "nuclear.csv"
    path.write_text(
        "test_no,date_utc,origin_time_utc_yao2018,lat_yao2018,lon_yao2018,depth_m_yao2018,"
        "yield_kt_yao2018,usgs_event_id,usgs_origin_time,usgs_mb\n"
        "6,2017-09-03,03:30:01.940,41.3,129.07,,109.4±48.6,us2000aert,"
        "2017-09-03T03:30:01.760Z,6.3\n", encoding="utf-8")
    (test,) = read_reference(path).records
    assert (test.kind, test.date_start, test.time_utc, test.yield_kt) == (
        "nuclear", date(2017, 9, 3), time(3, 30, 1), 109.4)


def test_an_unknown_or_missing_file_is_a_w601_naming_it(tmp_path: Path) -> None:
    path = tmp_path / "notes.csv"
    path.write_text("date,headline\n2017-01-01,hello\n", encoding="utf-8")
    with pytest.raises(WatchfloorError) as err:
        read_reference(path)
    assert err.value.code == "W601" and "notes.csv" in str(err.value)
    assert "cns-2026" in str(err.value)
    with pytest.raises(WatchfloorError) as err:
        read_reference(tmp_path / "absent.csv")
    assert err.value.code == "W601" and "absent.csv" in str(err.value)


@pytest.mark.skipif(not SHARED.is_dir(), reason="../shared/reference is not beside the project")
def test_the_shared_reference_files_read_whole() -> None:
    counts = {}
    for path in (SHARED / "cns" / "nk_missile_tests_1984_2026.csv",
                 SHARED / "cns" / "north_korea_missile_test_database_2023-04.csv",
                 SHARED / "nuclear" / "dprk_nuclear_tests.csv"):
        read = read_reference(path)
        assert not [p for p in read.problems if p.severity == "error"], read.problems[:3]
        counts[read.format] = len(read.records)
    assert counts == {"cns-2026": 339, "cns-2023": 245, "nuclear": 6}


def test_a_file_with_no_readable_row_is_refused_whole(tmp_path: Path) -> None:
    # importing it would replace a stored set with an empty one
    path = tmp_path / "header-only.csv"
    path.write_text("date,time,series,missile,facility,landing,apogee,distance,bearing,outcome,"
                    "description,glide\n", encoding="utf-8")
    with pytest.raises(WatchfloorError, match=r"W601.*no row could be read"):
        read_reference(path)


def test_the_2026_schema_without_its_lookups_warns_once_on_line_1(tmp_path: Path) -> None:
    path = tmp_path / "tests.csv"
    path.write_text(
        "date,time,series,missile,facility,landing,apogee,distance,bearing,outcome,"
        "description,glide\n"
        "2017-11-28,18:17 (UTC),,hwasong-15,sunan,sea-of-japan,4475,950,90,success,one,\n",
        encoding="utf-8")
    read = read_reference(path)
    assert [(p.line, p.column, p.severity) for p in read.problems] == [
        (1, "missile", "warning"), (1, "facility", "warning")]
    assert "missile.en.json is not beside the file" in read.problems[0].message
