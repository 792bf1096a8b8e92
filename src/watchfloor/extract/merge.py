"""Within one document, merge the mentions of one event into the document's event.

An article reports its main event in the lead and again further down ("North Korea fired two
missiles ...", "The missiles were fired from Wonsan ..."). Gold annotates each event once and
analysts want one record, so mentions merge when they agree on type, actor, target (unordered
for meetings, talks and agreements), modality, weapon and weapon class (or one side lacks
it), and their dates overlap (or one side has none). An act hedged on the day another
mention says it happened ("appears to have tried a launch early this morning") is that act.
A mention of "a second missile" or "another launch" is a different event from the one before
it. The merged event keeps every sentence, the first mention's evidence, the most precise
date, and the union of what the mentions knew.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from watchfloor.records import SYMMETRIC_TYPES, EventMention, party_class

# Acts an article spells out in several sentences, each in its own words ("imposed new
# sanctions", "The measures ban ...", "They also blacklist ..."): one package
DETAILED_TYPES = frozenset({"sanction"})
# Encounters a sentence may tell twice in other words.
MEETING_TYPES = frozenset({"meeting"})
# Acts done to one party in steps, each its own event: arrest, sentence, expulsion.
STEPWISE_TYPES = frozenset({"coerce"})


def _pair(e: EventMention) -> tuple[str | None, str | None] | frozenset[str | None]:
    if e.type in SYMMETRIC_TYPES:
        return frozenset((party_class(e.actor), party_class(e.target)))
    return (party_class(e.actor), party_class(e.target))


def _dates_compatible(a: EventMention, b: EventMention) -> bool:
    if a.date_start is None or b.date_start is None:
        return True
    a_end = a.date_end or a.date_start
    b_end = b.date_end or b.date_start
    return a.date_start <= b_end and b.date_start <= a_end


def _span_days(e: EventMention) -> int:
    if e.date_start is None:
        return 1_000_000
    return ((e.date_end or e.date_start) - e.date_start).days


def _same_word(a: EventMention, b: EventMention) -> bool:
    # A crude stem: "fired"/"firing", "tests"/"tested", "launch"/"launches" share their
    # first four letters. Enough to tell a repeated report from a different act.
    return a.trigger.lower()[:4] == b.trigger.lower()[:4]


def _hedged_report(a: EventMention, b: EventMention) -> bool:
    """An act an official hedges ("appears to have tried a launch early this morning") on the
    very day the article says it happened is that act, not another that may have."""
    return ({a.modality, b.modality} == {"asserted", "hypothetical"}
            and a.date_text is not None and b.date_text is not None
            and a.granularity == b.granularity == "day"
            and a.date_start == b.date_start)


def compatible(a: EventMention, b: EventMention, *, named: bool = False) -> bool:
    """Two mentions report one event. Where one gives no date of its own, its date is only
    the article's recent past, so they must also use the same word: "dismissed talks" and,
    sentences later, "did not respond" are two refusals, not one; "conducted a test on
    Friday" and "fired missiles" days before it are two tests."""
    return (
        a.type == b.type
        and _pair(a) == _pair(b)
        and (a.modality == b.modality or _hedged_report(a, b))
        and (a.weapon is None or b.weapon is None or a.weapon == b.weapon)
        and (not a.weapon_class or not b.weapon_class
             or bool(set(a.weapon_class) & set(b.weapon_class)))
        and _dates_compatible(a, b)
        # an arrest and a sentence of one person are two acts ("detained" and "detention"
        # are one, and so are "detained" and, later, "the reported arrest")
        and (named or a.type not in STEPWISE_TYPES
             or a.trigger.lower()[:3] == b.trigger.lower()[:3])
        and (named or (a.date_text is not None and b.date_text is not None)
             or _same_word(a, b) or a.type in DETAILED_TYPES
             # one meeting told twice in other words: "the talks were held ..., greeted by
             # Moon", "Kim met Putin on Wednesday ... Kim, who travelled to Russia on his
             # train"; not two agreements ("agreed to ... and to push for a declaration"), nor
             # two visits planned ("will visit this autumn", "meet again this year")
             or (a.type in MEETING_TYPES and a.modality == b.modality == "asserted"))
    )


def _merge(into: EventMention, other: EventMention) -> EventMention:
    precise = other if _span_days(other) < _span_days(into) else into
    start: date | None = precise.date_start
    classes = into.weapon_class + tuple(c for c in other.weapon_class
                                        if c not in into.weapon_class)
    return replace(
        into,
        modality="asserted" if "asserted" in (into.modality, other.modality) else into.modality,
        weapon=into.weapon or other.weapon,
        weapon_class=classes,
        location=into.location or other.location,
        date_start=start,
        date_end=precise.date_end,
        granularity=precise.granularity,
        date_text=precise.date_text,
        time=into.time or other.time,
        count=max(c for c in (into.count, other.count, 0) if c is not None) or None,
        stance=into.stance or other.stance,
        status=into.status or other.status,
        distance_km=into.distance_km or other.distance_km,
        apogee_km=into.apogee_km or other.apogee_km,
        participants=into.participants + tuple(p for p in other.participants
                                               if p not in into.participants),
        sentences=tuple(sorted(set(into.sentences) | set(other.sentences))),
    )


def merge_document_events(mentions: list[EventMention],
                          distinct: frozenset[str] = frozenset(),
                          named: frozenset[str] = frozenset(),
                          tallies: frozenset[str] = frozenset()) -> list[EventMention]:
    """Greedy merge in reading order; deterministic for the same input. Mentions whose id
    is in ``distinct`` ("a second missile", "another launch") start events of their own;
    those in ``named`` ("the blast", naming an event reported before) join one in other
    words too; those in ``tallies`` ("its four nuclear tests") count many acts and merge
    only with another tally."""
    merged: list[EventMention] = []
    tally_of: list[bool] = []
    for m in mentions:
        for i, e in enumerate(merged):
            if tally_of[i] != (m.id in tallies):
                continue
            if m.id not in distinct and compatible(e, m, named=m.id in named):
                merged[i] = _merge(e, m)
                break
        else:
            merged.append(m)
            tally_of.append(m.id in tallies)
    return merged
