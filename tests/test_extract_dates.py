"""Dates: finding candidate spans and resolving them against the publication time in the
dateline's time zone. Every sentence here is written for these tests; the real articles are
read from ../shared/corpus/real at run time only, and that test skips when they are absent."""

from __future__ import annotations

import itertools
import pickle
import re
import timeit
from datetime import UTC as UTC_ZONE
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from watchfloor.errors import WatchfloorError
from watchfloor.extract.dates import (
    _FIND,
    DateFinder,
    DateSpan,
    ResolvedDate,
    local_day,
    looks_future,
    resolve,
)

REAL = Path(__file__).resolve().parents[2] / "shared" / "corpus" / "real"

SEOUL = "Asia/Seoul"
NEW_YORK = "America/New_York"
UTC = "UTC"


def at(stamp: str) -> datetime:
    """An aware publication time from ISO 8601 with a Z or an offset."""
    return datetime.fromisoformat(stamp.replace("Z", "+00:00"))


def d(iso: str) -> date:
    return date.fromisoformat(iso)


@pytest.fixture(scope="module")
def finder() -> DateFinder:
    return DateFinder()


# --- finding ------------------------------------------------------------------------------

FOUND = [
    # (sentence, the one span expected in it)
    ("The envoy landed in Seoul on Sunday for talks.", "on Sunday"),
    ("The missiles were fired early on Thursday from the east coast.", "early on Thursday"),
    ("Officials met late Wednesday to review the plan.", "late Wednesday"),
    ("The rocket lifted off on Monday (local time) after a delay.", "on Monday (local time)"),
    ("The ministry confirmed the launch yesterday in a short note.", "yesterday"),
    ("The drills that began last week drew a sharp reply.", "last week"),
    ("Earlier this month, inspectors left the site.", "Earlier this month"),
    ("Sanctions were tightened in January after the test.", "in January"),
    ("The talks stalled last month over verification.", "last month"),
    ("Diplomats will gather this week in Geneva.", "this week"),
    ("It conducted a test on Jan. 6 that drew condemnation.", "on Jan. 6"),
    ("The satellite was shown in March 2016 at a parade.", "in March 2016"),
    ("The leaders met in 2019 in a southern city.", "in 2019"),
    ("They have met twice since June 2018 without progress.", "since June 2018"),
    ("Veterans of the 1950-53 Korean War gathered.", "the 1950-53"),
    (
        "It gave a launch window between Feb. 8 and 25 to shipping agencies.",
        "between Feb. 8 and 25",
    ),
    (
        "Tests at the end of last year going back to October alarmed allies.",
        "at the end of last year going back to October",
    ),
    ("It is the fifth launch in recent weeks by the military.", "in recent weeks"),
    ("A summit could take place later this year, aides say.", "later this year"),
    ("The delegation is due in Beijing next month for meetings.", "next month"),
    ("The launch window ran Feb. 7-14 according to the notice.", "Feb. 7-14"),
    ("The agreement was signed on January 6, 2016 in the capital.", "on January 6, 2016"),
    ("The vote fell on 6 January after long delays.", "on 6 January"),
    ("The filing is dated 2016-01-06 in the registry.", "2016-01-06"),
    ("Ties warmed in the 1990s before cooling again.", "in the 1990s"),
    ("Thursday's meeting ended without a statement.", "Thursday's"),
    ("Analysts studied last week's failure closely.", "last week's"),
    ("A party congress is planned in early May in the capital.", "in early May"),
    ("The plant may be finished by mid-2016 if work continues.", "mid-2016"),
    ("The ship docked three days ago near the border.", "three days ago"),
    ("Traffic at the site rose over the past two weeks, images show.", "over the past two weeks"),
    ("More launches are expected in the coming days, officials warn.", "in the coming days"),
    ("The order was issued on Monday, Jan. 4 by the ministry.", "on Monday, Jan. 4"),
    ("The country has been under sanctions since 2006 for its tests.", "since 2006"),
    ("A spending bill passed at the end of 2016 covered the programme.", "at the end of 2016"),
    ("Exports fell from 2010 to 2012 under the embargo.", "from 2010 to 2012"),
    ("Exercises ran from January to March along the coast.", "from January to March"),
    ("Inspections were halted in May after the dispute.", "in May"),
    ("The plan was drafted in early March by both sides.", "in early March"),
    ("Today's vote marks a fresh start, the envoy said.", "Today's"),
    ("Nuclear activity stepped up in recent days at the site.", "in recent days"),
    ("The council met earlier in the week in closed session.", "earlier in the week"),
    ("The exercises finish at the end of this month on the coast.", "at the end of this month"),
    ("The party meeting is scheduled for early next month.", "for early next month"),
    ("The ship has been held since last year in the port.", "since last year"),
    ("Output rose in the past 24 hours, the agency said.", "in the past 24 hours"),
    ("A prisoner was freed last October after a visit.", "last October"),
    ("The freeze has been in place for several years now.", None),
    ("Moon is to visit Pyongyang this autumn, the aides said.", "this autumn"),
    ("The talks resumed in the winter of 2017 in Geneva.", "in the winter of 2017"),
    ("Kim visited Beijing in spring 2018 by train.", "in spring 2018"),
]


