"""Consolidation: reports of one real-world event merge across articles into one record with
stable ids, disagreements kept with their sources, a status and a confidence. Records are
built by hand (no pipeline run)."""

from __future__ import annotations

import random
from dataclasses import replace
from datetime import UTC, date, datetime

from watchfloor.consolidate.events import Report, cluster, consolidate, same_event
from watchfloor.records import EventMention, Provenance
from watchfloor.reference.launches import ReferenceEvent


def mention(doc: str, n: int = 0, **fields: object) -> EventMention:
    values: dict[str, object] = {
        "type": "weapon_test", "actor": "PRK", "target": None, "modality": "asserted",
        "trigger": "fired", "weapon": None, "weapon_class": ("IRBM",),
        "date_start": date(2017, 5, 14), "date_end": date(2017, 5, 14), "granularity": "day",
    }
    values.update(fields)
    return EventMention(id=f"ev_{doc}_{n}",  # type: ignore[arg-type]
                        prov=Provenance(doc, n, 0, 5, "extract.events", "1", "p", 0.9),
                        **values)


def report(doc: str, n: int = 0, *, published: str = "2017-05-14T03:00:00",
           source: str | None = None, state: str | None = None,
           place: tuple[float, float] | None = None, zone: str | None = None,
           **fields: object) -> Report:
    return Report(doc_id=doc, ordinal=n, mention=mention(doc, n, **fields), published=published,
                  source=source or f"outlet:{doc}", state_media_of=state, place=place,
                  zone=zone)


def by_reports(events: dict[str, list[Report]]) -> set[frozenset[str]]:
    return {frozenset(r.doc_id for r in rs) for rs in events.values()}


# -- which reports are one event -----------------------------------------------------------


def test_reports_of_one_launch_from_three_articles_are_one_event() -> None:
    reports = [report("a"), report("b", weapon="Hwasong-12"),
               report("c", date_start=date(2017, 5, 13), date_end=date(2017, 5, 13))]
    # c is a Washington story giving the Korean-morning launch the American date before
    assert by_reports(cluster(reports, {})) == {frozenset("abc")}


def test_different_acts_stay_apart() -> None:
    base = mention("a")
    assert not same_event(base, mention("b", type="military_exercise"))
    assert not same_event(base, mention("b", actor="KOR"))
    assert not same_event(base, mention("b", date_start=date(2017, 5, 21),
                                        date_end=date(2017, 5, 21)))
    assert not same_event(base, mention("b", modality="intended"))
    assert not same_event(mention("a", weapon="Hwasong-12"), mention("b", weapon="KN-23"))
    assert not same_event(base, mention("b", weapon_class=("SRBM",)))
    # undated reports are placed nowhere across articles
    assert not same_event(mention("a", date_start=None, date_end=None, granularity="unknown"),
                          mention("b", date_start=None, date_end=None, granularity="unknown"))


def test_the_same_system_given_two_classes_is_one_event() -> None:
    # a first assessment calls the missile intermediate-range, a later one intercontinental
    assert same_event(mention("a", weapon="Hwasong-14", weapon_class=("IRBM",)),
                      mention("b", weapon="Hwasong-14", weapon_class=("ICBM",)))


def test_meetings_are_unordered_and_a_missing_target_still_fits() -> None:
    a = mention("a", type="meeting", actor="USA", target="PRK", weapon_class=())
    assert same_event(a, mention("b", type="meeting", actor="PRK", target="USA", weapon_class=()))
    assert same_event(mention("a", type="statement", actor="JPN", target="PRK", weapon_class=()),
                      mention("b", type="statement", actor="JPN", target=None, weapon_class=()))
    assert not same_event(
        mention("a", type="statement", actor="JPN", target="PRK", weapon_class=()),
        mention("b", type="statement", actor="JPN", target="CHN", weapon_class=()))


def test_a_month_long_date_must_overlap_without_slack() -> None:
    month = {"date_start": date(2017, 6, 1), "date_end": date(2017, 6, 30),
             "granularity": "month"}
    assert same_event(mention("a", **month), mention("b", date_start=date(2017, 6, 30),
                                                      date_end=date(2017, 6, 30)))
    assert not same_event(mention("a", **month), mention("b"))  # 2017-05-14


def test_two_events_of_one_article_never_merge_through_another_article() -> None:
    # one article reports two launches hours apart on one day; another reports one launch
    reports = [report("a", 0), report("a", 1), report("b", 0)]
    events = cluster(reports, {})
    assert len(events) == 2
    assert all(len({r.doc_id for r in rs}) == len(rs) for rs in events.values())


