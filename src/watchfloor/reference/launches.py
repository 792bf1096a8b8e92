"""From reference rows to reference events: one event per launch or nuclear test, dated by the
local day where it happened, its weapon named as the domain pack names it.

**Time.** Both CNS files and the nuclear table give UTC dates and times. An event's day is the
calendar day *where it happened* (for North Korea, the zone ``Asia/Pyongyang``, which was UTC+9,
then UTC+8:30 from 2015-08-15 to 2018-05-04, then UTC+9 again): a launch at 20:30 UTC on the
14th is a launch on the 15th in Korea, and that is the day news reports from Seoul and Tokyo give
it. A row with no time could be either of two local days (a UTC day overlaps two Korean days), so
its local interval is the UTC day and the day after. The rule is the same one the extractor
follows for articles (a story counts its days in the zone of its dateline), and
docs/REFERENCE.md states it for users.

**Salvos.** The CNS files list one row per missile. Missiles fired from the same place less
than an hour apart (of one system, or of several from a known site) are one launch event with
a count, as gold annotates "a salvo
reported as one launch"; two launches hours apart on one day (the Musudans of 2016-06-22) stay
two events. A row with no time joins the rows of the same system and place whose day its days
hold (the files list some salvos with a time on one missile only).

**Names.** A file's missile names ("Hwasong-11A (KN-23)", "ER Scud", "Rail-mobile KN-23") are
looked up among the pack's weapon aliases: the whole name, then the name in brackets, then the
name without them, then without a leading "rail-mobile"-type qualifier or a trailing "MaRV". A
name the pack does not know keeps the file's own name and class, and the import lists it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from watchfloor.pack import Pack
from watchfloor.reference.readers import Outcome, ReferenceTest

# What each format's rows are about: the acting state and the zone of its days.
FORMAT_ACTOR: Mapping[str, tuple[str, str]] = {
    "cns-2023": ("PRK", "Asia/Pyongyang"),
    "cns-2026": ("PRK", "Asia/Pyongyang"),
    "nuclear": ("PRK", "Asia/Pyongyang"),
}
# The CNS classes under the names the pack and gold use.
CLASS_NAMES: Mapping[str, str] = {"SLV": "space_launch", "HGV": "hypersonic"}
SALVO_GAP = timedelta(hours=1)

_BRACKETS = re.compile(r"\s*\(([^)]*)\)")
_QUALIFIERS = re.compile(r"^(?:rail-mobile|navalized|silo-based)\s+|\s+(?:marv|mod\.?\s*\d*)$",
                         re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class ReferenceEvent:
    """One launch (all missiles of a salvo) or one nuclear test of a reference set."""

    key: str  # "cns-2026:161-162": the set and the file lines of its rows
    set_name: str
    lines: tuple[int, ...]
    kind: str  # missile | nuclear
    actor: str
    day_start: date  # local days where it happened (see the module docstring)
    day_end: date
    utc: datetime | None  # the first row's time, when the file gives one
    system: str | None  # the file's name for the weapon
    weapon: str | None  # the pack's canonical name, when the pack knows it
    weapon_class: tuple[str, ...]
    count: int  # rows: missiles fired (1 for a nuclear test)
    outcome: Outcome
    facility: str | None
    distance_km: float | None
    apogee_km: float | None
    yield_kt: float | None

    @property
    def label(self) -> str:
        when = self.utc.strftime("%Y-%m-%d %H:%M UTC") if self.utc else (
            self.day_start.isoformat() if self.day_start == self.day_end
            else f"{self.day_start}..{self.day_end}")
        what = self.weapon or self.system or ("nuclear test" if self.kind == "nuclear"
                                              else "unknown missile")
        lines = (f"line {self.lines[0]}" if len(self.lines) == 1
                 else f"lines {','.join(map(str, self.lines))}")
        count = f" x{self.count}" if self.count > 1 else ""
        return f"{self.set_name} {lines}: {when}, {what}{count}"


@dataclass(frozen=True, slots=True)
class LocalRow:
    """A reference row with its local days and the pack's name for its weapon."""

    record: ReferenceTest
    day_start: date
    day_end: date
    utc: datetime | None
    weapon: str | None
    weapon_class: tuple[str, ...]