@pytest.mark.parametrize(("sentence", "expected"), FOUND)
def test_find_returns_the_whole_date_phrase(
    finder: DateFinder, sentence: str, expected: str | None
) -> None:
    spans = finder.find(sentence)
    assert [s.text for s in spans] == ([expected] if expected else [])
    for s in spans:
        assert sentence[s.start : s.end] == s.text


NOT_DATES = [
    "We urged restraint and called for dialogue.",
    "Officials may meet again if the talks resume.",
    "Protesters vowed to March on the capital at dawn.",
    "May I ask what the envoy said about it?",
    "Sun Myung Moon founded a church with business arms.",
    "Leaders from Africa and Europe attended the forum.",
    "Resolution 2094 was adopted unanimously by the council.",
    "The missile flew 2000 km before falling into the sea.",
    "It was the first such congress in 36 years.",
    "Weeks later, it launched another rocket.",
    "A 20-year-old student was detained at the airport.",
    "The Hwasong-12 can reach Guam, experts say.",
    "Member states must act within 90 days of the vote.",
    "The ballistic test came the following month.",
    "Frigates and Wednesdays and Fridays are not dates here.",
    "They March 1,000 troops past the reviewing stand.",
    "The rebels began a spring offensive near the border.",
    "Summer heat and winter storms closed the roads.",
]


@pytest.mark.parametrize("sentence", NOT_DATES)
def test_find_ignores_words_that_only_look_like_dates(finder: DateFinder, sentence: str) -> None:
    assert finder.find(sentence) == []


LONG_TEXT = (
    "SEOUL North Korea fired two missiles early on Thursday, the military said, a week after "
    "the United States and South Korea began drills that run until the end of April. "
    "Last month, the Security Council imposed sanctions over the test on Jan. 6 and a rocket "
    "launch on Feb. 7. In 2014 the North freed three prisoners; since June 2018 the two men "
    "have held three summits. We expect more tests in recent weeks to be followed by "
    "a congress in early May, officials may say, and the envoy will arrive on Monday "
    "(local time). Fighting in the 1950-53 Korean War stopped with an armistice. "
    "Between Feb. 8 and 25 ships were warned; the window ran Feb. 7-14 after the change on "
    "Saturday. "
)


def test_find_gives_ordered_spans_that_do_not_overlap(finder: DateFinder) -> None:
    spans = finder.find(LONG_TEXT)
    assert [s.text for s in spans] == [
        "early on Thursday", "the end of April", "Last month", "on Jan. 6", "on Feb. 7",
        "In 2014", "since June 2018", "in recent weeks", "in early May",
        "on Monday (local time)", "in the 1950-53",
        "Between Feb. 8 and 25", "Feb. 7-14", "on Saturday",
    ]  # fmt: skip
    for a, b in itertools.pairwise(spans):
        assert a.end <= b.start


