"""Claim checks on known events built by hand: North Korea's January 2022 launches by Korean
day as CNS lists them (ballistic only) plus a cruise-missile test only extraction knows, the
IRBM and ICBM launches of 2017, the six nuclear tests, and the Trump-Kim meetings."""

from __future__ import annotations

from datetime import date

import pytest

from watchfloor.analyze.claimcheck import (
    FROM_THE_FIRST,
    ClaimCheck,
    Coverage,
    KnownEvent,
    check_claim,
)
from watchfloor.records import Claim, ClaimKind, EventMention, Provenance

PROV = Provenance(doc_id="doc-test", sentence=3, start=120, end=170, extractor="extract.claims",
                  version="test", pack_sha256="0" * 64)
END_OF_DATA = date(2026, 3, 31)
CNS = Coverage("cns-2026", "weapon_test", "PRK",
               frozenset({"SRBM", "MRBM", "IRBM", "ICBM", "SLBM", "space_launch", "hypersonic"}),
               FROM_THE_FIRST, END_OF_DATA)
NUCLEAR_TABLE = Coverage("nuclear-tests", "weapon_test", "PRK", frozenset({"nuclear"}),
                         FROM_THE_FIRST, END_OF_DATA)
COVERAGE = (CNS, NUCLEAR_TABLE)


def reference(key: str, day: date, weapon: str | None, classes: tuple[str, ...],
              count: int | None = 1) -> KnownEvent:
    return KnownEvent(key=key, origin="reference", type="weapon_test", actor="PRK",
                      target=None, day_start=day, day_end=day, weapon=weapon,
                      weapon_class=classes, count=count,
                      label=f"{key}: {day}, {weapon or 'unknown'}"
                            + (f" x{count}" if count and count > 1 else ""))


def extracted(key: str, start: date, *, end: date | None = None, type: str = "weapon_test",
              actor: str = "PRK", target: str | None = None, weapon: str | None = None,
              classes: tuple[str, ...] = ()) -> KnownEvent:
    return KnownEvent(key=key, origin="extracted", type=type, actor=actor, target=target,
                      day_start=start, day_end=end or start, weapon=weapon,
                      weapon_class=classes, count=None, label=f"{key}: {type} on {start}")


# CNS rows by Korean day: a salvo is one row group, one act.
CNS_JANUARY_2022 = (
    reference("cns-2026:162", date(2022, 1, 5), "Hwasong-12A", ("MRBM",)),
    reference("cns-2026:163", date(2022, 1, 11), "Hwasong-12A", ("MRBM",)),
    reference("cns-2026:164-165", date(2022, 1, 14), "Rail-mobile KN-23", ("SRBM",), 2),
    reference("cns-2026:166-167", date(2022, 1, 17), "Hwasong-11B", ("SRBM",), 2),
    reference("cns-2026:168-169", date(2022, 1, 27), "Hwasong-11A", ("SRBM",), 2),
    reference("cns-2026:170", date(2022, 1, 30), "Hwasong-12", ("IRBM",)),
)
CNS_2017_TO_2021 = (
    reference("cns-2026:109", date(2017, 5, 15), "Hwasong-12", ("IRBM",)),
    reference("cns-2026:112", date(2017, 7, 4), "Hwasong-14", ("ICBM",)),
    reference("cns-2026:113", date(2017, 7, 28), "Hwasong-14", ("ICBM",)),
    reference("cns-2026:117", date(2017, 8, 29), "Hwasong-12", ("IRBM",)),
    reference("cns-2026:118", date(2017, 9, 15), "Hwasong-12", ("IRBM",)),
    reference("cns-2026:119", date(2017, 11, 29), "Hwasong-15", ("ICBM",)),
    reference("cns-2026:120", date(2019, 4, 17), None, ()),  # CNS: missile and type unknown
    reference("cns-2026:142", date(2019, 10, 2), "Pukguksong-3", ("SLBM",)),
    reference("cns-2026:160", date(2021, 9, 28), "Hwasong-12B", ("hypersonic",)),
    reference("cns-2026:161", date(2021, 10, 19), "Hwasong-11S", ("SLBM",)),
)
CRUISE_JANUARY_25 = extracted("event:cruise-0125", date(2022, 1, 25), classes=("cruise",))
NUCLEAR_TESTS = tuple(
    reference(f"nuclear-tests:{n}", day, None, ("nuclear",), None)
    for n, day in enumerate((date(2006, 10, 9), date(2009, 5, 25), date(2013, 2, 12),
                             date(2016, 1, 6), date(2016, 9, 9), date(2017, 9, 3)), start=1)
)
TRUMP_KIM_MEETINGS = (
    extracted("event:singapore", date(2018, 6, 12), type="meeting", actor="USA", target="PRK"),
    extracted("event:hanoi", date(2019, 2, 27), end=date(2019, 2, 28), type="meeting",
              actor="PRK", target="USA"),
    extracted("event:panmunjom", date(2019, 6, 30), type="meeting", actor="USA",
              target="PRK"),
)
JANUARY_30 = date(2022, 1, 30)


