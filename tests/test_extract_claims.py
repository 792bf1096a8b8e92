"""Claims (ordinal, count, total, first_since) on sentences written for these tests."""

from __future__ import annotations

from datetime import UTC, date, datetime

from watchfloor.extract.claims import since_text
from watchfloor.extract.extractor import Extractor
from watchfloor.records import Claim, Document

PUBLISHED = datetime(2019, 5, 10, 3, 0, tzinfo=UTC)


def claims(extractor: Extractor, text: str) -> list[Claim]:
    doc = Document(
        id=Document.make_id(text),
        text=text,
        source="<test>",
        published=PUBLISHED,
        tz="Asia/Seoul",
    )
    return extractor.extract(doc).claims


def one(found: list[Claim], kind: str, about: str) -> Claim:
    matching = [c for c in found if c.kind == kind and c.about == about]
    assert len(matching) == 1, found
    return matching[0]


# --- first_since ---------------------------------------------------------------------------


def test_first_since_after_attribution_takes_the_launcher_and_keeps_the_month(
    extractor: Extractor,
) -> None:
    found = claims(extractor, "North Korea fired a short-range ballistic missile off its west "
                              "coast on Wednesday, Japan's defence ministry said, its first "
                              "launch of that type since August 2016.")
    claim = one(found, "first_since", "weapon_test")
    assert claim.actor == "PRK"
    assert claim.since == "2016-08"


def test_first_since_a_bare_month_counts_back_from_publication(extractor: Extractor) -> None:
    found = claims(extractor, "Pyongyang launched two rockets on Thursday, its first such "
                              "launch since October.")
    claim = one(found, "first_since", "weapon_test")
    assert claim.actor == "PRK"
    assert claim.since == "2018-10"


def test_first_since_a_day_keeps_the_day(extractor: Extractor) -> None:
    found = claims(extractor, "It was the North's first ballistic missile launch since Nov. 29, "
                              "when it tested a new intercontinental ballistic missile.")
    claim = one(found, "first_since", "weapon_test")
    assert claim.actor == "PRK"
    assert claim.since == "2018-11-29"


def test_first_since_month_and_relative_year(extractor: Extractor) -> None:
    found = claims(extractor, "North Korea detonated a nuclear device on Sunday. The test, the "
                              "first since September last year, drew condemnation from Seoul.")
    claim = one(found, "first_since", "weapon_test")
    assert claim.actor == "PRK"
    assert claim.since == "2018-09"


def test_first_since_from_last_with_a_date(extractor: Extractor) -> None:
    found = claims(extractor, "The North last detonated a nuclear device in September 2017.")
    claim = one(found, "first_since", "weapon_test")
    assert claim.actor == "PRK"
    assert claim.since == "2017-09"


def test_first_since_from_a_negated_event_since(extractor: Extractor) -> None:
    found = claims(extractor, "North Korea has not launched an intercontinental ballistic "
                              "missile since late 2017.")
    claim = one(found, "first_since", "weapon_test")
    assert claim.actor == "PRK"
    assert claim.since == "2017"


def test_first_since_is_not_also_an_ordinal(extractor: Extractor) -> None:
    found = claims(extractor, "It was North Korea's fifth nuclear test and its first since "
                              "January 2016.")
    ordinal = one(found, "ordinal", "weapon_test")
    assert (ordinal.actor, ordinal.value, ordinal.since) == ("PRK", 5, None)
    first = one(found, "first_since", "weapon_test")
    assert (first.actor, first.since) == ("PRK", "2016-01")
    assert not [c for c in found if c.kind == "ordinal" and c.value == 1]


def test_a_record_stated_twice_is_one_claim(extractor: Extractor) -> None:
    found = claims(extractor, "North Korea fired a missile on Monday, its first launch since "
                              "March 2018. Its last launch, of a short-range missile in March "
                              "2018, fell into the sea.")
    assert len([c for c in found if c.kind == "first_since"]) == 1


# --- ordinals -----------------------------------------------------------------------------


def test_ordinal_of_an_event_noun_with_a_possessor(extractor: Extractor) -> None:
    found = claims(extractor, "It was the North's third nuclear test.")
    claim = one(found, "ordinal", "weapon_test")
    assert (claim.actor, claim.value) == ("PRK", 3)