def test_find_matches_the_grammar_run_over_every_position(finder: DateFinder) -> None:
    # The finder only tries the grammar near core words; that must lose nothing.
    text = LONG_TEXT + " ".join(s for s, _ in FOUND) + " ".join(NOT_DATES)
    expected = [(m.start(), m.end()) for m in _FIND.finditer(text)]
    assert [(s.start, s.end) for s in finder.find(text)] == expected


FILLER = [
    "The foreign ministry issued a statement calling the drills a rehearsal for invasion.",
    "Analysts in the capital said the programme had advanced faster than expected.",
    "The envoy urged both sides to return to talks without preconditions.",
    "Satellite images showed vehicles moving around the test site near the coast.",
    "A spokesman for the defence ministry declined to comment on the report.",
    "The council is divided over how far new penalties should go.",
    "Officials in the region fear another nuclear test could follow.",
    "The state news agency carried a long commentary criticising the allies.",
    "Experts believe the missile used a solid-fuel engine for the first stage.",
    "Diplomats said the draft text had been circulated among members.",
    "The military raised its alert level and deployed additional radar units.",
    "Trade across the border has slowed as inspections tightened.",
]


def _six_hundred_words() -> str:
    """A news-like text: a date in one sentence of four, about as dense as real articles."""
    dated = [sentence for sentence, expected in FOUND if expected]
    sentences: list[str] = []
    for i in range(16):
        sentences += [FILLER[(3 * i + j) % len(FILLER)] for j in range(3)] + [dated[i]]
    words = " ".join(sentences).split()
    return " ".join(words[:600])


def test_find_on_six_hundred_words_takes_well_under_a_millisecond(finder: DateFinder) -> None:
    text = _six_hundred_words()
    assert len(text.split()) == 600
    assert len(finder.find(text)) >= 12
    calls = 20
    # The best of several runs: other work on the machine only ever adds time.
    best = min(timeit.repeat(lambda: finder.find(text), number=calls, repeat=7)) / calls
    assert best < 0.001, f"find took {best * 1000:.3f} ms on 600 words"


# --- resolving ----------------------------------------------------------------------------

