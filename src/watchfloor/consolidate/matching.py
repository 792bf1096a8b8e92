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
Among several candidates, the nearest day wins, then the same system, then the earlier record.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta

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


def best_match(e: EventMention, refs: Sequence[ReferenceEvent],
               taken: frozenset[str] = frozenset()) -> ReferenceEvent | None:
    """The reference event ``e`` reports, or None; records whose key is in ``taken`` are
    skipped (one-to-one matching)."""
    best: tuple[int, int, int] | None = None
    found: ReferenceEvent | None = None
    for i, r in enumerate(refs):
        if r.key in taken or not matches(e, r):
            continue
        gap = day_gap(e, r)
        assert gap is not None
        score = (gap, 0 if (e.weapon is not None and e.weapon == r.weapon) else 1, i)
        if best is None or score < best:
            best, found = score, r
    return found
