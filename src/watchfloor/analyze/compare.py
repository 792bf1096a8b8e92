"""Chronology check: the consolidated weapon tests of a period against a reference set.

Which events are compared: asserted weapon tests by the reference's actor, whose classes the
reference lists (the CNS files list ballistic missiles and space launches, not cruise missiles
or artillery; the nuclear table lists nuclear tests), dated to a month or better. An event of no
class is in scope of a missile list. Events outside the scope, and tallies dated only to a
year or a span ("two nuclear tests last year"), are counted apart, neither hits nor false
alarms.

Matching is consolidation's own (consolidate.matching.assign): one to one, best pairs first
(nearest day, nearest time of day, same system, better-sourced event). The report gives
recall (reference events matched), precision (extracted events matched), agreement on the day,
on the system (over matched pairs where both name one), on the time of day (within an hour, in
UTC, over pairs where both give one), on the outcome (failed or succeeded, over pairs where
both say) and on the distance flown (within 10%, over pairs where both give one), and every
unmatched item on each side.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from watchfloor.consolidate.matching import MAX_PLACING_SPAN, assign, day_gap, minutes_apart
from watchfloor.records import CanonicalEvent, EventMention, Provenance
from watchfloor.reference.launches import ReferenceEvent

# A reported distance this close to the record's agrees with it (news rounds: "about 1,000 km"
# for 998 km; a first estimate of 800 km for 1,000 km does not).
DISTANCE_SLACK = 0.1
# An event's outcome (EventMention.status) in the words of the reference files.
OUTCOME_NAMES = {"failed": "failure", "succeeded": "success"}
# Classes a missile list covers; a nuclear list covers "nuclear".
MISSILE_CLASSES = frozenset({"SRBM", "MRBM", "IRBM", "ICBM", "SLBM", "space_launch",
                             "hypersonic"})


# The columns of Comparison.rows, in order.
COMPARISON_COLUMNS = (
    "side", "reference", "reference_day", "reference_system", "event", "event_date",
    "event_system", "day_gap", "same_system", "reference_time_utc", "event_time",
    "minutes_apart", "reference_outcome", "event_outcome", "reference_distance_km",
    "event_distance_km",
)


@dataclass(frozen=True, slots=True)
class Pair:
    reference: ReferenceEvent
    event: CanonicalEvent
    day_gap: int
    same_system: bool | None  # None when one side names no system
    minutes_apart: int | None = None  # None unless both give a time of day
    same_outcome: bool | None = None  # None unless both say whether it failed
    distance_off: float | None = None  # |ours - record| / record, where both give a distance


@dataclass(slots=True)
class Comparison:
    reference_set: str
    date_from: date
    date_to: date
    pairs: list[Pair] = field(default_factory=list)
    missed: list[ReferenceEvent] = field(default_factory=list)  # reference only
    unmatched: list[CanonicalEvent] = field(default_factory=list)  # extracted only
    out_of_scope: list[CanonicalEvent] = field(default_factory=list)

    @property
    def recall(self) -> float | None:
        total = len(self.pairs) + len(self.missed)
        return len(self.pairs) / total if total else None

    @property
    def precision(self) -> float | None:
        total = len(self.pairs) + len(self.unmatched)
        return len(self.pairs) / total if total else None

    @property
    def date_agreement(self) -> float | None:
        return (sum(p.day_gap == 0 for p in self.pairs) / len(self.pairs)) if self.pairs else None

    @property
    def time_agreement(self) -> float | None:
        """Of the pairs where both give a time of day, the share within an hour."""
        timed = [p for p in self.pairs if p.minutes_apart is not None]
        return (sum(p.minutes_apart <= 60 for p in timed if p.minutes_apart is not None)
                / len(timed)) if timed else None

    @property
    def outcome_agreement(self) -> float | None:
        """Of the pairs where both say whether it failed, the share that agree."""
        told = [p for p in self.pairs if p.same_outcome is not None]
        return sum(bool(p.same_outcome) for p in told) / len(told) if told else None

    @property
    def distance_agreement(self) -> float | None:
        """Of the pairs where both give a distance, the share within DISTANCE_SLACK of it."""
        told = [p.distance_off for p in self.pairs if p.distance_off is not None]
        return sum(off <= DISTANCE_SLACK for off in told) / len(told) if told else None

    @property
    def system_agreement(self) -> float | None:
        named = [p for p in self.pairs if p.same_system is not None]
        return sum(bool(p.same_system) for p in named) / len(named) if named else None

    def rows(self) -> list[dict[str, Any]]:
        """One row per item, in one shape: "matched" pairs, then "reference only", then
        "extracted only" (the CLI's table, CSV and JSON and the API's all use these)."""
        from watchfloor.analyze.timeline import date_label

        def ours(e: CanonicalEvent | None) -> dict[str, Any]:
            return {"event": e.id if e else None,
                    "event_date": (date_label(e) or None) if e else None,
                    "event_system": (e.weapon or "/".join(e.weapon_class) or None) if e else None,
                    "event_time": e.time if e else None,
                    "event_outcome": e.outcome if e else None,
                    "event_distance_km": e.distance_km if e else None}

        def theirs(r: ReferenceEvent | None) -> dict[str, Any]:
            return {"reference": r.key if r else None,
                    "reference_day": r.day_start.isoformat() if r else None,
                    "reference_system": (r.weapon or r.system) if r else None,
                    "reference_time_utc": r.utc.isoformat() if r and r.utc else None,
                    "reference_outcome": r.outcome if r else None,
                    "reference_distance_km": r.distance_km if r else None}

        items = [{"side": "matched", **theirs(p.reference), **ours(p.event),
                  "day_gap": p.day_gap, "same_system": p.same_system,
                  "minutes_apart": p.minutes_apart} for p in self.pairs]
        items += [{"side": "reference only", **theirs(r), **ours(None)} for r in self.missed]
        items += [{"side": "extracted only", **theirs(None), **ours(e)} for e in self.unmatched]
        return [{k: i.get(k) for k in COMPARISON_COLUMNS} for i in items]

    def summary(self) -> dict[str, object]:
        def r(v: float | None) -> float | None:
            return None if v is None else round(v, 3)

        return {
            "reference": self.reference_set, "from": self.date_from.isoformat(),
            "to": self.date_to.isoformat(),
            "reference_events": len(self.pairs) + len(self.missed),
            "extracted_events": len(self.pairs) + len(self.unmatched),
            "matched": len(self.pairs), "recall": r(self.recall), "precision": r(self.precision),
            "date_agreement": r(self.date_agreement),
            "system_agreement": r(self.system_agreement),
            "time_agreement": r(self.time_agreement),
            "outcome_agreement": r(self.outcome_agreement),
            "distance_agreement": r(self.distance_agreement),
            "out_of_scope": len(self.out_of_scope),
        }


def as_mention(e: CanonicalEvent) -> EventMention:
    """The consolidated event in the shape the matcher reads."""
    return EventMention(
        id=e.id, type=e.type, actor=e.actor, target=e.target, modality="asserted",
        trigger="", prov=Provenance(e.id, 0, 0, 0, "consolidate", "", ""), weapon=e.weapon,
        weapon_class=e.weapon_class, date_start=e.date_start, date_end=e.date_end,
        granularity=e.granularity,  # type: ignore[arg-type]
    )


def in_scope(e: CanonicalEvent, refs: Sequence[ReferenceEvent]) -> bool:
    kinds = {r.kind for r in refs} or {"missile"}
    if "nuclear" in e.weapon_class:
        return "nuclear" in kinds
    if "missile" not in kinds:
        return False
    return not e.weapon_class or bool(set(e.weapon_class) & MISSILE_CLASSES)


def compare(reference_set: str, refs: Sequence[ReferenceEvent], events: Sequence[CanonicalEvent],
            date_from: date, date_to: date) -> Comparison:
    """Compare the events of [date_from, date_to] (by their days) with the reference's."""
    result = Comparison(reference_set, date_from, date_to)
    actors = {r.actor for r in refs}
    period_refs = [r for r in refs if r.day_start <= date_to and r.day_end >= date_from]
    candidates: list[CanonicalEvent] = []
    for e in events:
        if (e.type != "weapon_test" or e.modality != "asserted" or e.date_start is None
                or e.actor not in actors):
            continue
        end = e.date_end or e.date_start
        if not (e.date_start <= date_to and end >= date_from):
            continue
        placed = (end - e.date_start).days <= MAX_PLACING_SPAN
        (candidates if placed and in_scope(e, refs) else result.out_of_scope).append(e)
    probes = {e.id: as_mention(e) for e in candidates}
    by_id = {e.id: e for e in candidates}
    # the rule consolidation confirms events by: one to one, best pairs first
    matched = assign([(e.id, probes[e.id], e.sources) for e in candidates], refs)
    used_refs = {r.key for r in matched.values()}
    for event_id, r in matched.items():
        e = by_id[event_id]
        gap = day_gap(probes[event_id], r)
        assert gap is not None
        named = e.weapon is not None and r.weapon is not None
        ours = OUTCOME_NAMES.get(e.outcome or "")
        same_outcome = (ours == r.outcome) if ours and r.outcome != "unknown" else None
        off = (round(abs(e.distance_km - r.distance_km) / r.distance_km, 3)
               if e.distance_km is not None and r.distance_km else None)
        result.pairs.append(Pair(r, e, gap, (e.weapon == r.weapon) if named else None,
                                 minutes_apart(e.time, r), same_outcome, off))
    result.pairs.sort(key=lambda p: (p.reference.day_start, p.reference.key))
    result.missed = [r for r in period_refs if r.key not in used_refs]
    result.unmatched = [e for e in candidates if e.id not in matched]
    return result