Case = tuple[str, str, str, bool, str, str, str]
RESOLVED: list[Case] = [
    # (span, published, zone, future, start, end, granularity)
    # Weekdays count back from the local publication day, in the dateline's zone.
    ("on Friday", "2016-03-17T23:01:00Z", SEOUL, False, "2016-03-18", "2016-03-18", "day"),
    ("on Friday", "2016-03-17T23:01:00Z", UTC, False, "2016-03-11", "2016-03-11", "day"),
    ("early on Thursday", "2016-03-09T22:02:00Z", SEOUL, False,
     "2016-03-10", "2016-03-10", "day"),
    ("on Wednesday", "2016-03-02T03:00:00Z", NEW_YORK, False,
     "2016-02-24", "2016-02-24", "day"),
    ("on Wednesday", "2016-03-02T03:00:00Z", UTC, False, "2016-03-02", "2016-03-02", "day"),
    ("on Monday (local time)", "2016-03-15T01:00:00Z", SEOUL, False,
     "2016-03-14", "2016-03-14", "day"),
    ("Thursday's", "2016-03-31T20:07:00Z", NEW_YORK, False, "2016-03-31", "2016-03-31", "day"),
    ("late Wednesday", "2016-03-10T02:00:00Z", NEW_YORK, False,
     "2016-03-09", "2016-03-09", "day"),
    # Future context counts forward, on or after the publication day.
    ("on Friday", "2016-03-14T09:00:00Z", UTC, True, "2016-03-18", "2016-03-18", "day"),
    ("on Friday", "2016-03-14T09:00:00Z", UTC, False, "2016-03-11", "2016-03-11", "day"),
    ("on Monday", "2016-03-14T09:00:00Z", UTC, True, "2016-03-14", "2016-03-14", "day"),
    ("last Friday", "2016-03-18T09:00:00Z", UTC, False, "2016-03-11", "2016-03-11", "day"),
    ("next Monday", "2016-03-14T09:00:00Z", UTC, False, "2016-03-21", "2016-03-21", "day"),
    # Relative days, just after midnight UTC.
    ("yesterday", "2016-03-10T00:30:00Z", UTC, False, "2016-03-09", "2016-03-09", "day"),
    ("yesterday", "2016-03-10T00:30:00Z", NEW_YORK, False, "2016-03-08", "2016-03-08", "day"),
    ("yesterday", "2016-03-10T00:30:00Z", SEOUL, False, "2016-03-09", "2016-03-09", "day"),
    ("today", "2016-03-10T00:30:00Z", NEW_YORK, False, "2016-03-09", "2016-03-09", "day"),
    ("tonight", "2016-03-10T12:00:00Z", SEOUL, False, "2016-03-10", "2016-03-10", "day"),
    ("tomorrow", "2016-12-31T12:00:00Z", UTC, False, "2017-01-01", "2017-01-01", "day"),
    ("last night", "2016-03-01T00:10:00Z", SEOUL, False, "2016-02-29", "2016-02-29", "day"),
    # Weeks run Monday to Sunday; the current one stops at publication in past context.
    ("last week", "2016-03-14T09:00:00Z", UTC, False, "2016-03-07", "2016-03-13", "week"),
    ("last week", "2016-03-16T09:00:00Z", UTC, False, "2016-03-07", "2016-03-13", "week"),
    ("this week", "2016-03-16T09:00:00Z", UTC, False, "2016-03-14", "2016-03-16", "week"),
    ("this week", "2016-03-16T09:00:00Z", UTC, True, "2016-03-14", "2016-03-20", "week"),
    ("next week", "2016-03-16T09:00:00Z", UTC, False, "2016-03-21", "2016-03-27", "week"),
    ("last week's", "2016-04-17T12:36:00Z", UTC, False,
     "2016-04-04", "2016-04-16", "interval"),  # said on a Sunday: the week now ending too
    ("earlier in the week", "2016-03-11T07:41:00Z", SEOUL, False,
     "2016-03-07", "2016-03-10", "interval"),
    ("this weekend", "2016-03-19T09:00:00Z", UTC, False, "2016-03-19", "2016-03-19",
     "interval"),
    ("this weekend", "2016-03-16T09:00:00Z", UTC, True, "2016-03-19", "2016-03-20",
     "interval"),
    # Months named alone: the most recent one in past context, the next one in future.
    ("in December", "2016-01-20T05:00:00Z", UTC, False, "2015-12-01", "2015-12-31", "month"),
    ("in January", "2016-03-11T07:00:00Z", UTC, False, "2016-01-01", "2016-01-31", "month"),
    ("in January", "2016-03-31T20:00:00Z", NEW_YORK, True, "2017-01-01", "2017-01-31",
     "month"),
    ("in March", "2016-03-20T09:00:00Z", UTC, False, "2016-03-01", "2016-03-20", "month"),
    ("in May", "2016-03-20T09:00:00Z", UTC, True, "2016-05-01", "2016-05-31", "month"),
    ("Last October", "2016-01-22T08:31:00Z", SEOUL, False, "2015-10-01", "2015-10-31",
     "month"),
    ("in early March", "2016-06-02T06:39:00Z", NEW_YORK, False,
     "2016-03-01", "2016-03-10", "interval"),
    ("for February's", "2016-03-02T18:30:00Z", NEW_YORK, False,
     "2016-02-01", "2016-02-29", "month"),
    # Months counted from this one, across the year boundary.
    ("last month", "2016-01-15T09:00:00Z", UTC, False, "2015-12-01", "2015-12-31", "month"),
    ("next month", "2016-12-15T09:00:00Z", UTC, False, "2017-01-01", "2017-01-31", "month"),
    ("this month", "2016-01-22T08:31:00Z", SEOUL, False, "2016-01-01", "2016-01-22", "month"),
    ("in this month", "2022-01-31T00:00:00Z", UTC, False, "2022-01-01", "2022-01-31",
     "month"),
    ("Earlier this month", "2016-01-22T08:31:00Z", SEOUL, False,
     "2016-01-01", "2016-01-21", "interval"),
    ("at the end of this month", "2016-04-15T05:18:00Z", SEOUL, False,
     "2016-04-21", "2016-04-30", "interval"),
    ("for early next month", "2016-04-15T05:18:00Z", SEOUL, False,
     "2016-05-01", "2016-05-10", "interval"),
    # Years.
    ("in 2019", "2022-01-31T00:00:00Z", UTC, False, "2019-01-01", "2019-12-31", "year"),
    ("this year", "2016-05-30T11:59:00Z", SEOUL, False, "2016-01-01", "2016-05-30", "year"),
    ("last year", "2016-01-03T09:00:00Z", UTC, False, "2015-01-01", "2015-12-31", "year"),
    ("later this year", "2016-03-10T09:00:00Z", UTC, False, "2016-03-11", "2016-12-31",
     "interval"),
    ("earlier this year", "2016-03-10T09:00:00Z", UTC, False, "2016-01-01", "2016-03-09",
     "interval"),
    ("late last year", "2016-03-10T09:00:00Z", UTC, False, "2015-09-01", "2015-12-31",
     "interval"),
    ("mid-2016", "2015-03-10T09:00:00Z", UTC, False, "2016-05-01", "2016-08-31", "interval"),
    ("at the end of 2016", "2016-01-20T05:11:00Z", NEW_YORK, False,
     "2016-12-01", "2016-12-31", "interval"),
    ("at the end of last year going back to October", "2022-03-31T00:00:00Z", UTC, False,
     "2021-10-01", "2021-12-31", "interval"),
    ("the end of the year going back to August", "2022-01-31T00:00:00Z", UTC, False,
     "2021-08-01", "2021-12-31", "interval"),
    ("at the end of the year", "2022-01-31T00:00:00Z", UTC, False,
     "2021-12-01", "2021-12-31", "interval"),
    ("at the end of the year", "2016-04-15T00:00:00Z", UTC, True,
     "2016-12-01", "2016-12-31", "interval"),
    ("at the beginning of the year", "2016-07-10T09:00:00Z", UTC, False,
     "2016-01-01", "2016-01-31", "interval"),
    ("at the end of the month", "2016-03-05T09:00:00Z", UTC, False,
     "2016-02-21", "2016-02-29", "interval"),
    ("later last year", "2016-03-10T09:00:00Z", UTC, False, "2015-09-01", "2015-12-31",
     "interval"),
    ("the first half of next year", "2016-03-10T09:00:00Z", UTC, False,
     "2017-01-01", "2017-06-30", "interval"),
    ("the 1990s", "2016-03-10T09:00:00Z", UTC, False, "1990-01-01", "1999-12-31", "interval"),
    ("the early 1990s", "2016-03-10T09:00:00Z", UTC, False, "1990-01-01", "1993-12-31",
     "interval"),
    # Intervals.
    ("since June 2018", "2022-01-31T00:00:00Z", UTC, False, "2018-06-01", "2022-01-31",
     "interval"),
    ("since 2017", "2022-01-31T00:00:00Z", UTC, False, "2017-01-01", "2022-01-31", "interval"),
    ("since January", "2016-06-02T06:39:00Z", NEW_YORK, False, "2016-01-01", "2016-06-02",
     "interval"),
    ("since last year", "2016-06-02T06:39:00Z", UTC, False, "2015-01-01", "2016-06-02",
     "interval"),
    # "since" counts from the past even in a future sentence.
    ("since Monday", "2016-03-16T09:00:00Z", UTC, True, "2016-03-14", "2016-03-16",
     "interval"),
    ("the 1950-53", "2016-02-22T05:26:00Z", NEW_YORK, False, "1950-01-01", "1953-12-31",
     "interval"),
    ("from 2010 to 2012", "2016-02-22T05:26:00Z", UTC, False, "2010-01-01", "2012-12-31",
     "interval"),
    ("between Feb. 8 and 25", "2016-02-07T02:22:00Z", SEOUL, False,
     "2016-02-08", "2016-02-25", "interval"),
    ("Feb. 7-14", "2016-02-07T02:22:00Z", SEOUL, False, "2016-02-07", "2016-02-14", "interval"),
    ("Dec. 28-Jan. 3", "2016-01-10T02:22:00Z", UTC, False, "2015-12-28", "2016-01-03",
     "interval"),
    ("from January to March", "2016-06-10T02:22:00Z", UTC, False, "2016-01-01", "2016-03-31",
     "interval"),
    ("in recent weeks", "2022-01-31T00:00:00Z", UTC, False, "2022-01-03", "2022-01-31",
     "interval"),
    ("in recent days", "2016-03-11T07:41:00Z", SEOUL, False, "2016-03-01", "2016-03-11",
     "interval"),
    ("over the past two weeks", "2016-03-15T09:00:00Z", UTC, False,
     "2016-03-01", "2016-03-15", "interval"),
    ("in the past 24 hours", "2016-03-15T09:00:00Z", UTC, False,
     "2016-03-14", "2016-03-15", "interval"),
    ("in the coming days", "2016-03-15T09:00:00Z", UTC, False,
     "2016-03-15", "2016-03-25", "interval"),
    ("three days ago", "2016-03-02T09:00:00Z", UTC, False, "2016-02-28", "2016-02-28", "day"),
    ("two weeks ago", "2016-03-16T09:00:00Z", UTC, False, "2016-02-29", "2016-03-06", "week"),
    ("a few days ago", "2016-03-16T09:00:00Z", UTC, False, "2016-03-11", "2016-03-14",
     "interval"),
    # Absolute days; the year, when missing, is the current one unless that is far off.
    ("on Jan. 6", "2016-03-02T18:30:00Z", NEW_YORK, False, "2016-01-06", "2016-01-06", "day"),
    ("Dec. 28", "2016-01-03T09:00:00Z", UTC, False, "2015-12-28", "2015-12-28", "day"),
    ("Jan. 5", "2015-12-20T09:00:00Z", UTC, True, "2016-01-05", "2016-01-05", "day"),
    ("January 6, 2016", "2020-05-05T09:00:00Z", UTC, False, "2016-01-06", "2016-01-06", "day"),
    ("6 January", "2016-03-02T09:00:00Z", UTC, False, "2016-01-06", "2016-01-06", "day"),
    ("the 6th of January 2016", "2020-03-02T09:00:00Z", UTC, False,
     "2016-01-06", "2016-01-06", "day"),
    ("2016-01-06", "2020-03-02T09:00:00Z", UTC, False, "2016-01-06", "2016-01-06", "day"),
    ("March 2016", "2020-03-02T09:00:00Z", UTC, False, "2016-03-01", "2016-03-31", "month"),
    ("in December 2012", "2016-02-07T02:22:00Z", SEOUL, False,
     "2012-12-01", "2012-12-31", "month"),
    # A weekday given with the date picks the year the date falls on that weekday.
    ("Friday, March 6", "2016-02-01T09:00:00Z", UTC, False, "2015-03-06", "2015-03-06", "day"),
    ("on Monday, Jan. 4", "2016-03-01T09:00:00Z", UTC, False, "2016-01-04", "2016-01-04",
     "day"),
    # Forms outside the grammar go to dateparser, but only absolute ones.
    ("2016/01/06", "2020-03-02T09:00:00Z", UTC, False, "2016-01-06", "2016-01-06", "day"),
    ("January the 6th, 2016", "2020-03-02T09:00:00Z", UTC, False,
     "2016-01-06", "2016-01-06", "day"),
    # seasons (northern): "this" is this year's, "last" the one before the latest begun,
    # "the" the latest begun, or in a plan the coming one; winter runs into the new year
    ("this autumn", "2018-04-27T09:00:00Z", SEOUL, False, "2018-09-01", "2018-11-30",
     "interval"),
    ("last winter", "2018-04-27T09:00:00Z", SEOUL, False, "2017-12-01", "2018-02-28",
     "interval"),
    ("next spring", "2018-04-27T09:00:00Z", SEOUL, False, "2019-03-01", "2019-05-31",
     "interval"),
    ("the summer", "2018-10-01T09:00:00Z", SEOUL, False, "2018-06-01", "2018-08-31",
     "interval"),
    ("the summer", "2018-10-01T09:00:00Z", SEOUL, True, "2019-06-01", "2019-08-31",
     "interval"),
    ("this winter", "2018-01-15T09:00:00Z", SEOUL, False, "2017-12-01", "2018-02-28",
     "interval"),
    ("early spring", "2018-01-15T09:00:00Z", SEOUL, True, "2018-03-01", "2018-03-31",
     "interval"),
]  # fmt: skip


