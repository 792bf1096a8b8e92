"""Timelines: the events in date order, or counted per period and type.

A timeline counts events, not reports: after consolidation it lists one record per real-world
event (``CanonicalEvent``), however many articles reported it; the same functions read each
article's reports (``EventMention``) when asked. Events with no date are left out of a
timeline (they are listed by ``watchfloor events``); an event dated by an interval sorts by
its start and shows the interval. Only asserted events count by default: a timeline of what
happened must not show what was only speculated.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Protocol, TypeVar

from watchfloor.records import COUNTABLE_SPAN_DAYS


class Dated(Protocol):
    """What a timeline reads of an event: a report (EventMention) or a record
    (CanonicalEvent)."""

    @property
    def id(self) -> str: ...
    @property
    def type(self) -> str: ...
    @property
    def actor(self) -> str | None: ...
    @property
    def date_start(self) -> date | None: ...
    @property
    def date_end(self) -> date | None: ...


D = TypeVar("D", bound=Dated)


@dataclass(frozen=True, slots=True)
class TimelineRow:
    period: str  # "2016-03-10", "2016-03" or "2016"
    type: str
    count: int


def in_date_order(events: Iterable[D]) -> list[D]:
    dated = [e for e in events if e.date_start is not None]
    return sorted(dated, key=lambda e: (e.date_start or date.min, e.date_end or date.min,
                                        e.type, e.actor or "", e.id))


def period_key(d: date, by: str) -> str:
    if by == "day":
        return d.isoformat()
    if by == "month":
        return f"{d.year:04d}-{d.month:02d}"
    if by == "year":
        return f"{d.year:04d}"
    raise ValueError(f"unknown period {by!r}: use day, month or year")


# An event dated more loosely than COUNTABLE_SPAN_DAYS ("over the past year") is not counted
# in a period: it would land in the period its span starts in, which is no more its period than
# any other.
def countable(e: Dated) -> bool:
    if e.date_start is None:
        return False
    return ((e.date_end or e.date_start) - e.date_start).days <= COUNTABLE_SPAN_DAYS


def counts(events: Sequence[Dated], by: str = "month") -> list[TimelineRow]:
    """Events per period and type, by their first day; undated events and those dated more
    loosely than a month are left out (``countable``)."""
    c: Counter[tuple[str, str]] = Counter()
    for e in events:
        if countable(e) and e.date_start is not None:
            c[(period_key(e.date_start, by), e.type)] += 1
    return [TimelineRow(p, t, n) for (p, t), n in sorted(c.items())]


def date_label(e: Dated) -> str:
    """A date as short as its precision: "2017-02-12", "2017-02", "2006",
    "2017-02-05..02-12", "2016-12-20..2017-01-03"."""
    start, end = e.date_start, e.date_end
    if start is None:
        return ""
    if end is None or end == start:
        return start.isoformat()
    if start.year == end.year:
        if (start.month, start.day, end.month, end.day) == (1, 1, 12, 31):
            return str(start.year)
        next_day = end + timedelta(days=1)
        if start.month == end.month and start.day == 1 and next_day.month != end.month:
            return f"{start.year}-{start.month:02d}"
        return f"{start.isoformat()}..{end.month:02d}-{end.day:02d}"
    return f"{start.isoformat()}..{end.isoformat()}"