# -- stable ids, updates in place -------------------------------------------------------------


def test_rerunning_on_the_same_reports_changes_nothing() -> None:
    reports = [report("a"), report("b"), report("c", type="statement", actor="JPN",
                                                 target="PRK", weapon_class=())]
    first = consolidate(reports, {})
    existing = {k: e.id for e in first for k in e.reports}
    again = consolidate(list(reversed(reports)), existing)
    assert [(e.id, e.reports, e.status) for e in again] == [
        (e.id, e.reports, e.status) for e in first]


def test_ids_do_not_depend_on_input_order() -> None:
    reports = [report(d, published=f"2017-05-1{i}T00:00:00") for i, d in enumerate("abcde")]
    reports += [report("f", type="sanction", actor="USA", target="PRK", weapon_class=())]
    shuffled = reports[:]
    random.Random(4).shuffle(shuffled)
    assert [(e.id, e.reports) for e in consolidate(reports, {})] == [
        (e.id, e.reports) for e in consolidate(shuffled, {})]


def test_a_new_article_changes_only_the_events_it_reports() -> None:
    launch_a = report("a")
    other = report("b", type="military_exercise", actor="USA", weapon_class=(),
                    date_start=date(2017, 3, 1), date_end=date(2017, 3, 1))
    first = {e.id: e for e in consolidate([launch_a, other], {})}
    existing = {k: e.id for e in first.values() for k in e.reports}
    later = report("c", published="2017-05-15T01:00:00", source="outlet:c")
    second = {e.id: e for e in consolidate([launch_a, other, later], existing)}
    assert second.keys() == first.keys()
    changed = {i for i in second if second[i] != first[i]}
    assert len(changed) == 1
    (launch_id,) = changed
    assert second[launch_id].reports == (("a", 0), ("c", 0))
    assert second[launch_id].documents == 2 and second[launch_id].sources == 2


# -- values, disagreements, sources, status -----------------------------------------------------


def test_disagreements_keep_every_value_with_its_sources_and_the_rule() -> None:
    reports = [
        report("a", count=1, source="outlet:wire", published="2017-05-14T01:00:00"),
        report("b", count=2, source="outlet:paper", published="2017-05-14T05:00:00"),
        report("c", count=2, source="outlet:tv", published="2017-05-14T06:00:00"),
    ]
    (event,) = consolidate(reports, {})
    assert event.count == 2
    dis = event.disagreements["count"]
    assert dis.resolved == "2" and dis.rule == "most independent sources"
    assert dis.values == (("2", ("b", "c"), 2), ("1", ("a",), 1))


def test_a_tie_goes_to_the_latest_report_and_a_date_tie_to_the_most_precise() -> None:
    reports = [
        report("a", location="Kusong", published="2017-05-14T01:00:00"),
        report("b", location="Panghyon", published="2017-05-14T09:00:00",
               date_start=date(2017, 5, 1), date_end=date(2017, 5, 31), granularity="month"),
    ]
    (event,) = consolidate(reports, {})
    assert event.location == "Panghyon"
    assert event.disagreements["location"].rule == "latest report"
    assert (event.date_start, event.granularity) == (date(2017, 5, 14), "day")
    assert event.disagreements["date"].rule == "most precise date"


def test_a_syndicated_copy_adds_a_document_but_no_source() -> None:
    reports = [report("wire", source="outlet:Wire"), report("copy", source="outlet:Wire")]
    (event,) = consolidate(reports, {})
    assert (event.documents, event.sources, event.status) == (2, 1, "reported")


def test_status_follows_the_reports() -> None:
    kcna = consolidate([report("k", source="outlet:KCNA", state="PRK")], {})[0]
    assert kcna.status == "claimed"
    two = consolidate([report("a"), report("b")], {})[0]
    assert two.status == "confirmed" and two.confidence > kcna.confidence
    disputed = consolidate([report("a"), report("b", modality="negated")], {})[0]
    assert disputed.status == "disputed"
    retracted = consolidate([
        report("a", source="outlet:x", published="2017-05-14T01:00:00"),
        report("b", source="outlet:x", modality="negated", published="2017-05-15T01:00:00"),
    ], {})[0]
    assert retracted.status == "retracted"
    revised = consolidate([
        report("a", source="outlet:x", count=1, published="2017-05-14T01:00:00"),
        report("b", source="outlet:x", count=2, published="2017-05-14T08:00:00"),
    ], {})[0]
    assert revised.status == "revised"