@pytest.mark.parametrize(
    ("span", "published", "tz", "future", "start", "end", "granularity"), RESOLVED
)
def test_resolve_gives_the_calendar_interval(
    span: str, published: str, tz: str, future: bool, start: str, end: str, granularity: str
) -> None:
    expected = ResolvedDate(d(start), d(end), granularity)  # type: ignore[arg-type]
    assert resolve(span, at(published), tz, future=future) == expected


NOT_RESOLVED = [
    "shortly after taking office",
    "We",
    "may",
    "Feb. 30",
    "2016-01",  # a month in ISO form, not the years 2016 to 2001
    "the following month",
    "weeks later",
    "",
]


@pytest.mark.parametrize("span", NOT_RESOLVED)
def test_resolve_returns_none_for_what_is_not_a_date(span: str) -> None:
    assert resolve(span, at("2016-03-10T09:00:00Z"), UTC) is None


def test_resolve_reads_may_and_march_without_their_context() -> None:
    # The finder wants "in May"; a caller that hands over the bare span still gets a month.
    got = resolve("May", at("2016-07-10T09:00:00Z"), UTC)
    assert got == ResolvedDate(d("2016-05-01"), d("2016-05-31"), "month")


def test_resolve_reads_a_naive_anchor_as_local_time() -> None:
    # Read as UTC, 02:00 on the 10th would be the 9th in New York.
    got = resolve("today", datetime(2016, 3, 10, 2, 0), NEW_YORK)
    assert got == ResolvedDate(d("2016-03-10"), d("2016-03-10"), "day")