def test_ordinal_for_the_nth_time(extractor: Extractor) -> None:
    found = claims(extractor, "North Korea tested a hypersonic missile for the second time, "
                              "state media said.")
    claim = one(found, "ordinal", "weapon_test")
    assert (claim.actor, claim.value) == ("PRK", 2)


def test_ordinal_first_time_without_since(extractor: Extractor) -> None:
    found = claims(extractor, "North Korea tested a solid-fuel missile for the first time.")
    claim = one(found, "ordinal", "weapon_test")
    assert (claim.actor, claim.value) == ("PRK", 1)


def test_ordinal_never_before_is_a_first(extractor: Extractor) -> None:
    found = claims(extractor, "North Korea had never tested this type of missile before.")
    claim = one(found, "ordinal", "weapon_test")
    assert (claim.actor, claim.value) == ("PRK", 1)


def test_ordinal_partitive(extractor: Extractor) -> None:
    found = claims(extractor, "The council punished Pyongyang for the sixth and largest of its "
                              "nuclear tests.")
    claim = one(found, "ordinal", "weapon_test")
    assert (claim.actor, claim.value) == ("PRK", 6)


def test_ordinal_with_no_actor_of_its_own_takes_the_reported_event_actor(
    extractor: Extractor,
) -> None:
    found = claims(extractor, "The U.N. Security Council imposed new sanctions on North Korea "
                              "on Friday. It was the fourth sanctions resolution this year.")
    claim = one(found, "ordinal", "sanction")
    assert claim.actor in ("UNSC", "UN")
    assert claim.value == 4


def test_meeting_ordinal_puts_the_article_main_state_second(extractor: Extractor) -> None:
    # North Korea is the state named most; it goes second, whatever the reading order.
    text = ("North Korea said on Friday it would send athletes to the Games. North Korea also "
            "offered talks. Kim Jong Un and South Korean President Moon Jae-in met at the "
            "border on Thursday, their third meeting this year.")
    claim = one(claims(extractor, text), "ordinal", "meeting")
    assert (claim.actor, claim.target, claim.value) == ("KOR", "PRK", 3)


def test_meeting_ordinal_in_reading_order_when_no_state_dominates(
    extractor: Extractor,
) -> None:
    found = claims(extractor, "Seoul and Washington held talks for the second time in a month.")
    claim = one(found, "ordinal", "meeting")
    assert (claim.actor, claim.target, claim.value) == ("KOR", "USA", 2)


def test_anaphoric_and_indefinite_ordinals_are_no_claims(extractor: Extractor) -> None:
    text = ("North Korea fired two missiles on Tuesday. The second launch appeared to fail, "
            "and the first missile flew about 250 km. A first launch on Monday had exploded.")
    assert claims(extractor, text) == []


def test_ordinal_in_a_since_phrase_dates_something_else(extractor: Extractor) -> None:
    found = claims(extractor, "North Korea has been under sanctions since its first nuclear "
                              "test, in 2006.")
    assert not [c for c in found if c.kind == "ordinal" and c.value == 1]


# --- counts and totals --------------------------------------------------------------------


def test_count_of_times_between_two_parties(extractor: Extractor) -> None:
    found = claims(extractor, "Kim Jong Un and Xi Jinping have met four times since March 2018.")
    claim = one(found, "count", "meeting")
    assert claim.value == 4
    assert {claim.actor, claim.target} == {"PRK", "CHN"}


def test_count_for_the_two_leaders_named_before(extractor: Extractor) -> None:
    found = claims(extractor, "Kim Jong Un met Vladimir Putin in Vladivostok on Thursday. The "
                              "two leaders have met twice this year.")
    claim = one(found, "count", "meeting")
    assert claim.value == 2
    assert {claim.actor, claim.target} == {"PRK", "RUS"}


def test_count_through_a_relative_pronoun(extractor: Extractor) -> None:
    found = claims(extractor, "Russia and China, which have met twice this year, talk often "
                              "about the peninsula.")
    claim = one(found, "count", "meeting")
    assert claim.value == 2
    assert {claim.actor, claim.target} == {"RUS", "CHN"}


