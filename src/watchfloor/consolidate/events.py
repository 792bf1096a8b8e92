"""Consolidation: the document events of every article merge into canonical events, one record
per real-world event, each with the reports that support it.

**Which reports are one event.** A report joins an event when it has the same type, the same
actor (and target, where both give one; unordered for meetings, talks and agreements), the same
modality (an act hedged on the day another report says it happened is that act; an act one
source asserts and another denies on the same day is one disputed act), compatible weapons (the
same system, or one names none; classes that share one, or one gives none; two reports naming
the same system may disagree on its class), times of day no more than an hour apart where both
give one (compared in UTC: launches hours apart on one day are two acts), places no more than
100 km apart where the pack knows both (Sinpo and Tongchang-ri are two launches), and dates that
overlap within their granularity, one day either side for day-precise dates (a Washington
story dates a Korean-morning launch the day before). Reports without a date, or dated only to
a span longer than a month ("in 2016", "over the past year"), join nothing across articles:
nothing places them; except that one naming a weapon system ("said on Tuesday it had tested a
Hwasong-14") joins the one event of that system its dates cover, if there is just one. A report
joins an event only if it fits *every* report the event holds: one loose report must not chain
others to an event they do not report. Reports are placed most precise first, so that day-precise
reports found the events that month-precise ones then join. An event holds at most one report
per article: the article's own merge already decided that two of its reports are two events
("a second missile", two launches hours apart), and consolidation keeps that. Among several
events a report could join, the one whose day is nearest wins, then the one with more
reports, then the oldest.

**Stable ids, updates in place.** An event's id comes from the report that founded it and never
changes. Re-running consolidation keeps every report where it is and only places reports that
are new (a new article, or an article extracted again), so the same inputs change nothing and a
new article changes only the events it joins or founds.

**Sources.** A syndicated copy counts with the article it copies (consolidate.neardup); reports
from one outlet are one source. ``documents`` counts articles, ``sources`` independent sources.

**Values and disagreements.** Where reports differ on the date, the time, the weapon, its
class, the count, the place, the outcome or the flight figures (800 km against 1,000 km),
every value is kept with the articles and sources that gave it, and one is chosen: the value
most independent sources give; on a tie, for a date the one the stories from the actor's own
zone give (Seoul's day for a North Korean launch, not Washington's), then the most precise,
and for other values the latest report (news corrects itself). Where the event has a time of
day, its date is that moment's day in the actor's zone. The rule that chose is kept with the
value.

**Status**, from the reports: *retracted* when a source that asserted the act later denies it;
*disputed* when sources disagree on whether it happened, or on whether it failed or succeeded
(state media's "complete success" against Seoul's "appeared to have failed"); *confirmed* by
two or more independent sources or a matching reference record; *revised* when a source's
later report changed a value it gave before; *claimed* when every source is state media of the
actor's own state (KCNA on a North Korean launch); else *reported*.

**Confidence** grows with independent confirmation: 1 - prod(1 - q) over sources, where a
source's q is 0.6 times its best report's extraction confidence (0.3 times for the actor's own
state media), and at least 0.95 with a matching reference record.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Callable, Hashable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from watchfloor.consolidate.matching import MAX_PLACING_SPAN, assign
from watchfloor.records import (
    SYMMETRIC_TYPES,
    CanonicalEvent,
    Disagreement,
    EventMention,
    ReportKey,
    content_id,
    party_class,
)
from watchfloor.reference.launches import ReferenceEvent

# How an act went, as extraction reads it (EventMention.status of a test or an operation).
OUTCOMES = frozenset({"failed", "succeeded"})
SOURCE_WEIGHT = 0.6
OWN_STATE_MEDIA_WEIGHT = 0.3
REFERENCE_CONFIDENCE = 0.95
DAY_SLACK = timedelta(days=1)
# Two reports giving times of day further apart than this are two acts (launches hours apart
# on one day); a salvo's missiles, minutes apart, are one.
TIME_SLACK = timedelta(hours=1)
# Two places given for one act lie this close at most: a launch site and the nearest town, or
# a province and a site in it.
PLACE_SLACK_KM = 100.0
# Dates longer than a month ("in 2016", "over the past year") do not place a report: they
# overlap too much to tell one act from another.
MAX_MERGE_SPAN = MAX_PLACING_SPAN



@dataclass(frozen=True, slots=True)
class Report:
    """One document event, with what consolidation needs to know of its article."""

    doc_id: str
    ordinal: int
    mention: EventMention
    published: str  # UTC ISO time the article was published (or ingested, when unknown)
    source: str  # independent-source key: the outlet of the article or of its original
    state_media_of: str | None = None  # the state whose state media the source is
    place: tuple[float, float] | None = None  # (lat, lon) of the mention's location, if known
    zone: str | None = None  # the zone the article counts its days in (its dateline's)

    @property
    def key(self) -> ReportKey:
        return (self.doc_id, self.ordinal)


# -- which reports are one event ----------------------------------------------------------


def _pair(e: EventMention) -> tuple[str | None, str | None]:
    return party_class(e.actor), party_class(e.target)


def _parties_fit(a: EventMention, b: EventMention) -> bool:
    (aa, at), (ba, bt) = _pair(a), _pair(b)
    if a.type in SYMMETRIC_TYPES:
        if at is None or bt is None:
            return bool({aa, at} & {ba, bt} - {None})
        return {aa, at} == {ba, bt}
    return aa == ba and (at is None or bt is None or at == bt)


def _span(e: EventMention) -> int:
    return ((e.date_end or e.date_start) - e.date_start).days if e.date_start else 1_000_000


def _days_fit(a: EventMention, b: EventMention) -> bool:
    if a.date_start is None or b.date_start is None:
        return False
    if _span(a) > MAX_MERGE_SPAN or _span(b) > MAX_MERGE_SPAN:
        return False
    slack = DAY_SLACK if a.granularity == b.granularity == "day" else timedelta(0)
    a_end, b_end = a.date_end or a.date_start, b.date_end or b.date_start
    return a.date_start - slack <= b_end and b.date_start - slack <= a_end


def _modality_fits(a: EventMention, b: EventMention) -> bool:
    if a.modality == b.modality:
        return True
    pair = {a.modality, b.modality}
    same_day = (a.granularity == b.granularity == "day" and a.date_start == b.date_start)
    return same_day and pair in ({"asserted", "hypothetical"}, {"asserted", "negated"})


def _weapons_fit(a: EventMention, b: EventMention) -> bool:
    if ("nuclear" in a.weapon_class) != ("nuclear" in b.weapon_class):
        # a nuclear test and a launch are never one act; a report of no class is taken for a
        # launch here (a story of a nuclear test says "nuclear")
        return False
    if a.weapon is not None and b.weapon is not None:
        return a.weapon == b.weapon  # the same system may be given two classes
    return (not a.weapon_class or not b.weapon_class
            or bool(set(a.weapon_class) & set(b.weapon_class)))


def _times_fit(a: EventMention, b: EventMention) -> bool:
    ta, tb = _utc_moment(a.time), _utc_moment(b.time)
    if ta is None or tb is None:
        return True
    apart = abs(datetime.fromisoformat(ta) - datetime.fromisoformat(tb))
    return apart <= TIME_SLACK


def same_event(a: EventMention, b: EventMention) -> bool:
    """Two reports from different articles report one event (the module docstring)."""
    return (a.type == b.type and _parties_fit(a, b) and _modality_fits(a, b)
            and _weapons_fit(a, b) and _days_fit(a, b) and _times_fit(a, b))


def _zones_fit(a: Report, b: Report) -> bool:
    """The day of slack is for stories counting days in different zones (Seoul and
    Washington); two stories from one zone giving different days report two acts (a protest
    on Monday and another on Tuesday)."""
    ma, mb = a.mention, b.mention
    if a.zone is None or a.zone != b.zone or ma.granularity != "day" or mb.granularity != "day":
        return True
    return ma.date_start == mb.date_start


def _places_fit(a: Report, b: Report) -> bool:
    """Two reports placing an act where the pack knows the places must place it within
    PLACE_SLACK_KM of each other: Tongchang-ri and Kusong fit, Sinpo and Tongchang-ri
    do not. A place the pack does not know, or no place, fits anything."""
    if a.place is None or b.place is None:
        return True
    (lat1, lon1), (lat2, lon2) = a.place, b.place
    # haversine distance on a sphere of the Earth's mean radius
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6371.0 * math.asin(math.sqrt(h)) <= PLACE_SLACK_KM


def _day_distance(a: EventMention, b: EventMention) -> int:
    if a.date_start is None or b.date_start is None:
        return 1_000_000
    return abs((a.date_start - b.date_start).days)


# -- clustering ---------------------------------------------------------------------------


def cluster(reports: Sequence[Report],
            existing: Mapping[ReportKey, str]) -> dict[str, list[Report]]:
    """Event id -> its reports. Reports in ``existing`` stay with their event; the others are
    placed in order of date, publication and id, each joining the event it fits best or
    founding one. Deterministic for the same input."""
    events: dict[str, list[Report]] = defaultdict(list)
    index = _Index()
    for r in reports:
        if r.key in existing:
            events[existing[r.key]].append(r)
            index.add(existing[r.key], r.mention)
    rank = {event_id: i for i, event_id in enumerate(events)}
    for r in sorted((r for r in reports if r.key not in existing), key=_placing_order):
        best: tuple[int, int, int] | None = None
        chosen: str | None = None
        for event_id in index.candidates(r.mention):
            members = events[event_id]
            if any(m.doc_id == r.doc_id for m in members):
                continue
            # every report of the event must agree, or one loose report would chain
            # others to an event they do not report
            if not all(same_event(m.mention, r.mention) and _places_fit(m, r)
                       and _zones_fit(m, r) for m in members):
                continue
            score = (min(_day_distance(m.mention, r.mention) for m in members),
                     -len(members), rank[event_id])
            if best is None or score < best:
                best, chosen = score, event_id
        if chosen is None:
            chosen = _named_system_event(r, index, events)
        if chosen is None:
            chosen = _new_id(r, events)
            rank[chosen] = len(rank)
        events[chosen].append(r)
        index.add(chosen, r.mention)
    return dict(events)


def _named_system_event(r: Report, index: _Index, events: Mapping[str, list[Report]]
                        ) -> str | None:
    """A loosely dated report that names its weapon system ("said on Tuesday it had tested a
    Hwasong-14": some time before the report) joins the one event its dates cover whose
    reports fit that system (name it, or name none and give a class it has), and none if there
    are several: the system names the act where the date cannot."""
    m = r.mention
    if m.weapon is None or m.date_start is None or _span(m) <= MAX_MERGE_SPAN:
        return None
    end = m.date_end or m.date_start
    found = []
    for event_id in index.candidates(m):
        members = events[event_id]
        if any(x.doc_id == r.doc_id for x in members):
            continue
        if all(_weapons_fit(x.mention, m) and x.mention.type == m.type
               and _parties_fit(x.mention, m) and x.mention.modality == m.modality
               and x.mention.date_start is not None
               and m.date_start <= x.mention.date_start <= end
               and _places_fit(x, r) for x in members) and any(
                x.mention.weapon == m.weapon or set(x.mention.weapon_class) & set(m.weapon_class)
                for x in members):
            found.append(event_id)
    return found[0] if len(found) == 1 else None


# Dates longer than this are looked up by scanning, not day by day (few: "in 2017").
_INDEXED_SPAN = 62


class _Index:
    """Events by type, party and day, so that placing a report looks at the few events it
    could join rather than at all of them."""

    def __init__(self) -> None:
        self._days: dict[tuple[str, str | None], dict[date, set[str]]] = defaultdict(
            lambda: defaultdict(set))
        self._wide: dict[tuple[str, str | None], set[str]] = defaultdict(set)

    @staticmethod
    def _keys(m: EventMention) -> list[tuple[str, str | None]]:
        actor, target = _pair(m)
        if m.type in SYMMETRIC_TYPES:
            return [(m.type, p) for p in dict.fromkeys((actor, target)) if p is not None]
        return [(m.type, actor)]

    @staticmethod
    def _span(m: EventMention) -> tuple[date, date] | None:
        if m.date_start is None:
            return None
        end = m.date_end or m.date_start
        if (end - m.date_start).days > _INDEXED_SPAN:
            return None
        return m.date_start - DAY_SLACK, end + DAY_SLACK

    def add(self, event_id: str, m: EventMention) -> None:
        if m.date_start is None:
            return
        span = self._span(m)
        for key in self._keys(m):
            if span is None:
                self._wide[key].add(event_id)
                continue
            day = span[0]
            while day <= span[1]:
                self._days[key][day].add(event_id)
                day += timedelta(days=1)

    def candidates(self, m: EventMention) -> list[str]:
        if m.date_start is None:
            return []
        found: set[str] = set()
        span = self._span(m)
        for key in self._keys(m):
            found |= self._wide[key]
            days = self._days.get(key)
            if not days:
                continue
            if span is None:  # a wide date: every day-indexed event of the key
                for ids in days.values():
                    found |= ids
                continue
            day = span[0]
            while day <= span[1]:
                found |= days.get(day, set())
                day += timedelta(days=1)
        return sorted(found)


def _placing_order(r: Report) -> tuple[Any, ...]:
    # precise reports first, so that they found the events the looser ones then join
    m = r.mention
    return (_span(m), m.date_start or date.max, r.published, r.doc_id, r.ordinal)


def _new_id(r: Report, taken: Mapping[str, object]) -> str:
    base = content_id(r.doc_id, r.mention.id, prefix="rec_")
    candidate, n = base, 1
    while candidate in taken:
        n += 1
        candidate = f"{base}-{n}"
    return candidate


# -- one record per event -----------------------------------------------------------------


def consolidate(reports: Sequence[Report], existing: Mapping[ReportKey, str],
                reference: Mapping[str, Sequence[ReferenceEvent]] | None = None,
                zones: Mapping[str, str] | None = None) -> list[CanonicalEvent]:
    """Every event with its resolved values, status and confidence, in id order. Asserted
    weapon tests are matched one to one against each reference set (by name) they fit,
    best pairs first over all events at once (consolidate.matching.assign)."""
    clusters = cluster(reports, existing)
    zones = zones or {}
    out = [resolve(event_id, members, zones) for event_id, members in sorted(clusters.items())]
    if reference:
        probes = [(e.id, _as_mention(e, clusters[e.id][0].mention), e.sources) for e in out
                  if e.type == "weapon_test" and e.modality == "asserted"]
        keys: dict[str, list[str]] = {}
        for _name, refs in sorted(reference.items()):
            for event_id, record in assign(probes, refs).items():
                keys.setdefault(event_id, []).append(record.key)
        for event in out:
            if event.id in keys:
                event.reference = tuple(keys[event.id])
                _set_status(event, clusters[event.id])
    return out


def _as_mention(event: CanonicalEvent, like: EventMention) -> EventMention:
    from dataclasses import replace

    return replace(like, actor=event.actor, weapon=event.weapon, weapon_class=event.weapon_class,
                   date_start=event.date_start, date_end=event.date_end, time=event.time,
                   granularity=event.granularity)  # type: ignore[arg-type]


def resolve(event_id: str, members: Sequence[Report],
            zones: Mapping[str, str] | None = None) -> CanonicalEvent:
    """The event's record from its reports (values, disagreements, sources, status).
    ``zones``: the zone of each actor's own days (PRK: Asia/Pyongyang), which decide a date
    the reports differ on: the moment in that zone, else the reports from that zone."""
    members = sorted(members, key=lambda r: (r.published, r.doc_id, r.ordinal))
    first = members[0].mention
    actor = next((r.mention.actor for r in members if r.mention.actor), None)
    home = (zones or {}).get(actor or "")
    disagreements: dict[str, Disagreement] = {}

    def choose(name: str, value_of: Callable[[EventMention], Hashable | None],
               show: Callable[[Any], str] = str, precise: bool = False) -> Any:
        value, dis = _resolve_value(members, value_of, show, precise, home)
        if dis is not None:
            disagreements[name] = dis
        return value

    dates = choose("date", lambda m: (m.date_start, m.date_end or m.date_start, m.granularity)
                   if m.date_start is not None else None, _show_date, precise=True)
    weapon = choose("weapon", lambda m: m.weapon)
    classes = choose("weapon_class", lambda m: m.weapon_class or None, lambda v: "/".join(v))
    count = choose("count", lambda m: m.count)
    location = choose("location", lambda m: m.location)
    modality = choose("modality", lambda m: m.modality)
    moment = choose("time", lambda m: _utc_moment(m.time))
    if moment is not None and home is not None and dates is not None and dates[2] == "day":
        local = datetime.fromisoformat(moment).astimezone(ZoneInfo(home)).date()
        if local != dates[0]:
            # a launch at 20:30 UTC on the 14th happened on the 15th in Korea
            dates = (local, local, "day")
            if "date" in disagreements:
                d = disagreements["date"]
                disagreements["date"] = Disagreement(d.values, local.isoformat(),
                                                     "the time of day, in the actor's zone")
    outcome = choose("outcome", lambda m: m.status if m.status in OUTCOMES else None)
    distance = choose("distance_km", lambda m: m.distance_km, _show_km)
    apogee = choose("apogee_km", lambda m: m.apogee_km, _show_km)
    sources = {r.source for r in members}
    event = CanonicalEvent(
        id=event_id,
        type=first.type,
        actor=next((r.mention.actor for r in members if r.mention.actor), None),
        target=next((r.mention.target for r in members if r.mention.target), None),
        modality=modality,
        weapon=weapon,
        weapon_class=tuple(classes or ()),
        location=location,
        date_start=dates[0] if dates else None,
        date_end=dates[1] if dates else None,
        granularity=dates[2] if dates else "unknown",
        count=count,
        time=moment,
        outcome=outcome,
        distance_km=distance,
        apogee_km=apogee,
        status="reported",
        confidence=0.0,
        documents=len({r.doc_id for r in members}),
        sources=len(sources),
        first_reported=members[0].published or None,
        last_reported=members[-1].published or None,
        disagreements=disagreements,
        reports=tuple(sorted(r.key for r in members)),
    )
    _set_status(event, members)
    return event


def _utc_moment(moment: str | None) -> str | None:
    """A moment in UTC, so that "07:34+09:00" and "22:34Z" the day before agree."""
    if moment is None:
        return None
    try:
        parsed = datetime.fromisoformat(moment)
    except ValueError:
        return None
    if parsed.tzinfo is None:
        return None
    return parsed.astimezone(UTC).isoformat(timespec="minutes")


def _show_km(v: float) -> str:
    return f"{v:,.0f} km" if v == int(v) else f"{v:,.1f} km"


def _show_date(v: tuple[date, date, str]) -> str:
    return v[0].isoformat() if v[0] == v[1] else f"{v[0].isoformat()}..{v[1].isoformat()}"


def _resolve_value(members: Sequence[Report], value_of: Callable[[EventMention], Hashable | None],
                   show: Callable[[Any], str], precise: bool, home: str | None = None
                   ) -> tuple[Any, Disagreement | None]:
    by_value: dict[Hashable, list[Report]] = {}
    for r in members:  # in publication order
        v = value_of(r.mention)
        if v is not None:
            by_value.setdefault(v, []).append(r)
    if not by_value:
        return None, None
    if len(by_value) == 1:
        return next(iter(by_value)), None

    def rank(item: tuple[Hashable, list[Report]]) -> tuple[Any, ...]:
        value, rs = item
        support = len({r.source for r in rs})
        if precise:
            span = (value[1] - value[0]).days  # type: ignore[index]
            at_home = sum(_near_zone(r.zone, home, value[0]) for r in rs)  # type: ignore[index]
            return (-support, -at_home, span, members.index(rs[0]))
        return (-support, -max(members.index(r) for r in rs))

    ordered = sorted(by_value.items(), key=rank)
    top, runner = ordered[0], ordered[1]
    tied = len({r.source for r in top[1]}) == len({r.source for r in runner[1]})
    from_home = precise and home is not None and (
        sum(_near_zone(r.zone, home, top[0][0]) for r in top[1])  # type: ignore[index]
        > sum(_near_zone(r.zone, home, runner[0][0]) for r in runner[1]))  # type: ignore[index]
    rule = ("most independent sources" if not tied
            else "the reports from the actor's zone" if from_home
            else "most precise date" if precise else "latest report")
    values = tuple((show(v), tuple(dict.fromkeys(r.doc_id for r in rs)),
                    len({r.source for r in rs})) for v, rs in ordered)
    return top[0], Disagreement(values=values, resolved=show(top[0]), rule=rule)


def _near_zone(zone: str | None, home: str | None, day: date) -> bool:
    """Whether a story's zone counts the same days as the actor's (Seoul's as Pyongyang's):
    their clocks are within an hour of each other on that day."""
    if zone is None or home is None:
        return False
    if zone == home:
        return True
    noon = datetime.combine(day, datetime.min.time()).replace(hour=12, tzinfo=UTC)
    a, b = noon.astimezone(ZoneInfo(zone)).utcoffset(), noon.astimezone(ZoneInfo(home)).utcoffset()
    return a is not None and b is not None and abs(a - b) <= timedelta(hours=1)


def _set_status(event: CanonicalEvent, members: Sequence[Report]) -> None:
    by_source: dict[str, list[Report]] = defaultdict(list)
    for r in sorted(members, key=lambda r: (r.published, r.doc_id, r.ordinal)):
        by_source[r.source].append(r)
    modalities = {r.mention.modality for r in members}
    retracted = any(
        any(r.mention.modality == "asserted" for r in rs) and rs[-1].mention.modality == "negated"
        for rs in by_source.values()
    )
    revised = any(_changed(rs) for rs in by_source.values())
    own = all(r.state_media_of is not None and r.state_media_of == event.actor for r in members)
    outcomes = {r.source: r.mention.status for r in members if r.mention.status in OUTCOMES}
    if retracted:
        event.status = "retracted"
    elif {"asserted", "negated"} <= modalities or len(set(outcomes.values())) > 1:
        event.status = "disputed"
    elif event.sources >= 2 or event.reference:
        event.status = "confirmed"
    elif revised:
        event.status = "revised"
    elif own:
        event.status = "claimed"
    else:
        event.status = "reported"
    miss = 1.0
    for rs in by_source.values():
        weight = OWN_STATE_MEDIA_WEIGHT if rs[0].state_media_of == event.actor else SOURCE_WEIGHT
        miss *= 1.0 - weight * max(r.mention.prov.confidence for r in rs)
    confidence = 1.0 - miss
    if event.reference:
        confidence = max(confidence, REFERENCE_CONFIDENCE)
    event.confidence = round(confidence, 3)


def _changed(reports: Sequence[Report]) -> bool:
    """A source's later report gives another value than its earlier one."""
    for attr in ("count", "weapon", "date_start"):
        seen = [getattr(r.mention, attr) for r in reports if getattr(r.mention, attr) is not None]
        if len(set(seen)) > 1:
            return True
    return False