def test_resolve_rejects_an_unknown_time_zone() -> None:
    with pytest.raises(WatchfloorError) as err:
        resolve("today", at("2016-03-10T09:00:00Z"), "Asia/Pyongyan")
    assert err.value.code == "W301"
    assert "Asia/Pyongyan" in err.value.message


def test_local_day_converts_the_anchor_into_the_dateline_zone() -> None:
    anchor = at("2016-03-17T23:01:00Z")
    assert local_day(anchor, SEOUL) == d("2016-03-18")
    assert local_day(anchor, NEW_YORK) == d("2016-03-17")


def test_every_found_span_resolves(finder: DateFinder) -> None:
    anchor = at("2022-01-31T09:00:00Z")
    for sentence, expected in FOUND:
        for span in finder.find(sentence):
            assert resolve(span.text, anchor, SEOUL) is not None, (sentence, expected)


def test_finder_survives_pickling_for_shipping_to_workers(finder: DateFinder) -> None:
    copy = pickle.loads(pickle.dumps(finder))
    assert copy.find(LONG_TEXT) == finder.find(LONG_TEXT)


def test_resolved_interval_never_ends_before_it_starts() -> None:
    with pytest.raises(ValueError, match="before it starts"):
        ResolvedDate(d("2016-03-10"), d("2016-03-09"), "interval")


