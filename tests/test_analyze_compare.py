"""The chronology check: consolidated weapon tests against reference launches, one to one,
with recall, precision, agreement and the unmatched items. Records are built by hand."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime

from watchfloor.analyze.compare import compare
from watchfloor.records import CanonicalEvent
from watchfloor.reference.launches import ReferenceEvent


def ref(line: int, day: date, weapon: str | None = "Hwasong-12", classes: tuple[str, ...] = (
        "IRBM",), kind: str = "missile") -> ReferenceEvent:
    return ReferenceEvent(key=f"cns:{line}", set_name="cns", lines=(line,), kind=kind,
                          actor="PRK", day_start=day, day_end=day,
                          utc=datetime(day.year, day.month, day.day, tzinfo=UTC), system=weapon,
                          weapon=weapon, weapon_class=classes, count=1, outcome="success",
                          facility=None, distance_km=None, apogee_km=None, yield_kt=None)


def event(name: str, start: date, end: date | None = None, weapon: str | None = None,
          classes: tuple[str, ...] = ("IRBM",), **fields: object) -> CanonicalEvent:
    values: dict[str, object] = {
        "id": name, "type": "weapon_test", "actor": "PRK", "target": None,
        "modality": "asserted", "weapon": weapon, "weapon_class": classes, "location": None,
        "date_start": start, "date_end": end or start,
        "granularity": "day" if end is None else "month", "count": None,
        "status": "reported", "confidence": 0.6, "documents": 1, "sources": 1,
        "first_reported": None, "last_reported": None,
    }
    values.update(fields)
    return CanonicalEvent(**values)  # type: ignore[arg-type]


def test_recall_precision_agreement_and_the_unmatched_on_each_side() -> None:
    refs = [ref(1, date(2017, 5, 14)), ref(2, date(2017, 5, 21), "Pukguksong-2", ("MRBM",)),
            ref(3, date(2017, 7, 4), "Hwasong-14", ("ICBM",))]
    events = [
        event("a", date(2017, 5, 13), weapon="Hwasong-12"),  # a US date, a day early
        event("b", date(2017, 5, 21), weapon="Pukguksong-2", classes=("MRBM",)),
        event("c", date(2017, 6, 8), classes=("cruise",)),  # not in a ballistic list
        event("d", date(2017, 8, 26), classes=("SRBM",)),  # not in the reference
        event("e", date(2017, 1, 1), date(2017, 12, 31), classes=("IRBM",)),  # a tally
    ]
    result = compare("cns", refs, events, date(2017, 1, 1), date(2017, 12, 31))
    assert [(p.reference.key, p.event.id, p.day_gap, p.same_system) for p in result.pairs] == [
        ("cns:1", "a", 1, True), ("cns:2", "b", 0, True)]
    assert [r.key for r in result.missed] == ["cns:3"]
    assert [e.id for e in result.unmatched] == ["d"]
    assert sorted(e.id for e in result.out_of_scope) == ["c", "e"]
    summary = result.summary()
    assert (summary["recall"], summary["precision"]) == (0.667, 0.667)
    assert (summary["date_agreement"], summary["system_agreement"]) == (0.5, 1.0)


def test_each_record_and_each_event_is_matched_once_nearest_day_first() -> None:
    refs = [ref(1, date(2016, 6, 22), "Musudan"), ref(2, date(2016, 6, 23), "Musudan")]
    events = [event("x", date(2016, 6, 23), weapon="Musudan"),
              event("y", date(2016, 6, 22), weapon="Musudan")]
    result = compare("cns", refs, events, date(2016, 6, 1), date(2016, 6, 30))
    assert sorted((p.reference.key, p.event.id) for p in result.pairs) == [
        ("cns:1", "y"), ("cns:2", "x")]


def test_a_nuclear_table_compares_only_nuclear_tests() -> None:
    refs = [ref(5, date(2016, 1, 6), None, ("nuclear",), kind="nuclear")]
    events = [event("n", date(2016, 1, 6), classes=("nuclear",)),
              event("m", date(2016, 1, 6), classes=("SRBM",))]
    result = compare("nuclear", refs, events, date(2016, 1, 1), date(2016, 12, 31))
    assert [p.event.id for p in result.pairs] == ["n"]
    assert [e.id for e in result.out_of_scope] == ["m"] and result.unmatched == []


def test_an_empty_period_has_no_rates() -> None:
    result = compare("cns", [ref(1, date(2017, 5, 14))], [], date(2018, 1, 1),
                     date(2018, 12, 31))
    assert result.recall is None and result.precision is None and result.pairs == []


def test_times_of_day_are_compared_in_utc() -> None:
    launch = ref(7, date(2017, 5, 14))  # utc: 2017-05-14 00:00 UTC in the helper
    on_time = event("t", date(2017, 5, 14), weapon="Hwasong-12", time="2017-05-14T09:20+09:00")
    result = compare("cns", [launch], [on_time], date(2017, 5, 1), date(2017, 5, 31))
    assert [p.minutes_apart for p in result.pairs] == [20]
    assert result.summary()["time_agreement"] == 1.0


def test_outcomes_are_compared_with_the_record_s() -> None:
    failed = replace(ref(8, date(2016, 4, 15), "Musudan"), outcome="failure")
    ours = event("m", date(2016, 4, 15), weapon="Musudan", outcome="failed")
    result = compare("cns", [failed], [ours], date(2016, 4, 1), date(2016, 4, 30))
    assert [p.same_outcome for p in result.pairs] == [True]
    assert result.summary()["outcome_agreement"] == 1.0


def test_a_reported_distance_agrees_within_ten_percent_of_the_record_s() -> None:
    record = replace(ref(9, date(2017, 3, 6), "Scud-ER", ("MRBM",)), distance_km=1000.0)
    close = event("c", date(2017, 3, 6), weapon="Scud-ER", classes=("MRBM",),
                  distance_km=950.0)
    result = compare("cns", [record], [close], date(2017, 3, 1), date(2017, 3, 31))
    assert [p.distance_off for p in result.pairs] == [0.05]
    assert result.summary()["distance_agreement"] == 1.0
    far = replace(close, distance_km=800.0)
    assert compare("cns", [record], [far], date(2017, 3, 1), date(2017, 3, 31)
                   ).summary()["distance_agreement"] == 0.0