def test_count_of_event_nouns(extractor: Extractor) -> None:
    found = claims(extractor, "Last year North Korea conducted two nuclear tests.")
    claim = one(found, "count", "weapon_test")
    assert (claim.actor, claim.value) == ("PRK", 2)
    assert claim.period_start == date(2018, 1, 1)


def test_total_with_now(extractor: Extractor) -> None:
    found = claims(extractor, "North Korea has now carried out six nuclear tests.")
    claim = one(found, "total", "weapon_test")
    assert (claim.actor, claim.value) == ("PRK", 6)


def test_count_of_objects_over_a_year(extractor: Extractor) -> None:
    found = claims(extractor, "In 2017, North Korea tested three intercontinental ballistic "
                              "missiles.")
    claim = one(found, "count", "weapon_test")
    assert (claim.actor, claim.value) == ("PRK", 3)


def test_a_salvo_on_one_day_is_an_event_not_a_count(extractor: Extractor) -> None:
    found = claims(extractor, "North Korea fired two short-range missiles into the sea on "
                              "Tuesday, the military said.")
    assert found == []


def test_at_once_is_no_count(extractor: Extractor) -> None:
    found = claims(extractor, "North Korea fired four missiles almost at once on Monday.")
    assert found == []


# --- since values -------------------------------------------------------------------------


def test_since_text_granularity() -> None:
    assert since_text(date(2014, 3, 1), date(2014, 3, 31), "month") == "2014-03"
    assert since_text(date(2017, 1, 1), date(2017, 12, 31), "year") == "2017"
    assert since_text(date(2017, 11, 29), date(2017, 11, 29), "day") == "2017-11-29"
    # "late November" is an interval inside one month; "late 2017" one inside a year.
    assert since_text(date(2017, 11, 21), date(2017, 11, 30), "interval") == "2017-11"
    assert since_text(date(2017, 9, 1), date(2017, 12, 31), "interval") == "2017"


def test_an_ordinal_s_period_hung_on_its_verb_is_the_ordinal_s(extractor: Extractor) -> None:
    # issue 4: the claim is checked over its period, so the period must come with it
    found = claims(extractor, "SEOUL - North Korea fired a Hwasong-12 missile on Tuesday. That "
                              "marked the first time the country has fired a weapon that strong "
                              "since 2017 and was the regime's seventh missile launch in recent "
                              "weeks.")
    claim = one(found, "ordinal", "weapon_test")
    assert claim.value == 7
    assert claim.period_start is not None and claim.period_end == date(2019, 5, 10)
    assert (date(2019, 5, 10) - claim.period_start).days >= 21
    assert one(found, "first_since", "weapon_test").period_start is None
    # a date in a coordinated phrase is that phrase's, not the ordinal's
    found = claims(extractor, "It was the North's third nuclear test and its first since "
                              "October 2006.")
    assert one(found, "ordinal", "weapon_test").period_start is None
    assert one(found, "first_since", "weapon_test").since == "2006-10"
    # a date in another clause is not the ordinal's period
    found = claims(extractor, "The launch was North Korea's fourth missile test, and the "
                              "talks collapsed in March.")
    assert one(found, "ordinal", "weapon_test").period_start is None


def test_an_ordinal_s_window_of_days_and_not_its_act_s_day_is_its_period(
    extractor: Extractor,
) -> None:
    found = claims(extractor, "SEOUL - North Korea fired a missile on Thursday. It was the "
                              "North's fifth launch in 10 days.")
    claim = one(found, "ordinal", "weapon_test")
    assert (claim.period_start, claim.period_end) == (date(2019, 4, 30), date(2019, 5, 10))
    # the day of the act is no window to count in
    found = claims(extractor, "SEOUL - North Korea conducted its sixth nuclear test on "
                              "Thursday.")
    assert one(found, "ordinal", "weapon_test").period_start is None


def test_acts_named_not_counted_are_no_claims(extractor: Extractor) -> None:
    # "its two latest launches" are the ones just reported, not a total
    assert not claims(extractor, "The council condemned North Korea's two latest missile "
                                 "launches.")
    # a month that dates the act is no window to count in
    found = claims(extractor, "The launch followed North Korea's fourth nuclear test in "
                              "January.")
    assert one(found, "ordinal", "weapon_test").period_start is None