def localize(record: ReferenceTest, zone: str, pack: Pack | None) -> LocalRow:
    """The row's local days in ``zone`` and its weapon as the pack names it."""
    utc: datetime | None = None
    if record.time_utc is not None and record.date_start == record.date_end:
        utc = datetime.combine(record.date_start, record.time_utc, tzinfo=UTC)
        day = utc.astimezone(ZoneInfo(zone)).date()
        start, end = day, day
    elif record.date_start == record.date_end:
        start, end = record.date_start, record.date_start + timedelta(days=1)
    else:  # a month: its first local day to the day after its last UTC day
        start, end = record.date_start, record.date_end + timedelta(days=1)
    system = pack_weapon(record.system, pack) if pack is not None else None
    if system is not None and pack is not None:
        found = pack.weapon(system)
        classes = found.classes if found is not None else ()
    else:
        name = record.weapon_class
        classes = (CLASS_NAMES.get(name, name),) if name and name.lower() != "unknown" else ()
    return LocalRow(record, start, end, utc, system, tuple(classes))


def pack_weapon(name: str | None, pack: Pack) -> str | None:
    """The pack's canonical name for a file's missile name, or None."""
    if not name:
        return None
    tries = [name]
    tries += [inner.strip() for inner in _BRACKETS.findall(name)]
    bare = _BRACKETS.sub("", name).strip()
    tries += [bare, _QUALIFIERS.sub("", bare).strip()]
    for attempt in tries:
        if attempt and (found := pack.weapon(attempt)) is not None:
            return found.name
    return None


def group_events(set_name: str, fmt: str, records: Iterable[ReferenceTest],
                 pack: Pack | None) -> list[ReferenceEvent]:
    """The reference events of one set, in time order (see the module docstring)."""
    actor, zone = FORMAT_ACTOR.get(fmt, ("PRK", "Asia/Pyongyang"))
    rows = sorted((localize(r, zone, pack) for r in records),
                  key=lambda r: (r.day_start, r.utc or datetime.min.replace(tzinfo=UTC),
                                 r.record.line))
    groups: list[list[LocalRow]] = []
    for row in rows:
        last = groups[-1][-1] if groups else None
        if last is not None and _same_salvo(last, row):
            groups[-1].append(row)
        else:
            groups.append([row])
    return [_event(set_name, actor, group) for group in groups]


def _same_salvo(a: LocalRow, b: LocalRow) -> bool:
    if a.record.kind != "missile" or b.record.kind != "missile":
        return False
    if a.record.facility != b.record.facility:
        return False
    if (a.weapon or a.record.system) != (b.weapon or b.record.system) and (
            a.record.facility is None or a.utc is None or b.utc is None):
        # two systems fired from one known site within the hour are one launch, as the news
        # counts it ("fired two missiles"); without a site or times, two systems are two
        return False
    if a.utc is not None and b.utc is not None:
        return a.day_start == b.day_start and abs(b.utc - a.utc) < SALVO_GAP
    if a.utc is None and b.utc is None:  # untimed launches on adjacent days stay two
        return (a.day_start, a.day_end) == (b.day_start, b.day_end)
    # a missile listed with no time beside ones of the same system and place that have one
    # (2019-05-04: one row timed, one not) is of their salvo when its days hold theirs
    return a.day_start <= b.day_end and b.day_start <= a.day_end


def _event(set_name: str, actor: str, rows: Sequence[LocalRow]) -> ReferenceEvent:
    first = rows[0]
    lines = tuple(sorted(r.record.line for r in rows))
    outcomes = {r.record.outcome for r in rows}
    outcome: Outcome = (next(iter(outcomes)) if len(outcomes) == 1
                        else "success" if "success" in outcomes else "unknown")
    return ReferenceEvent(
        key=f"{set_name}:{lines[0]}" + (f"-{lines[-1]}" if len(lines) > 1 else ""),
        set_name=set_name,
        lines=lines,
        kind=first.record.kind,
        actor=actor,
        day_start=first.day_start,
        day_end=first.day_end,
        utc=first.utc,
        system=first.record.system,
        weapon=first.weapon,
        weapon_class=tuple(dict.fromkeys(c for r in rows for c in r.weapon_class)),
        count=len(rows),
        outcome=outcome,
        facility=first.record.facility,
        distance_km=_largest(r.record.distance_km for r in rows),
        apogee_km=_largest(r.record.apogee_km for r in rows),
        yield_kt=first.record.yield_kt,
    )


def _largest(values: Iterable[float | None]) -> float | None:
    known = [v for v in values if v is not None]
    return max(known) if known else None