def claim(kind: ClaimKind, evidence: str, *, about: str = "weapon_test",
          actor: str | None = "PRK", target: str | None = None, value: int | None = None,
          since: str | None = None, period: tuple[date, date] | None = None) -> Claim:
    return Claim(id=f"claim:{kind}:{value}:{since}", kind=kind, about=about, actor=actor,
                 evidence=evidence, prov=PROV, target=target, value=value, since=since,
                 period_start=period[0] if period else None,
                 period_end=period[1] if period else None)


def launch(day: date, weapon: str | None, classes: tuple[str, ...]) -> EventMention:
    return EventMention(id=f"mention:{day}", type="weapon_test", actor="PRK", target=None,
                        modality="asserted", trigger="launched", prov=PROV, weapon=weapon,
                        weapon_class=classes, date_start=day, date_end=day, granularity="day")


HWASONG_12_LAUNCH = launch(JANUARY_30, "Hwasong-12", ("IRBM",))
NUCLEAR_TEST_2016 = launch(date(2016, 1, 6), None, ("nuclear",))
JANUARY_2022 = (date(2022, 1, 1), date(2022, 1, 31))


def nth_launch_in_january(value: int, known: tuple[KnownEvent, ...]) -> ClaimCheck:
    return check_claim(
        claim("ordinal", "the North's seventh missile launch this month"
              if value == 7 else f"launch number {value} of missiles this month",
              value=value, period=JANUARY_2022),
        subject=HWASONG_12_LAUNCH, known=known, coverage=COVERAGE, as_of=JANUARY_30)


# --- ordinal: missile launches in January 2022 ---------------------------------------------


def test_ordinal_supported_when_an_extracted_cruise_test_fills_the_reference_gap() -> None:
    duplicate = extracted("event:hwasong12-0130", JANUARY_30, weapon="Hwasong-12",
                          classes=("IRBM",))
    check = nth_launch_in_january(7, (*CNS_JANUARY_2022, CRUISE_JANUARY_25, duplicate))
    assert check.verdict == "supported", check.reason
    assert check.claimed == "7th weapon_test by PRK in 2022-01-01..2022-01-31"
    assert check.found == "6 in the reference, 7 with extracted events"
    assert check.evidence == (
        "cns-2026:162", "cns-2026:163", "cns-2026:164-165", "cns-2026:166-167",
        "event:cruise-0125", "cns-2026:168-169", "cns-2026:170", "event:hwasong12-0130",
    )


def test_ordinal_unverifiable_when_only_the_ballistic_reference_is_known() -> None:
    check = nth_launch_in_january(7, CNS_JANUARY_2022)
    assert check.verdict == "unverifiable"
    assert check.found == "6 in the reference"
    assert "cns-2026 lists" in check.reason
    assert "may count cruise-missile or artillery tests" in check.reason
    assert "6 found" in check.reason and "the claim's 7" in check.reason
    assert len(check.evidence) == 6


def test_ordinal_contradicted_when_the_reference_alone_gives_more() -> None:
    check = nth_launch_in_january(5, (*CNS_JANUARY_2022, CRUISE_JANUARY_25))
    assert check.verdict == "contradicted"
    assert "the reference lists 6 matching acts" in check.reason
    assert "event:cruise-0125" not in check.evidence
    assert check.evidence[-1] == "cns-2026:170"


def test_ordinal_excess_resting_on_an_extracted_event_is_not_a_contradiction() -> None:
    # The article may count ballistic launches only: 6 in CNS, 7 with the cruise test.
    check = nth_launch_in_january(6, (*CNS_JANUARY_2022, CRUISE_JANUARY_25))
    assert check.verdict == "unverifiable"
    assert "rests on extracted events" in check.reason