def test_confidence_grows_with_independent_sources() -> None:
    values = [consolidate([report(str(i)) for i in range(n)], {})[0].confidence
              for n in (1, 2, 3)]
    assert values[0] < values[1] < values[2] < 1.0


def test_a_reference_record_confirms_and_is_taken_once() -> None:
    ref = ReferenceEvent(
        key="cns:10", set_name="cns", lines=(10,), kind="missile", actor="PRK",
        day_start=date(2017, 5, 14), day_end=date(2017, 5, 14),
        utc=datetime(2017, 5, 13, 20, 28), system="Hwasong-12", weapon="Hwasong-12",
        weapon_class=("IRBM",), count=1, outcome="success", facility="Kusong",
        distance_km=787.0, apogee_km=2111.0, yield_kt=None)
    events = consolidate([report("a"), report("a", 1, weapon_class=("SRBM",))], {},
                         {"cns": [ref]})
    confirmed = [e for e in events if e.reference]
    assert [e.reference for e in confirmed] == [("cns:10",)]
    assert confirmed[0].status == "confirmed" and confirmed[0].confidence >= 0.95
    # a plan, or a test on another day, is not the record
    plan = consolidate([report("p", modality="intended")], {}, {"cns": [ref]})[0]
    later = consolidate([report("q", date_start=date(2017, 5, 20),
                                date_end=date(2017, 5, 20))], {}, {"cns": [ref]})[0]
    assert plan.reference == () and later.reference == ()
    # a missile is not a nuclear test of the same day
    nuclear = replace(ref, kind="nuclear", weapon=None, weapon_class=("nuclear",))
    assert consolidate([report("n")], {}, {"nuclear": [nuclear]})[0].reference == ()


def test_times_of_day_hours_apart_are_two_launches_and_minutes_apart_one() -> None:
    # two launches on one day, 05:58 and 08:05 in Korea; a US story gives the first in UTC
    day = {"date_start": date(2016, 6, 22), "date_end": date(2016, 6, 22)}
    first = report("a", time="2016-06-22T05:58+09:00", weapon="Musudan", **day)
    second = report("b", time="2016-06-22T08:05+09:00", weapon="Musudan", **day)
    first_utc = report("c", time="2016-06-21T20:58+00:00", weapon="Musudan",
                       date_start=date(2016, 6, 21), date_end=date(2016, 6, 21))
    no_time = report("d", weapon="Musudan", **day)
    events = consolidate([first, second, first_utc, no_time], {})
    groups = {frozenset(d for d, _ in e.reports) for e in events}
    assert any({"a", "c"} <= g for g in groups) and not any({"a", "b"} <= g for g in groups)
    merged = next(e for e in events if {"a", "c"} <= {d for d, _ in e.reports})
    assert merged.time == "2016-06-21T20:58+00:00"
    assert "time" not in merged.disagreements  # one moment, written in two zones


def test_sources_that_differ_on_the_outcome_dispute_the_event() -> None:
    kcna = report("k", status="succeeded", source="outlet:KCNA", state="PRK",
                  published="2017-05-14T09:00:00")
    seoul = report("s", status="failed", published="2017-05-14T02:00:00")
    (event,) = consolidate([kcna, seoul], {})
    assert event.status == "disputed"
    assert {v for v, _, _ in event.disagreements["outcome"].values} == {"failed", "succeeded"}
    (agreed,) = consolidate([report("a", status="failed"), report("b", status="failed")], {})
    assert (agreed.status, agreed.outcome) == ("confirmed", "failed")


def test_sources_giving_different_ranges_keep_both_and_the_majority_wins() -> None:
    reports = [report("a", distance_km=800.0, source="outlet:seoul"),
               report("b", distance_km=1000.0, source="outlet:tokyo"),
               report("c", distance_km=1000.0, source="outlet:wire")]
    (event,) = consolidate(reports, {})
    assert event.distance_km == 1000.0
    dis = event.disagreements["distance_km"]
    assert dis.values == (("1,000 km", ("b", "c"), 2), ("800 km", ("a",), 1))
    assert dis.rule == "most independent sources"


def test_places_far_apart_are_two_acts_and_near_ones_one() -> None:
    # coordinates as the pack gives them: Sinpo, Tongchang-ri and Kusong
    sinpo, tongchang, kusong = (40.04, 128.18), (39.66, 124.71), (40.01, 125.22)
    events = consolidate([report("a", place=sinpo), report("b", place=tongchang),
                          report("c", place=kusong)], {})
    groups = {frozenset(d for d, _ in e.reports) for e in events}
    assert groups == {frozenset("a"), frozenset("bc")}
    # a place the pack does not know fits any
    (one,) = consolidate([report("a", place=sinpo), report("d", place=None)], {})
    assert one.documents == 2


