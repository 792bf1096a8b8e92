"""Finding date expressions in news text and resolving them to calendar intervals.

Two steps, kept apart so that each can be tested and timed on its own:

* :class:`DateFinder` finds candidate spans with one compiled regular expression: an
  alternation of date forms ("on Sunday", "last week", "Feb. 8-25", "since June 2018", "the
  1950-53 Korean War", ...). It needs no spaCy and no dateparser. Month and weekday names
  match only as capitalised full words, and "May" and "March" only after a word that makes
  them a month ("in May", "early March"), so that "may", "We", "Sun Myung Moon" and "march
  on" are never taken for dates: precision first. For speed the grammar is tried only just
  before the words every date holds (a month, weekday or digit, "today", "week", "ago", ...),
  which two literal-only patterns find quickly.
* :func:`resolve` turns one span into a :class:`ResolvedDate` (inclusive interval and
  granularity) relative to the publication time *in the dateline's time zone*: a SEOUL story
  stamped Thursday 23:01 UTC was published on Friday, and its "on Friday" is that Friday.
  Resolution re-reads the span with the same grammar (without the context guards, which need
  the text around the span) and computes every form with its own calendar code. dateparser is
  used only as a fallback for absolute dates outside the grammar ("2016/01/06"): on relative
  forms it is wrong or silent ("the 1990s" comes back as today, "since June 2018" as None),
  and on raw text it reads the word "We" as a Wednesday.

Past or future: a weekday or a month name with no "last"/"next" counts back from the local
publication day (the most recent such day on or before it) unless the caller says the
context is future ("will meet on Friday"); :func:`looks_future` is a cheap guess at that
from the words around the span.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from watchfloor.errors import E, WatchfloorError
from watchfloor.records import Granularity

# --- records ------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class DateSpan:
    """A candidate date expression: character offsets into the text given to ``find``."""

    start: int
    end: int
    text: str


@dataclass(frozen=True, slots=True)
class ResolvedDate:
    """A calendar interval [start, end], both days inclusive, and how precise it is."""

    start: date
    end: date
    granularity: Granularity

    def __post_init__(self) -> None:
        if self.end < self.start:
            raise ValueError(f"date interval ends {self.end} before it starts {self.start}")


# --- vocabulary ---------------------------------------------------------------------------

MONTHS: Mapping[str, int] = {
    "january": 1, "february": 2, "march": 3, "april": 4, "may": 5, "june": 6, "july": 7,
    "august": 8, "september": 9, "october": 10, "november": 11, "december": 12,
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "jun": 6, "jul": 7, "aug": 8, "sep": 9,
    "sept": 9, "oct": 10, "nov": 11, "dec": 12,
}  # fmt: skip
WEEKDAYS: tuple[str, ...] = (
    "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday",
)  # fmt: skip
NUMBER_WORDS: Mapping[str, int] = {
    "a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
    "seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "fifteen": 15,
    "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60,
    "a couple of": 2, "couple of": 2,
}  # fmt: skip
# Vague counts are read as a range of counts, low to high.
VAGUE_COUNTS: Mapping[str, tuple[int, int]] = {
    "a few": (2, 5), "few": (2, 5), "several": (3, 9),
}  # fmt: skip

# Spans of "recent" periods and of "the coming/past days" with no count, in days.
RECENT_DAYS: Mapping[str, int] = {"day": 10, "week": 28, "month": 183, "year": 1095}

_MONTH_FULL = (
    "January|February|March|April|May|June|July|August|September|October|November|December"
)
_MONTH_ABBR = r"(?:Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec)\.?"
_MONTH_STEMS = "Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec"  # how every month name begins
# A month followed by a day or a year: abbreviations are safe there.
_MONTH = rf"(?:{_MONTH_FULL}|{_MONTH_ABBR})"
# A month standing alone: "May" and "March" are verbs too, so they need a word before them
# that makes them a month (checked by _MAY_MARCH_CONTEXT in the finder).
_MONTH_ALONE_SAFE = "January|February|April|June|July|August|September|October|November|December"
_WEEKDAY = "|".join(WEEKDAYS)
_DAY = r"(?:[12]\d|3[01]|0?[1-9])(?:st|nd|rd|th)?(?![\d:]|[,.]\d)"
_YEAR = r"(?:1[89]\d\d|20\d\d)(?!\d)"
_BARE_YEAR = r"(?:19\d\d|20[0-4]\d)(?![\d])"
_NUM = (
    r"\d{1,3}|a few|few|several|a couple of|couple of|one|two|three|four|five|six|seven|"
    r"eight|nine|ten|eleven|twelve|fifteen|twenty|thirty|forty|fifty|sixty"
)
_PARTS = (
    r"early|late|mid|the end of|the beginning of|the start of|the middle of|"
    r"the first half of|the second half of"
)
# What may follow a season word that is a date: no word, or a word that is no noun it names.
_SEASON_END = (
    r"(?!\s+(?!(?i:of|and|or|when|as|after|before|to|in|on|at|with|while|but|that|"
    r"which|the|a|an|is|was|will|would|he|she|it|they|we)\b)[A-Za-z])"
)
_RANGE_SEP = r"(?:\s*[-–—]\s*|\s+(?i:to|through|until|till)\s+)"

# Context guards, used only when finding spans in running text.
_MAY_MARCH_CONTEXT = "(?:" + "|".join(
    f"(?<={w} )"
    for w in (
        "[Ii]n", "[Ss]ince", "[Ee]arly", "[Ll]ate", "[Mm]id", "[Ll]ast", "[Nn]ext", "[Tt]his",
        "[Uu]ntil", "[Bb]y", "of", "[Ff]rom", "[Dd]uring", "[Bb]efore", "[Aa]fter",
    )
) + "|(?<=mid-))"  # fmt: skip
# "Resolution 2094" is a UN resolution, "$2016" money, "2,016" a count.
_YEAR_BEFORE = (
    r"(?<![\d,.$£€#/])(?<![Rr]esolution )(?<![Rr]esolutions )(?<!No\. )(?<![Nn]umber )"
    r"(?<![Ff]light )(?<![Rr]oute )(?<![Aa]rticle )(?<![Ss]ection )(?<![Pp]age )"
)
_NOT_QUANTITY = (
    r"(?!\s*(?:%|percent|km\b|kilomet|miles?\b|metres?\b|meters?\b|tons?\b|tonnes?\b|kg\b|"
    r"feet\b|ft\b|people\b|troops\b|soldiers\b|dollars\b|won\b|yen\b|GMT\b|UTC\b|KST\b|"
    r"EST\b|EDT\b|hours?\b|hrs\b))"
)


def _kinds(strict: bool) -> list[tuple[str, str]]:
    """The date forms, most specific first: at one position the first that matches wins."""
    # Each guard is behind a cheap look-ahead, so that it costs nothing where no year, "May"
    # or "March" follows.
    may_march = rf"(?=Ma[yr]){_MAY_MARCH_CONTEXT}" if strict else ""
    year_before = rf"(?=[12]\d\d\d){_YEAR_BEFORE}" if strict else ""
    quantity = _NOT_QUANTITY if strict else ""
    between_or_from = r"(?:(?P<between>(?i:between))\s+|(?i:from)\s+)?"
    sep = rf"(?(between)\s+(?i:and)\s+|{_RANGE_SEP})"
    return [
        ("iso", r"(?P<y>\d{4})-(?P<m>0[1-9]|1[0-2])-(?P<d>0[1-9]|[12]\d|3[01])(?!\d)"),
        (
            "range_md",
            rf"{between_or_from}(?P<m1>{_MONTH})\s+(?P<d1>{_DAY})(?:,?\s+(?P<y1>{_YEAR}))?"
            rf"{sep}(?:(?P<m2>{_MONTH})\s+)?(?P<d2>{_DAY})(?:,?\s+(?P<y2>{_YEAR}))?",
        ),
        (
            "range_dm",
            rf"{between_or_from}(?P<d1>{_DAY})(?:\s+(?P<m1>{_MONTH}))?{sep}(?P<d2>{_DAY})"
            rf"\s+(?P<m2>{_MONTH})(?:,?\s+(?P<y>{_YEAR}))?",
        ),
        (
            "range_m",
            rf"{between_or_from}(?P<m1>{_MONTH})(?:\s+(?P<y1>{_YEAR}))?{sep}"
            rf"(?P<m2>{_MONTH})(?:\s+(?P<y2>{_YEAR}))?",
        ),
        (
            "range_y",
            rf"{between_or_from}(?:(?i:the)\s+)?{year_before}(?P<y1>{_YEAR})"
            rf"(?(between)\s+(?i:and)\s+|(?:\s*[-–—/]\s*|\s+(?i:to|through|until|till)\s+))"
            rf"(?P<y2>{_YEAR}|\d\d(?!\d)){quantity}",
        ),
        (
            "weekday_date",
            rf"(?P<wd>{_WEEKDAY}),?\s+(?:(?P<m>{_MONTH})\s+(?P<d>{_DAY})|(?:(?i:the)\s+)?"
            rf"(?P<d2>{_DAY})\s+(?:(?i:of)\s+)?(?P<m2>{_MONTH}))(?:,?\s+(?P<y>{_YEAR}))?",
        ),
        ("md", rf"(?P<m>{_MONTH})\s+(?P<d>{_DAY})(?:,?\s+(?P<y>{_YEAR}))?"),
        (
            "dm",
            rf"(?:(?i:the)\s+)?(?P<d>{_DAY})\s+(?:(?i:of)\s+)?(?P<m>{_MONTH})"
            rf"(?:,?\s+(?P<y>{_YEAR}))?",
        ),
        (
            "month_year",
            rf"(?:(?P<part>(?i:{_PARTS}))[\s-]+)?(?P<m>{_MONTH})\s+(?:(?i:of)\s+)?"
            rf"(?P<y>{_YEAR})",
        ),
        (
            "decade",
            r"(?:(?i:the)\s+)?(?:(?P<part>(?i:early|mid|late))[\s-]+)?"
            r"(?P<decade>(?:1[89]|20)\d0)['’]?s",
        ),
        (
            "past_n",
            rf"(?i:the)\s+(?:(?P<dir>(?i:past|last|next|coming))\s+(?P<n>(?i:{_NUM}))"
            r"|(?P<vdir>(?i:past|coming)))\s+(?P<unit>(?i:hours|days|weeks|months|years|decades))",
        ),
        ("recent", r"(?i:recent)\s+(?P<unit>(?i:days|weeks|months|years))"),
        (
            "ago",
            rf"(?P<n>(?i:{_NUM}|an|a))\s+(?P<unit>(?i:days?|weeks?|months?|years?|decades?))"
            r"\s+(?i:ago)",
        ),
        (
            "rel_unit",
            rf"(?:(?P<part>(?i:earlier|later|{_PARTS}))\s+(?:(?i:in)\s+)?)?"
            r"(?P<which>(?(part)(?i:the current|the|this|last|next)|"
            r"(?i:this past|this coming|the past|the coming|the current|last|this|next)))"
            r"\s+(?P<unit>(?i:weekend|week|month|year))"
            rf"(?:,?\s+(?i:going back to)\s+(?P<back>{_MONTH_FULL}))?",
        ),
        (
            "rel_day",
            r"(?:(?P<tod>(?i:early|late|earlier|later))\s+)?"
            r"(?P<word>(?i:the day before yesterday|the day after tomorrow|yesterday|today|"
            r"tonight|tomorrow|last night|this morning|this afternoon|this evening))"
            r"(?:\s+(?i:morning|afternoon|evening|night))?",
        ),
        (
            "weekday",
            r"(?:(?P<tod>(?i:early|late|earlier|later))\s+(?:(?i:on)\s+)?)?"
            r"(?:(?P<rel>(?i:last|next|this past|this coming|this))\s+)?"
            rf"(?P<wd>{_WEEKDAY})(?:\s+(?i:morning|afternoon|evening|night))?",
        ),
        (
            # "this autumn", "in the spring", "next summer", "the winter of 2017": a named
            # season needs a word or a year with it ("a spring offensive" is no date)
            # (nor is one naming a noun after it: "the winter drills", "the Winter Olympics")
            "season",
            r"(?:(?P<which>(?i:this|last|next|the|early|late))\s+(?P<s1>(?i:spring|summer|"
            rf"autumn|winter))(?:\s+(?:(?i:of)\s+)?(?P<y1>{_YEAR})|{_SEASON_END})"
            rf"|(?P<s2>(?i:spring|summer|autumn|winter))\s+(?:(?i:of)\s+)?(?P<y2>{_YEAR}))",
        ),
        (
            "month",
            rf"(?:(?P<part>(?i:{_PARTS}|last|next|this))[\s-]+)?"
            rf"(?P<m>{_MONTH_ALONE_SAFE}|{may_march}(?:May|March))",
        ),
        (
            "year",
            rf"(?:(?P<part>(?i:{_PARTS}))[\s-]+|{year_before})(?P<y>{_BARE_YEAR}){quantity}",
        ),
    ]


# Words a date span can start with, besides digits and month and weekday names. The finder
# tries the grammar only at such word starts near a core word (see DateFinder.find): run
# over every position of the text, the grammar takes 3.5 ms on a 600-word article.
_FIRST_WORDS = (
    "since|in|on|at|during|over|for|between|from|the|early|late|mid|earlier|later|last|next|"
    "this|recent|yesterday|today|tonight|tomorrow|a|an|few|several|couple|one|two|three|four|"
    "five|six|seven|eight|nine|ten|eleven|twelve|fifteen|twenty|thirty|forty|fifty|sixty"
)
# Where a date span can start: a word start whose word can open one.
_START = rf"(?<![\w-])(?=(?i:{_FIRST_WORDS})\b|\d|(?:{_MONTH_STEMS})|(?:{_WEEKDAY})\b)"
_CASELESS = re.compile(r"\(\?i:([^()]*)\)")
_GROUP = re.compile(r"\(\?P<(\w+)>")
_CONDITION = re.compile(r"\(\?\((\w+)\)")


def _scoped(kind: str, pattern: str) -> str:
    # One regular expression holds every form, and group names must be unique in it.
    pattern = _GROUP.sub(lambda m: f"(?P<{kind}__{m.group(1)}>", pattern)
    return _CONDITION.sub(lambda m: f"(?({kind}__{m.group(1)})", pattern)


def _first_letter_caseless(match: re.Match[str]) -> str:
    # "(?i:...)" would also take "LAST WEEK" but costs sre its fast first-character test on
    # every branch; news text capitalises only a sentence's first letter.
    alternatives = [
        f"[{a[0].upper()}{a[0]}]{a[1:]}" if a[:1].isalpha() else a
        for a in match.group(1).split("|")
    ]
    return "(?:" + "|".join(alternatives) + ")"


def _grammar(strict: bool) -> re.Pattern[str]:
    kinds = "|".join(f"(?P<{k}>{_scoped(k, p)})" for k, p in _kinds(strict))
    pattern = (
        r"(?<![\w-])"
        # Atomic: no form starts with one of these words, so there is nothing to retry
        # without it.
        r"(?>(?:(?P<prep>(?i:since|in|on|at|during|over|for))\s+)?)"
        rf"(?:{kinds})"
        r"(?:['’]s)?"  # "Thursday's meetings", "last week's failure"
        r"(?:\s*\((?i:local time)\))?"
        r"(?![\w])"
    )
    return re.compile(_CASELESS.sub(_first_letter_caseless, pattern))


_KIND_NAMES: tuple[str, ...] = tuple(k for k, _ in _kinds(True))
# The finder's grammar, with the guards that read the text around a span.
_FIND = _grammar(strict=True)
# The resolver's grammar: a span arrives without its context, so the guards are off.
_READ = _grammar(strict=False)


# --- finding ------------------------------------------------------------------------------


# Every date form holds one of these words ("core"): a month or weekday name, a digit, a
# relative day, a calendar unit or "ago". Each alternative starts with a plain literal, so
# that sre skips through the text to the characters that can begin one (a pattern that
# starts with a class or a look-behind is tried at every position: 0.4 ms on a 600-word
# article before any date is matched). Capitalised words and digits are scanned apart from
# the lower-case words because a scan costs per position by the number of alternatives that
# can start there, and capitals and digits are rare in running text.
_CAPITAL_CORES = (
    f"{_MONTH_FULL}|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec|{_WEEKDAY}|"
    "Today|Tonight|Yesterday|Tomorrow|Spring|Summer|Autumn|Winter"
)
_LOWER_CORES = (
    "today|tonight|yesterday|tomorrow|weekend|weeks|week|months|month|years|year|days|hours|"
    "decades|night|morning|afternoon|evening|ago|spring|summer|autumn|winter"
)
_CORES = (
    re.compile(
        "|".join(rf"{w}\b" for w in _CAPITAL_CORES.split("|"))
        + "|"
        + "|".join(rf"{d}\d*" for d in "0123456789")
    ),
    re.compile("|".join(rf"{w}\b" for w in _LOWER_CORES.split("|"))),
)
# How far before its core word a date span can start: "over the past couple of weeks",
# "at the end of the year".
_LOOKBACK = 48
_STARTS = re.compile(_CASELESS.sub(_first_letter_caseless, _START))


class DateFinder:
    """Finds candidate date spans in text. Build once, call ``find`` many times."""

    __slots__ = ("_cores", "_grammar", "_starts")

    def __init__(self) -> None:
        self._grammar = _FIND
        self._cores = _CORES
        self._starts = _STARTS

    def find(self, text: str) -> list[DateSpan]:
        """Candidate date spans in text order, non-overlapping; at each position the longest
        form wins ("since June 2018" over "June 2018", "Feb. 8-25" over "Feb. 8").

        The grammar is tried only where a date can start shortly before each core word, from
        the furthest: the first match that reaches past the core word is the span.
        """
        spans: list[DateSpan] = []
        done = 0  # end of the last span found: spans do not overlap
        tried = -1  # the last start tried; its match, if any, ended before an earlier core
        capital, lower = self._cores
        cores = [m.start() for m in capital.finditer(text)]
        cores += [m.start() for m in lower.finditer(text)]
        for at in sorted(cores):
            if at < done or (at > 0 and (text[at - 1].isalnum() or text[at - 1] == "_")):
                continue
            # The end leaves room for the look-ahead to read the word that starts at the core.
            for start in self._starts.finditer(text, max(done, tried + 1, at - _LOOKBACK), at + 16):
                if start.start() > at:
                    break
                tried = start.start()
                m = self._grammar.match(text, tried)
                if m is not None and m.end() > at:
                    spans.append(DateSpan(m.start(), m.end(), m.group()))
                    done = m.end()
                    break
        return spans


# --- calendar helpers ---------------------------------------------------------------------


def _month_end(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def _add_months(day: date, months: int) -> date:
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    return date(year, month + 1, min(day.day, calendar.monthrange(year, month + 1)[1]))


def _month_no(name: str) -> int:
    return MONTHS[name.rstrip(".").lower()]


def _day_no(text: str) -> int:
    return int(re.sub(r"\D", "", text))


def _count(text: str) -> tuple[int, int]:
    """The count a number phrase says, as (low, high): exact counts have low == high."""
    key = " ".join(text.lower().split())
    if key.isdigit():
        return int(key), int(key)
    if key in VAGUE_COUNTS:
        return VAGUE_COUNTS[key]
    n = NUMBER_WORDS[key]
    return n, n


def _week_start(day: date) -> date:
    return day - timedelta(days=day.weekday())


def _thirds(start: date, end: date, part: str) -> tuple[date, date]:
    """Narrow a period to the part the text names ("early", "mid", "late", "the end of")."""
    part = " ".join(part.lower().split())
    if start.month == 1 and start.day == 1 and end.month == 12 and end.day == 31:
        # Years split by months so that "early 2016" is January to April.
        year = start.year
        return {
            "early": (date(year, 1, 1), date(year, 4, 30)),
            "the beginning of": (date(year, 1, 1), date(year, 1, 31)),
            "the start of": (date(year, 1, 1), date(year, 1, 31)),
            "mid": (date(year, 5, 1), date(year, 8, 31)),
            "the middle of": (date(year, 5, 1), date(year, 8, 31)),
            "late": (date(year, 9, 1), date(year, 12, 31)),
            "the end of": (date(year, 12, 1), date(year, 12, 31)),
            "the first half of": (date(year, 1, 1), date(year, 6, 30)),
            "the second half of": (date(year, 7, 1), date(year, 12, 31)),
        }[part]
    if start.day == 1 and end == _month_end(start.year, start.month):
        # Months split by tens, whatever their length: "late February" starts on the 21st.
        first, last = {
            "early": (1, 10), "the beginning of": (1, 10), "the start of": (1, 10),
            "mid": (11, 20), "the middle of": (11, 20),
            "late": (21, end.day), "the end of": (21, end.day),
            "the first half of": (1, 15), "the second half of": (16, end.day),
        }[part]  # fmt: skip
        return start.replace(day=first), start.replace(day=last)
    days = (end - start).days + 1
    if part == "the first half of":
        return start, start + timedelta(days=days // 2 - 1)
    if part == "the second half of":
        return start + timedelta(days=days // 2), end
    third = days // 3
    if part in ("early", "the beginning of", "the start of"):
        return start, start + timedelta(days=third - 1)
    if part in ("mid", "the middle of"):
        return start + timedelta(days=third), start + timedelta(days=2 * third - 1)
    return start + timedelta(days=2 * third), end  # "late", "the end of"


def _cap(start: date, end: date, local: date, future: bool) -> tuple[date, date]:
    # In past context a period that is still running ends on the day of publication:
    # "its latest nuclear test this month" cannot be after the article.
    if not future and start <= local < end:
        return start, local
    return start, end


def _infer_year(
    month: int, day: int, local: date, future: bool, weekday: int | None = None
) -> date | None:
    """The date of a day and month given without a year.

    News gives the year only when it is not the current one, so the current year is taken
    unless that puts the date well on the wrong side of publication: more than 60 days ahead
    in past context ("Dec. 28" said on Jan. 3 is last year's), more than 14 days before in
    future context. Announced windows ("Feb. 8-25", said on Feb. 7) stay in the current year.
    A weekday given with the date picks the year it fits.
    """
    candidates: list[date] = []
    for year in (local.year - 1, local.year, local.year + 1):
        try:
            candidates.append(date(year, month, day))
        except ValueError:
            continue
    if weekday is not None and any(c.weekday() == weekday for c in candidates):
        candidates = [c for c in candidates if c.weekday() == weekday]
    if future:
        later = [c for c in candidates if c >= local - timedelta(days=14)]
        return min(later) if later else None
    earlier = [c for c in candidates if c <= local + timedelta(days=60)]
    return max(earlier) if earlier else None


def _month_year(month: int, local: date, future: bool, rel: str = "") -> int:
    """The year of a month named without one: the most recent such month (on or before the
    publication month) in past context, the next one in future context; "last" and "next"
    exclude the publication month, "this" is the current year's."""
    if rel == "this":
        return local.year
    if rel == "last" or (not future and rel != "next"):
        strict = rel == "last"
        before = month < local.month or (month == local.month and not strict)
        return local.year if before else local.year - 1
    strict = rel == "next"
    after = month > local.month or (month == local.month and not strict)
    return local.year if after else local.year + 1


# --- resolving ----------------------------------------------------------------------------

Groups = Mapping[str, str]
Handler = Callable[[Groups, date, bool], "ResolvedDate | None"]


def _day(day: date) -> ResolvedDate:
    return ResolvedDate(day, day, "day")


def _interval(start: date, end: date) -> ResolvedDate | None:
    return ResolvedDate(start, end, "interval") if start <= end else None


def _r_iso(g: Groups, local: date, future: bool) -> ResolvedDate | None:
    return _day(date(int(g["y"]), int(g["m"]), int(g["d"])))


def _r_day_month(g: Groups, local: date, future: bool) -> ResolvedDate | None:
    month, day = _month_no(g["m"]), _day_no(g["d"])
    if "y" in g:
        return _day(date(int(g["y"]), month, day))
    found = _infer_year(month, day, local, future)
    return _day(found) if found else None


def _r_weekday_date(g: Groups, local: date, future: bool) -> ResolvedDate | None:
    month = _month_no(g.get("m") or g["m2"])
    day = _day_no(g.get("d") or g["d2"])
    if "y" in g:
        return _day(date(int(g["y"]), month, day))
    found = _infer_year(month, day, local, future, WEEKDAYS.index(g["wd"]))
    return _day(found) if found else None


def _r_range_md(g: Groups, local: date, future: bool) -> ResolvedDate | None:
    m1 = _month_no(g["m1"])
    m2 = _month_no(g["m2"]) if "m2" in g else m1
    d1, d2 = _day_no(g["d1"]), _day_no(g["d2"])
    y1 = int(g["y1"]) if "y1" in g else None
    y2 = int(g["y2"]) if "y2" in g else None
    return _range_days(m1, d1, y1, m2, d2, y2, local, future)


def _r_range_dm(g: Groups, local: date, future: bool) -> ResolvedDate | None:
    m2 = _month_no(g["m2"])
    m1 = _month_no(g["m1"]) if "m1" in g else m2
    year = int(g["y"]) if "y" in g else None
    return _range_days(m1, _day_no(g["d1"]), None, m2, _day_no(g["d2"]), year, local, future)


def _range_days(
    m1: int, d1: int, y1: int | None, m2: int, d2: int, y2: int | None, local: date, future: bool
) -> ResolvedDate | None:
    if y1 is None and y2 is not None:
        # "Dec. 28 to Jan. 3, 2016": the year belongs to the end.
        y1 = y2 if (m1, d1) <= (m2, d2) else y2 - 1
    if y1 is None:
        first = _infer_year(m1, d1, local, future)
        if first is None:
            return None
        y1 = first.year
    start = date(y1, m1, d1)
    end = date(y2 if y2 is not None else y1, m2, d2)
    if end < start and y2 is None:
        end = date(y1 + 1, m2, d2)
    return _interval(start, end)


def _r_range_m(g: Groups, local: date, future: bool) -> ResolvedDate | None:
    m1, m2 = _month_no(g["m1"]), _month_no(g["m2"])
    y1 = int(g["y1"]) if "y1" in g else None
    y2 = int(g["y2"]) if "y2" in g else None
    if y1 is None:
        y1 = (y2 if m1 <= m2 else y2 - 1) if y2 is not None else _month_year(m1, local, future)
    if y2 is None:
        y2 = y1 if m2 >= m1 else y1 + 1
    return _interval(date(y1, m1, 1), _month_end(y2, m2))


def _r_range_y(g: Groups, local: date, future: bool) -> ResolvedDate | None:
    y1, y2 = int(g["y1"]), int(g["y2"])
    if len(g["y2"]) == 2:
        y2 += y1 - y1 % 100  # "1950-53"
    if not y1 < y2 <= y1 + 100:
        return None  # "2016-01" is a month, not a span of years
    return _interval(date(y1, 1, 1), date(y2, 12, 31))


def _r_month_year(g: Groups, local: date, future: bool) -> ResolvedDate | None:
    year, month = int(g["y"]), _month_no(g["m"])
    return _period(
        date(year, month, 1), _month_end(year, month), "month", g.get("part"), local, future
    )


def _period(
    start: date, end: date, granularity: Granularity, part: str | None, local: date, future: bool
) -> ResolvedDate:
    if part:
        start, end = _thirds(start, end, part)
        granularity = "interval"
    start, end = _cap(start, end, local, future)
    return ResolvedDate(start, end, granularity)


def _r_decade(g: Groups, local: date, future: bool) -> ResolvedDate | None:
    first = int(g["decade"])
    start, end = first, first + 9
    part = (g.get("part") or "").lower()
    if part == "early":
        end = first + 3
    elif part == "mid":
        start, end = first + 4, first + 6
    elif part == "late":
        start = first + 7
    begin, finish = _cap(date(start, 1, 1), date(end, 12, 31), local, future)
    return ResolvedDate(begin, finish, "interval")


def _unit_key(unit: str) -> str:
    return unit.lower().rstrip("s")


def _shift(day: date, unit: str, n: int) -> date:
    """day moved by n units (negative: back); months and years keep the day of month."""
    if unit == "hour":
        days = -(-abs(n) // 24)  # "the past 24 hours" reaches back one whole day
        return day + timedelta(days=days if n > 0 else -days)
    if unit == "day":
        return day + timedelta(days=n)
    if unit == "week":
        return day + timedelta(weeks=n)
    if unit == "month":
        return _add_months(day, n)
    if unit == "year":
        return _add_months(day, 12 * n)
    return _add_months(day, 120 * n)  # decade


def _r_past_n(g: Groups, local: date, future: bool) -> ResolvedDate | None:
    unit = _unit_key(g["unit"])
    if "vdir" in g:
        days = RECENT_DAYS.get(unit, RECENT_DAYS["year"])
        if g["vdir"].lower() == "past":
            return _interval(local - timedelta(days=days), local)
        return _interval(local, local + timedelta(days=days))
    _, n = _count(g["n"])
    if g["dir"].lower() in ("past", "last"):
        return _interval(_shift(local, unit, -n), local)
    return _interval(local, _shift(local, unit, n))


def _r_recent(g: Groups, local: date, future: bool) -> ResolvedDate | None:
    return _interval(local - timedelta(days=RECENT_DAYS[_unit_key(g["unit"])]), local)


def _r_ago(g: Groups, local: date, future: bool) -> ResolvedDate | None:
    unit = _unit_key(g["unit"])
    low, high = _count(g["n"])
    if low != high:
        return _interval(_shift(local, unit, -high), _shift(local, unit, -low))
    back = _shift(local, unit, -low)
    if unit == "day":
        return _day(back)
    if unit == "week":
        start = _week_start(back)
        return ResolvedDate(start, start + timedelta(days=6), "week")
    if unit == "month":
        return ResolvedDate(
            date(back.year, back.month, 1), _month_end(back.year, back.month), "month"
        )
    return ResolvedDate(date(back.year, 1, 1), date(back.year, 12, 31), "year")


def _unit_period(unit: str, which: str, local: date, future: bool) -> tuple[date, date]:
    """The calendar week, weekend, month or year that "last", "this" or "next" names."""
    step = {"last": -1, "next": 1}.get(which, 0)
    if unit == "week":
        start = _week_start(local) + timedelta(weeks=step)
        return start, start + timedelta(days=6)
    if unit == "weekend":
        saturday = _week_start(local) + timedelta(days=5)
        if which in ("this", "the", "the current") and not future and local.weekday() < 5:
            step = -1  # "talks this weekend" in a past-tense story on a Monday
        saturday += timedelta(weeks=step)
        return saturday, saturday + timedelta(days=1)
    if unit == "month":
        first = _add_months(date(local.year, local.month, 1), step)
        return first, _month_end(first.year, first.month)
    year = local.year + step
    return date(year, 1, 1), date(year, 12, 31)


_UNIT_GRANULARITY: Mapping[str, Granularity] = {
    "week": "week", "weekend": "interval", "month": "month", "year": "year",
}  # fmt: skip


def _r_rel_unit(g: Groups, local: date, future: bool) -> ResolvedDate | None:
    unit = g["unit"].lower()
    which = " ".join(g["which"].lower().split())
    part = " ".join((g.get("part") or "").lower().split())
    if which in ("the past", "this past"):
        return _interval(_shift(local, unit.replace("weekend", "week"), -1), local)
    if which in ("the coming", "this coming"):
        return _interval(
            local + timedelta(days=1), _shift(local, unit.replace("weekend", "week"), 1)
        )
    if which == "the" and part in ("earlier", "later"):
        which = "this"  # "earlier in the week" is this week
    elif which in ("last", "next") and part in ("earlier", "later"):
        part = "early" if part == "earlier" else "late"  # "later last year"
    start, end = _unit_period(unit, which, local, future)
    if unit == "week" and which == "last" and not part and local.weekday() == 6:
        # Said on a Sunday, "last week" often means the week now ending ("last week's
        # failure" for a Friday launch, in a Sunday story), so both weeks are allowed.
        return ResolvedDate(start, local - timedelta(days=1), "interval")
    if part == "earlier":
        return _interval(start, min(end, local - timedelta(days=1))) or _interval(start, start)
    if part == "later":
        return _interval(max(start, local + timedelta(days=1)), end)
    if part:
        start, end = _thirds(start, end, part)
        if which == "the" and not future and start > local:
            # "Tests at the end of the year", said in January, were at the end of last year.
            start, end = _thirds(*_unit_period(unit, "last", local, future), part)
    if "back" in g:
        month = _month_no(g["back"])
        start = date(end.year if month <= end.month else end.year - 1, month, 1)
        part = part or "back"
    start, end = _cap(start, end, local, future)
    return ResolvedDate(start, end, "interval" if part else _UNIT_GRANULARITY[unit])


_DAY_WORDS: Mapping[str, int] = {
    "the day before yesterday": -2, "yesterday": -1, "last night": -1, "today": 0,
    "tonight": 0, "this morning": 0, "this afternoon": 0, "this evening": 0, "tomorrow": 1,
    "the day after tomorrow": 2,
}  # fmt: skip


def _r_rel_day(g: Groups, local: date, future: bool) -> ResolvedDate | None:
    return _day(local + timedelta(days=_DAY_WORDS[" ".join(g["word"].lower().split())]))


def _r_weekday(g: Groups, local: date, future: bool) -> ResolvedDate | None:
    target = WEEKDAYS.index(g["wd"])
    rel = " ".join((g.get("rel") or "").lower().split())
    back = (local.weekday() - target) % 7  # days back to the most recent such day, 0 = today
    ahead = (target - local.weekday()) % 7
    if rel in ("last", "this past"):
        return _day(local - timedelta(days=back or 7))
    if rel in ("next", "this coming"):
        return _day(local + timedelta(days=ahead or 7))
    if rel == "this":
        return _day(_week_start(local) + timedelta(days=target))
    return _day(local + timedelta(days=ahead) if future else local - timedelta(days=back))


def _r_month(g: Groups, local: date, future: bool) -> ResolvedDate | None:
    month = _month_no(g["m"])
    part = " ".join((g.get("part") or "").lower().split())
    rel = part if part in ("last", "next", "this") else ""
    year = _month_year(month, local, future, rel)
    return _period(
        date(year, month, 1),
        _month_end(year, month),
        "month",
        None if rel else part or None,
        local,
        future,
    )


# The months a season starts in (northern hemisphere, where the pack's stories are).
SEASONS: Mapping[str, int] = {"spring": 3, "summer": 6, "autumn": 9, "winter": 12}


def _r_season(g: Groups, local: date, future: bool) -> ResolvedDate | None:
    name = (g.get("s1") or g["s2"]).lower()
    year_text = g.get("y1") or g.get("y2")
    which = (g.get("which") or "").lower()
    first = SEASONS[name]

    def occurrence(year: int) -> tuple[date, date]:
        start = date(year, first, 1)
        end_month = _add_months(start, 2)
        return start, _month_end(end_month.year, end_month.month)

    if year_text:
        start, end = occurrence(int(year_text))
    else:
        # "this" is this year's (the winter around New Year is the one begun in December);
        # "last" the one before the latest begun, "next" the one after it; "the" the latest
        # begun, or the coming one in a plan
        latest = local.year if date(local.year, first, 1) <= local else local.year - 1
        if which == "this":
            # (said in January to March, "this winter" is the one now ending)
            year = local.year - 1 if name == "winter" and local.month <= 3 else local.year
        elif which == "last":
            year = latest - 1 if occurrence(latest)[1] >= local else latest
        elif which == "next":
            year = latest + 1
        elif future:
            year = latest if occurrence(latest)[1] >= local else latest + 1
        else:
            year = latest
        start, end = occurrence(year)
    if which in ("early", "late"):
        third = timedelta(days=30)
        start, end = (start, start + third) if which == "early" else (end - third, end)
    return ResolvedDate(start, end, "interval")


def _r_year(g: Groups, local: date, future: bool) -> ResolvedDate | None:
    year = int(g["y"])
    return _period(date(year, 1, 1), date(year, 12, 31), "year", g.get("part"), local, future)


_HANDLERS: Mapping[str, Handler] = {
    "iso": _r_iso,
    "range_md": _r_range_md,
    "range_dm": _r_range_dm,
    "range_m": _r_range_m,
    "range_y": _r_range_y,
    "weekday_date": _r_weekday_date,
    "md": _r_day_month,
    "dm": _r_day_month,
    "month_year": _r_month_year,
    "decade": _r_decade,
    "past_n": _r_past_n,
    "recent": _r_recent,
    "ago": _r_ago,
    "rel_unit": _r_rel_unit,
    "rel_day": _r_rel_day,
    "weekday": _r_weekday,
    "season": _r_season,
    "month": _r_month,
    "year": _r_year,
}


def local_day(anchor: datetime, tz: str) -> date:
    """The calendar day of ``anchor`` in zone ``tz``; a naive anchor is read as local time."""
    try:
        zone = ZoneInfo(tz)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise WatchfloorError(
            E.W301,
            path="places.yaml (datelines)",
            detail=f"time zone {tz!r} is not an IANA zone name such as 'Asia/Seoul'",
        ) from exc
    if anchor.tzinfo is None:
        return anchor.date()
    return anchor.astimezone(zone).date()


def resolve(
    span_text: str, anchor: datetime, tz: str, *, future: bool = False
) -> ResolvedDate | None:
    """The calendar interval a date span names, counted from the publication time ``anchor``
    on the local calendar of the IANA zone ``tz``; None when the text is not a date.

    ``future`` says the span sits in future context ("will meet on Friday"): bare weekdays
    and months then count forward instead of back.
    """
    return resolve_on(span_text, local_day(anchor, tz), future=future)


def resolve_on(span_text: str, local: date, *, future: bool = False) -> ResolvedDate | None:
    """As :func:`resolve`, with the local publication day already worked out."""
    text = " ".join(span_text.split())
    match = _READ.fullmatch(text) or _READ.fullmatch(text.rstrip(".,;:!?"))
    if match is None:
        return _fallback(text, local, future)
    kind = next(k for k in _KIND_NAMES if match.group(k) is not None)
    prefix = kind + "__"
    groups = {
        name[len(prefix) :]: value
        for name, value in match.groupdict().items()
        if value is not None and name.startswith(prefix)
    }
    since = (match.group("prep") or "").lower() == "since"
    try:
        # What "since" counts from is in the past, whatever the context of the sentence.
        found = _HANDLERS[kind](groups, local, future and not since)
    except ValueError:
        return None  # a day the calendar does not have: "Feb. 30", "June 31"
    if found is None or not since:
        return found
    return _interval(found.start, local)


_ABSOLUTE_HINT = re.compile(
    rf"\b(?:{_MONTH_FULL}|{_MONTH_ABBR})|\b\d{{4}}\b|\b\d{{1,2}}[/.]\d{{1,2}}[/.]\d{{2,4}}\b"
)
_RELATIVE_WORD = re.compile(
    rf"(?i)\b(?:ago|last|next|this|since|recent|week|weekend|yesterday|today|tonight|tomorrow|"
    rf"earlier|later|past|coming|{_WEEKDAY})\b"
)


def _fallback(text: str, local: date, future: bool) -> ResolvedDate | None:
    """dateparser, for an absolute date written in a form the grammar does not know."""
    if len(text) > 40 or not _ABSOLUTE_HINT.search(text) or _RELATIVE_WORD.search(text):
        return None
    # Imported here: loading dateparser's language data costs a quarter of a second, and the
    # fallback is rarely needed.
    from dateparser.date import DateDataParser

    parser = DateDataParser(
        languages=["en"],
        settings={
            "RELATIVE_BASE": datetime(local.year, local.month, local.day, 12),
            "PREFER_DATES_FROM": "future" if future else "past",
            "RETURN_AS_TIMEZONE_AWARE": False,
        },
    )
    data = parser.get_date_data(text)
    when = data.date_obj
    if when is None:
        return None
    day = when.date()
    if data.period == "day":
        return _day(day)
    if data.period == "month":
        return ResolvedDate(date(day.year, day.month, 1), _month_end(day.year, day.month), "month")
    if data.period == "year":
        return ResolvedDate(date(day.year, 1, 1), date(day.year, 12, 31), "year")
    return None


# --- past or future context ---------------------------------------------------------------

_FUTURE_CUE = re.compile(
    r"(?i)\b(?:will|won't|shall|would|is to|are to|was to|were to|plans? to|planned to|"
    r"planning to|intends? to|intended to|going to|scheduled|set to|set for|due to|"
    r"expected to|aims? to|upcoming|to be held|prepares? to|preparing to|ahead of|about to|"
    r"once|(?:could|may|might)(?!\s+have\b))\b|'ll\b|’ll\b"
)
_PAST_CUE = re.compile(
    r"(?i)\b(?:said|says|told|announced|reported|added|stated|confirmed|warned|"
    r"was|were|had|did|(?:could|may|might) have)\b"
)
_CLAUSE_END = re.compile(r"[.!?;]\s|\n")


def looks_future(text: str, span: DateSpan) -> bool:
    """A guess whether the date span sits in future context, from the words in its sentence.

    The cue nearest before the span decides ("said on Monday it will ..." is past, "will
    meet on Friday" future); a span that opens its sentence looks at the words after it
    ("On Friday, the leaders will meet").
    """
    before_start = 0
    for m in _CLAUSE_END.finditer(text, 0, span.start):
        before_start = m.end()
    before = text[before_start : span.start]
    last_future = max((m.end() for m in _FUTURE_CUE.finditer(before)), default=-1)
    last_past = max((m.end() for m in _PAST_CUE.finditer(before)), default=-1)
    if last_future >= 0 or last_past >= 0:
        return last_future > last_past
    end = _CLAUSE_END.search(text, span.end)
    after = text[span.end : end.start() if end else len(text)]
    first_future = _FUTURE_CUE.search(after)
    first_past = _PAST_CUE.search(after)
    if first_future is None:
        return False
    return first_past is None or first_future.start() < first_past.start()
