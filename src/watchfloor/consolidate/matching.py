"""Match an extracted event to reference records: the one rule that consolidation (to confirm
an event) and ``watchfloor compare`` (to score a chronology) share.

An extracted weapon test and a reference launch are one act when they have the same actor, their
days overlap within the slack that time zones leave, and their weapons are compatible:

- **Days.** Reference days are local days where the launch happened (reference.launches); an
  article's days are counted in the zone of its dateline, so a Washington story may give a
  Korean-morning launch the American date before. A day-precise event therefore matches a
  reference day one day either side; an event known only to a week or a month must overlap
  the reference days; one dated more loosely than a month ("two nuclear tests last year")
  matches no single record.
- **Weapons.** The same system, or one side names none; else the classes must share one
  (a "ballistic missile" of no class matches any missile). A nuclear test matches only the
  nuclear table and a missile only a missile.
Pairs are taken one to one over all events at once (``assign``), best first: the nearest day,
then the nearest time of day where both give one, then the same system, then the event more
independent sources report; so a fragment of a launch never takes the record its
better-sourced report should have.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, date, datetime, timedelta

from watchfloor.records import EventMention
from watchfloor.reference.launches import ReferenceEvent

DAY_SLACK = timedelta(days=1)
# An event dated more loosely than this places no single act (consolidate.events uses it too).
MAX_PLACING_SPAN = 31


def _days(e: EventMention) -> tuple[date, date] | None:
    if e.date_start is None:
        return None
    return e.date_start, e.date_end or e.date_start


def _classes_fit(e: EventMention, r: ReferenceEvent) -> bool:
    nuclear_e = "nuclear" in e.weapon_class
    if nuclear_e != (r.kind == "nuclear"):
        return False
    if e.weapon is not None and r.weapon is not None:
        return e.weapon == r.weapon
    if not e.weapon_class or not r.weapon_class:
        return True
    return bool(set(e.weapon_class) & set(r.weapon_class))


def day_gap(e: EventMention, r: ReferenceEvent) -> int | None:
    """Days between the event's dates and the record's (0 when they overlap), or None when the
    event has no date or the gap is beyond what its granularity allows."""
    days = _days(e)
    if days is None:
        return None
    start, end = days
    if (end - start).days > MAX_PLACING_SPAN:
        return None
    slack = DAY_SLACK if e.granularity == "day" else timedelta(0)
    if start - slack > r.day_end or end + slack < r.day_start:
        return None
    if start > r.day_end:
        return (start - r.day_end).days
    if end < r.day_start:
        return (r.day_start - end).days
    return 0


def matches(e: EventMention, r: ReferenceEvent) -> bool:
    return (e.type == "weapon_test" and e.actor == r.actor and _classes_fit(e, r)
            and day_gap(e, r) is not None)


def minutes_apart(moment: str | None, r: ReferenceEvent) -> int | None:
    """Minutes between an event's moment (ISO 8601 with an offset) and the record's time."""
    if moment is None or r.utc is None:
        return None
    try:
        at = datetime.fromisoformat(moment)
    except ValueError:
        return None
    if at.tzinfo is None:
        return None
    record = r.utc if r.utc.tzinfo is not None else r.utc.replace(tzinfo=UTC)
    return round(abs((at - record).total_seconds()) / 60)


def assign(events: Sequence[tuple[str, EventMention, int]], refs: Sequence[ReferenceEvent]
           ) -> dict[str, ReferenceEvent]:
    """Event id -> its record, one to one over all the events at once. ``events`` are (id, the
    event as the matcher reads it, its independent sources)."""
    options: list[tuple[tuple[int, int, int, int, str, str], str, ReferenceEvent]] = []
    by_day: dict[date, list[ReferenceEvent]] = {}
    for r in refs:
        day = r.day_start
        while day <= r.day_end:
            by_day.setdefault(day, []).append(r)
            day += timedelta(days=1)
    for event_id, e, sources in events:
        if e.type != "weapon_test" or e.date_start is None:
            continue
        end = e.date_end or e.date_start
        if (end - e.date_start).days > MAX_PLACING_SPAN:
            continue
        seen: set[str] = set()
        day = e.date_start - DAY_SLACK
        while day <= end + DAY_SLACK:
            for r in by_day.get(day, ()):
                if r.key in seen or not matches(e, r):
                    continue
                seen.add(r.key)
                gap = day_gap(e, r)
                assert gap is not None
                apart = minutes_apart(e.time, r)
                same = 0 if (e.weapon is not None and e.weapon == r.weapon) else 1
                score = (gap, apart if apart is not None else 24 * 60, same, -sources, event_id,
                         r.key)
                options.append((score, event_id, r))
            day += timedelta(days=1)
    taken: dict[str, ReferenceEvent] = {}
    used: set[str] = set()
    for _score, event_id, r in sorted(options, key=lambda o: o[0]):
        if event_id in taken or r.key in used:
            continue
        taken[event_id] = r
        used.add(r.key)
    return taken