def test_a_loosely_dated_report_naming_its_system_joins_the_one_event_of_that_system() -> None:
    day = {"date_start": date(2017, 7, 4), "date_end": date(2017, 7, 4)}
    loose = {"date_start": date(2016, 7, 4), "date_end": date(2017, 7, 4),
             "granularity": "interval"}
    launch = report("a", weapon="Hwasong-14", weapon_class=("ICBM",), **day)
    kcna = report("k", weapon="Hwasong-14", weapon_class=("ICBM",), **loose)
    (event,) = consolidate([launch, kcna], {})
    assert event.documents == 2 and event.date_start == date(2017, 7, 4)
    # two launches of the system in its span: which one is not known, so neither
    second = report("b", weapon="Hwasong-14", weapon_class=("ICBM",),
                    date_start=date(2017, 3, 1), date_end=date(2017, 3, 1))
    assert len(consolidate([launch, second, kcna], {})) == 3
    # without a system name, a loose date places nothing
    vague = report("v", weapon_class=("ICBM",), **loose)
    assert len(consolidate([launch, vague], {})) == 2


def test_a_nuclear_test_and_a_launch_the_same_day_are_two_events() -> None:
    nuclear = report("n", weapon_class=("nuclear",))
    launch = report("m", weapon_class=())
    assert len(consolidate([nuclear, launch], {})) == 2


def test_records_go_to_the_best_pairs_over_all_events_at_once() -> None:
    def launch(line: int, hour: int, minute: int) -> ReferenceEvent:
        return ReferenceEvent(
            key=f"cns:{line}", set_name="cns", lines=(line,), kind="missile", actor="PRK",
            day_start=date(2016, 6, 22), day_end=date(2016, 6, 22),
            utc=datetime(2016, 6, 21, hour, minute, tzinfo=UTC), system="Musudan",
            weapon="Musudan", weapon_class=("IRBM",), count=1, outcome="unknown",
            facility=None, distance_km=None, apogee_km=None, yield_kt=None)

    day = {"date_start": date(2016, 6, 22), "date_end": date(2016, 6, 22),
           "weapon": "Musudan"}
    # the second launch from two sources, the first from one: each takes its own record by
    # its time, whichever comes first in id order
    second = [report(d, time="2016-06-22T08:05+09:00", **day) for d in ("a", "b")]
    first = report("c", time="2016-06-22T05:58+09:00", **day)
    events = consolidate([*second, first], {},
                         {"cns": [launch(85, 20, 56), launch(86, 23, 3)]})
    by_docs = {frozenset(d for d, _ in e.reports): e.reference for e in events}
    assert by_docs[frozenset("ab")] == ("cns:86",)  # 08:05 in Korea is 23:05 UTC
    assert by_docs[frozenset("c")] == ("cns:85",)


def test_the_date_is_the_actor_s_day_and_one_zone_gives_no_day_of_slack() -> None:
    zones = {"PRK": "Asia/Pyongyang"}
    tuesday = {"date_start": date(2017, 10, 31), "date_end": date(2017, 10, 31)}
    wednesday = {"date_start": date(2017, 11, 1), "date_end": date(2017, 11, 1)}
    # Washington's Tuesday evening is Seoul's Wednesday morning
    us = report("w", zone="America/New_York", published="2017-10-31T23:00:00", **tuesday)
    seoul = report("s", zone="Asia/Seoul", published="2017-11-01T01:00:00", **wednesday)
    (event,) = consolidate([us, seoul], {}, None, zones)
    assert event.date_start == date(2017, 11, 1)
    assert event.disagreements["date"].rule == "the reports from the actor's zone"
    # the moment decides where there is one: 22:20 UTC on the 31st is the 1st in Pyongyang
    timed = report("t", zone="America/New_York", time="2017-10-31T18:20-04:00", **tuesday)
    (event,) = consolidate([timed, report("u", zone="America/New_York", **tuesday)], {},
                           None, zones)
    assert event.date_start == date(2017, 11, 1)
    # two stories from one zone a day apart report two protests
    monday = report("m", type="protest", actor="JPN", target="PRK", weapon_class=(),
                    zone="Asia/Tokyo", date_start=date(2017, 10, 30),
                    date_end=date(2017, 10, 30))
    next_day = report("n", type="protest", actor="JPN", target="PRK", weapon_class=(),
                      zone="Asia/Tokyo", **tuesday)
    assert len(consolidate([monday, next_day], {}, None, zones)) == 2