def test_ordinal_counts_up_to_the_subjects_day_not_the_publication_day() -> None:
    jan_17 = launch(date(2022, 1, 17), "Hwasong-11B", ("SRBM",))
    check = check_claim(
        claim("ordinal", "its fourth ballistic missile launch this month", value=4,
              period=JANUARY_2022),
        subject=jan_17, known=CNS_JANUARY_2022, coverage=COVERAGE, as_of=JANUARY_30)
    assert check.verdict == "supported", check.reason
    assert check.evidence[-1] == "cns-2026:166-167"


# --- ordinal and total: nuclear tests ------------------------------------------------------


def test_fourth_nuclear_test_on_2016_01_06_is_supported_by_the_nuclear_table() -> None:
    check = check_claim(claim("ordinal", "the North's fourth nuclear test", value=4),
                        subject=NUCLEAR_TEST_2016, known=(*NUCLEAR_TESTS, *CNS_2017_TO_2021),
                        coverage=COVERAGE, as_of=date(2016, 1, 6))
    assert check.verdict == "supported", check.reason
    assert check.evidence == ("nuclear-tests:1", "nuclear-tests:2", "nuclear-tests:3",
                              "nuclear-tests:4")


def test_a_claim_naming_no_weapon_counts_the_kind_of_act_it_is_about() -> None:
    # "its fourth nuclear test and its first since February 2013": the second names no weapon
    check = check_claim(claim("first_since", "its first since February 2013", since="2013-02"),
                        subject=NUCLEAR_TEST_2016, known=(*NUCLEAR_TESTS, *CNS_2017_TO_2021),
                        coverage=COVERAGE, as_of=date(2016, 1, 6))
    assert check.verdict == "supported", check.reason
    assert check.evidence == ("nuclear-tests:3",)
    # with no act to take the kind from, the words alone do not say what is counted
    alone = check_claim(claim("ordinal", "its fourth test", value=4), subject=None,
                        known=NUCLEAR_TESTS, coverage=COVERAGE, as_of=date(2016, 1, 6))
    assert alone.verdict == "unverifiable" and "do not say which weapons" in alone.reason


def test_fifth_nuclear_test_dated_2016_01_06_is_contradicted_it_was_the_fourth() -> None:
    check = check_claim(claim("ordinal", "a fifth nuclear test", value=5),
                        subject=NUCLEAR_TEST_2016, known=NUCLEAR_TESTS, coverage=COVERAGE,
                        as_of=date(2016, 1, 7))
    assert check.verdict == "contradicted"
    assert check.found == "4 in the reference"
    assert "lists 4 matching acts up to 2016-01-06, so it was the 4th, not the 5th" in check.reason


def test_a_reference_that_starts_late_cannot_contradict_an_all_time_ordinal() -> None:
    late = Coverage("nuclear-tests", "weapon_test", "PRK", frozenset({"nuclear"}),
                    date(2010, 1, 1), END_OF_DATA)
    check = check_claim(claim("ordinal", "a fifth nuclear test", value=5),
                        subject=NUCLEAR_TEST_2016, known=NUCLEAR_TESTS[1:], coverage=(late,),
                        as_of=date(2016, 1, 7))
    assert check.verdict == "unverifiable"
    assert "2010-01-01" in check.reason


def test_an_ordinal_with_no_subject_may_number_an_earlier_act() -> None:
    fourth = claim("ordinal", "its fourth nuclear test", value=4)
    later = check_claim(fourth, subject=None, known=NUCLEAR_TESTS, coverage=COVERAGE,
                        as_of=date(2017, 1, 1))
    assert later.verdict == "unverifiable"
    assert "may number an earlier one" in later.reason
    then = check_claim(fourth, subject=None, known=NUCLEAR_TESTS, coverage=COVERAGE,
                       as_of=date(2016, 1, 7))
    assert then.verdict == "supported"