# --- past or future context ---------------------------------------------------------------

CONTEXT = [
    ("The two leaders will meet on Friday in Hanoi.", "on Friday", True),
    ("The North said on Monday it will answer the drills.", "on Monday", False),
    ("On Friday, the ministers are expected to sign the accord.", "On Friday", True),
    ("On Friday, the ministry said it would retaliate.", "On Friday", False),
    ("The party congress is set for early May in the capital.", "early May", True),
    ("Pyongyang is preparing to convene a congress in early May.", "in early May", True),
    ("The missile may have been fired on Tuesday from a truck.", "on Tuesday", False),
    ("Inspectors left the site on Tuesday. Talks will resume later.", "on Tuesday", False),
    ("It fired a rocket on Sunday.", "on Sunday", False),
]


@pytest.mark.parametrize(("sentence", "phrase", "future"), CONTEXT)
def test_looks_future_reads_the_words_around_the_span(
    sentence: str, phrase: str, future: bool
) -> None:
    start = sentence.index(phrase)
    assert looks_future(sentence, DateSpan(start, start + len(phrase), phrase)) is future


# --- real articles ------------------------------------------------------------------------

DATELINE_ZONES = {"SEOUL": SEOUL, "TOKYO": "Asia/Tokyo", "WASHINGTON": NEW_YORK,
                  "UNITED NATIONS": NEW_YORK}  # fmt: skip