def test_total_nuclear_tests_up_to_publication() -> None:
    six = check_claim(claim("total", "has now conducted six nuclear tests", value=6),
                      subject=None, known=NUCLEAR_TESTS, coverage=COVERAGE,
                      as_of=date(2018, 3, 1))
    assert six.verdict == "supported"
    assert six.claimed == "6 weapon_test acts by PRK up to 2018-03-01"
    five = check_claim(claim("total", "because of its five nuclear tests", value=5),
                       subject=None, known=NUCLEAR_TESTS, coverage=COVERAGE,
                       as_of=date(2018, 3, 1))
    assert five.verdict == "contradicted"


def test_a_nuclear_capable_missile_is_a_missile_not_a_nuclear_test() -> None:
    check = check_claim(
        claim("count", "fired nuclear-capable missiles six times", value=6,
              period=JANUARY_2022),
        subject=None, known=(*CNS_JANUARY_2022, *NUCLEAR_TESTS), coverage=COVERAGE,
        as_of=date(2022, 1, 31))
    assert check.verdict == "supported", check.reason
    assert check.found == "6 in the reference"
    assert not any(k.startswith("nuclear-tests") for k in check.evidence)


# --- first_since ---------------------------------------------------------------------------

THAT_POWERFUL = "the first launch of a missile that powerful since {}"


def first_since(since: str, known: tuple[KnownEvent, ...],
                subject: EventMention | None = HWASONG_12_LAUNCH) -> ClaimCheck:
    return check_claim(claim("first_since", THAT_POWERFUL.format(since), since=since),
                       subject=subject, known=known, coverage=COVERAGE, as_of=JANUARY_30)


def test_first_since_supported_by_the_hwasong_15_of_2017_11_29() -> None:
    # The hypersonic Hwasong-12B and the SLBMs since then have no place in the range order.
    check = first_since("2017", (*CNS_2017_TO_2021, *CNS_JANUARY_2022))
    assert check.verdict == "supported", check.reason
    assert check.evidence == ("cns-2026:119",)
    assert check.found == "latest before: 2017-11-29 (cns-2026:119)"
    assert "IRBM and ICBM" in check.reason
    assert "1 act of unknown class since then (cns-2026:120" in check.reason


@pytest.mark.parametrize("since", ["2017-11", "2017-11-29", "2017-11-28"])
def test_first_since_a_month_or_a_day_within_one_day(since: str) -> None:
    check = first_since(since, (*CNS_2017_TO_2021, *CNS_JANUARY_2022))
    assert check.verdict == "supported", check.reason


def test_first_since_contradicted_names_the_later_act() -> None:
    check = first_since("2016", (*CNS_2017_TO_2021, *CNS_JANUARY_2022))
    assert check.verdict == "contradicted"
    assert "Hwasong-15" in check.reason and "and 5 more" in check.reason
    assert check.evidence[0] == "cns-2026:109" and check.evidence[-1] == "cns-2026:119"


def test_first_since_contradicted_when_the_complete_reference_has_none_in_the_since_year() -> None:
    check = first_since("2018", (*CNS_2017_TO_2021, *CNS_JANUARY_2022))
    assert check.verdict == "contradicted"
    assert "no matching act in 2018" in check.reason
    assert check.evidence == ("cns-2026:119",)


def test_first_since_a_launch_of_unknown_class_in_the_since_year_blocks_a_contradiction() -> None:
    check = first_since("2019", (*CNS_2017_TO_2021, *CNS_JANUARY_2022))
    assert check.verdict == "unverifiable"
    assert "unknown class" in check.reason
    assert check.evidence == ("cns-2026:119", "cns-2026:120")


def test_first_since_unverifiable_when_no_earlier_act_is_known() -> None:
    check = first_since("2017", CNS_JANUARY_2022)
    assert check.verdict == "unverifiable"
    assert "no matching act" in check.reason


def test_first_since_that_powerful_needs_the_subjects_weapon() -> None:
    check = first_since("2017", (*CNS_2017_TO_2021, *CNS_JANUARY_2022), subject=None)
    assert check.verdict == "unverifiable"
    assert "weapon is unknown" in check.reason


def test_first_since_a_later_act_only_extraction_knows_is_not_a_contradiction() -> None:
    cruise_2021 = extracted("event:cruise-2021", date(2021, 9, 12), classes=("cruise",))
    check = check_claim(
        claim("first_since", "its first cruise missile test since 2019", since="2019"),
        subject=launch(date(2022, 1, 25), None, ("cruise",)),
        known=(cruise_2021, CRUISE_JANUARY_25), coverage=COVERAGE, as_of=date(2022, 1, 26))
    assert check.verdict == "unverifiable"
    assert check.evidence == ("event:cruise-2021",)
    assert "no reference confirms it" in check.reason


def test_first_since_the_subjects_own_act_a_day_off_is_not_an_earlier_one() -> None:
    # The article dates the launch by the UTC day, CNS by the Korean day.
    check = first_since("2017", (*CNS_2017_TO_2021, *CNS_JANUARY_2022),
                        subject=launch(date(2022, 1, 31), "Hwasong-12", ("IRBM",)))
    assert check.verdict == "supported", check.reason


# --- meetings: extracted events only -------------------------------------------------------


def met_three_times(known: tuple[KnownEvent, ...]) -> ClaimCheck:
    return check_claim(
        claim("count", "the two leaders had met three times since June 2018", about="meeting",
              actor="USA", target="PRK", value=3,
              period=(date(2018, 6, 1), date(2022, 1, 31))),
        subject=None, known=known, coverage=COVERAGE, as_of=date(2022, 1, 31))


def test_meeting_count_supported_by_extracted_events_either_way_round() -> None:
    check = met_three_times(TRUMP_KIM_MEETINGS)
    assert check.verdict == "supported", check.reason
    assert check.found == "3 among extracted events"
    assert check.evidence == ("event:singapore", "event:hanoi", "event:panmunjom")
    assert check.claimed == "3 meeting acts by USA with PRK in 2018-06-01..2022-01-31"


def test_meeting_shortfall_is_unverifiable_extracted_events_are_not_complete() -> None:
    check = met_three_times(TRUMP_KIM_MEETINGS[:2])
    assert check.verdict == "unverifiable"
    assert "not a complete record" in check.reason


def test_meeting_excess_from_extracted_events_is_not_a_contradiction() -> None:
    extra = extracted("event:hanoi-misdated", date(2019, 3, 5), type="meeting", actor="USA",
                      target="PRK")
    check = met_three_times((*TRUMP_KIM_MEETINGS, extra))
    assert check.verdict == "unverifiable"
    assert check.found == "4 among extracted events"


def test_a_body_stands_for_its_organisation_in_sanction_ordinals() -> None:
    resolutions = tuple(
        extracted(f"event:unsc-{n}", day, type="sanction", actor="UN", target="PRK")
        for n, day in ((1718, date(2006, 10, 14)), (1874, date(2009, 6, 12)),
                       (2087, date(2013, 1, 22)), (2094, date(2013, 3, 7)),
                       (2270, date(2016, 3, 2)))
    )
    subject = EventMention(id="mention:2270", type="sanction", actor="UNSC", target="PRK",
                           modality="asserted", trigger="adopted", prov=PROV,
                           date_start=date(2016, 3, 2), date_end=date(2016, 3, 2))
    check = check_claim(
        claim("ordinal", "the fifth sanctions resolution against Pyongyang", about="sanction",
              actor="UNSC", target="PRK", value=5),
        subject=subject, known=resolutions, coverage=COVERAGE, as_of=date(2016, 3, 3))
    assert check.verdict == "supported", check.reason


# --- one act, two origins ------------------------------------------------------------------

BALLISTIC_SIX_TIMES = claim("count", "fired ballistic missiles on six days in January",
                            value=6, period=JANUARY_2022)


def test_an_act_known_from_both_origins_counts_once_and_cites_both_keys() -> None:
    # An extracted report dated by the UTC day (Jan 13) is CNS's Jan 14 salvo.
    utc_dated = extracted("event:kn23-0113", date(2022, 1, 13), weapon="KN-23",
                          classes=("SRBM",))
    unclassed = extracted("event:launch-0130", JANUARY_30)
    check = check_claim(BALLISTIC_SIX_TIMES, subject=None,
                        known=(*CNS_JANUARY_2022, utc_dated, unclassed), coverage=COVERAGE,
                        as_of=date(2022, 1, 31))
    assert check.verdict == "supported", check.reason
    assert check.found == "6 in the reference"
    assert check.evidence[2:4] == ("cns-2026:164-165", "event:kn23-0113")
    assert check.evidence[-2:] == ("cns-2026:170", "event:launch-0130")