def _fold(text: str) -> str:
    for curly, straight in (("“", '"'), ("”", '"'), ("’", "'"), ("‘", "'")):
        text = text.replace(curly, straight)
    return " ".join(text.split())


def _anchor(published: Any) -> datetime:
    """The gold 'published' value as YAML loads it: a time, a date or a string."""
    if isinstance(published, datetime):
        return published if published.tzinfo else published.replace(tzinfo=UTC_ZONE)
    if isinstance(published, date):
        return datetime(published.year, published.month, published.day, tzinfo=UTC_ZONE)
    return at(str(published))


def test_dates_in_real_gold_evidence_sentences_overlap_the_gold_date(
    finder: DateFinder,
) -> None:
    """For each gold event whose sentence holds a date, some date found there must overlap
    the gold date (widened by its tolerance). Misses are events dated by another clause of
    the sentence, which is the event extractor's job; the floor guards resolution."""
    if not REAL.is_dir():
        pytest.skip(f"{REAL} is absent")
    trafilatura = pytest.importorskip("trafilatura")
    yaml = pytest.importorskip("yaml")
    sentence_end = re.compile(r"[^.!?]+(?:[.!?]+|$)")
    checked = overlapping = 0
    for gold_path in sorted(REAL.glob("*.gold.yaml")):
        gold = yaml.safe_load(gold_path.read_text(encoding="utf-8"))
        source = REAL / gold["document"]["file"]
        raw = source.read_text(encoding="utf-8", errors="replace")
        text = _fold(trafilatura.extract(raw) or "" if source.suffix == ".html" else raw)
        anchor = _anchor(gold["document"]["published"])
        zone = next((z for k, z in DATELINE_ZONES.items() if k in text[:40]), UTC)
        sentences = [(m.start(), m.end()) for m in sentence_end.finditer(text)]
        for event in gold.get("events") or []:
            if event.get("date") is None:
                continue
            where = text.find(_fold(event["evidence"]))
            if where < 0:
                continue
            first, last = (
                event["date"] if isinstance(event["date"], list) else (event["date"], event["date"])
            )
            slack = timedelta(days=event.get("tolerance_days", 0))
            begin = max([s for s, _ in sentences if s <= where], default=0)
            stop = min(
                [e for _, e in sentences if e >= where + len(event["evidence"])], default=len(text)
            )
            segment = text[begin:stop]
            future = event.get("modality") != "asserted"
            found = [
                r
                for span in finder.find(segment)
                if (
                    r := resolve(
                        span.text, anchor, zone, future=future and looks_future(segment, span)
                    )
                )
                is not None
            ]
            if not found:
                continue
            checked += 1
            overlapping += any(r.start <= last + slack and r.end >= first - slack for r in found)
    assert checked >= 80
    assert overlapping / checked >= 0.9, f"{overlapping} of {checked} overlap the gold date"