def test_a_cruise_test_the_same_day_as_a_ballistic_launch_is_a_second_act() -> None:
    cruise_same_day = extracted("event:cruise-0127", date(2022, 1, 27), classes=("cruise",))
    check = nth_launch_in_january(7, (*CNS_JANUARY_2022, cruise_same_day))
    assert check.verdict == "supported", check.reason
    assert check.evidence.count("event:cruise-0127") == 1


def test_an_extracted_ballistic_launch_the_complete_reference_lacks_is_set_aside() -> None:
    phantom = extracted("event:srbm-0121", date(2022, 1, 21), classes=("SRBM",))
    check = check_claim(BALLISTIC_SIX_TIMES, subject=None,
                        known=(*CNS_JANUARY_2022, phantom), coverage=COVERAGE,
                        as_of=date(2022, 1, 31))
    assert check.verdict == "supported", check.reason
    assert check.found == ("6 in the reference; 1 extracted event the reference does not list "
                           "set aside")
    assert "event:srbm-0121" not in check.evidence


def test_a_count_of_uncertain_date_is_not_supported() -> None:
    in_january = extracted("event:launches-january", date(2022, 1, 1), end=date(2022, 1, 31),
                           classes=("cruise",))
    check = check_claim(
        claim("count", "fired missiles seven times between Jan. 1 and Jan. 27", value=7,
              period=(date(2022, 1, 1), date(2022, 1, 27))),
        subject=None, known=(*CNS_JANUARY_2022, in_january), coverage=COVERAGE,
        as_of=JANUARY_30)
    assert check.verdict == "unverifiable"
    assert "1 more of uncertain class or date" in (check.found or "")


# --- odd claims ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("odd", "words"),
    [
        (claim("ordinal", "its seventh missile test"), "no usable value"),
        (claim("ordinal", "its zeroth missile test", value=0), "no usable value"),
        (claim("first_since", "its first missile test since late 2017", since="late 2017"),
         "not a year, month or day"),
        (claim("first_since", "its first missile test since", since=None),
         "not a year, month or day"),
        (claim("first_since", "its first missile test since 2017", since="2017-13"),
         "not a year, month or day"),
        (claim("count", "fired missiles twice", value=2,
               period=(date(2022, 1, 31), date(2022, 1, 1))), "ends"),
        (claim("count", "fired missiles twice", value=2), "no period or since"),
        (claim("ordinal", "its seventh missile test", value=7, actor=None), "no actor"),
        (claim("ordinal", "its first hydrogen bomb test", value=1), '"hydrogen"'),
        (Claim(id="claim:rate", kind="rate", about="weapon_test", actor="PRK",  # type: ignore[arg-type]
               evidence="", prov=PROV, value=3), "kind 'rate'"),
        (Claim(id="claim:text", kind="total", about="weapon_test", actor="PRK",
               evidence="six missile tests", prov=PROV, value="six"),  # type: ignore[arg-type]
         "no usable value"),
    ],
    ids=["no-value", "zeroth", "since-words", "no-since", "since-month-13", "period-reversed",
         "count-without-window", "no-actor", "hydrogen-bomb", "unknown-kind",
         "value-as-text"],
)
def test_odd_claims_are_unverifiable_with_the_reason(odd: Claim, words: str) -> None:
    check = check_claim(odd, subject=HWASONG_12_LAUNCH,
                        known=(*CNS_2017_TO_2021, *CNS_JANUARY_2022, *NUCLEAR_TESTS),
                        coverage=COVERAGE, as_of=JANUARY_30)
    assert check.verdict == "unverifiable"
    assert words in check.reason
    assert check.evidence == ()


def test_a_launch_of_unknown_class_is_never_a_nuclear_test() -> None:
    unknown = KnownEvent(key="cns:8", origin="reference", type="weapon_test", actor="PRK",
                         target=None, day_start=date(2016, 1, 5), day_end=date(2016, 1, 5),
                         weapon=None, weapon_class=(), count=1, label="cns line 8",
                         kind="missile")
    check = check_claim(claim("ordinal", "the North's fourth nuclear test", value=4),
                        subject=NUCLEAR_TEST_2016, known=(*NUCLEAR_TESTS, unknown),
                        coverage=COVERAGE, as_of=date(2016, 1, 6))
    assert check.verdict == "supported", check.reason
    assert "cns:8" not in check.evidence
