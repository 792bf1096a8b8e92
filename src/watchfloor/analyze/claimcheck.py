"""Claim checks: does a count, ordinal or record an article states agree with what is known?

One claim is checked against the acts that are known, from two origins: reference rows
(``origin="reference"``: a CNS launch, a row of the nuclear-test table) and consolidated
extracted events (``origin="extracted"``). The verdict is ``supported`` (the data give what
the claim says), ``contradicted`` (complete data give something else) or ``unverifiable``.
This module is pure: the caller hands it the known events, what each reference lists
completely (:class:`Coverage`) and the article's publication day; it does no I/O.

Rules
-----
**Which known events count.** Events of the claim's type (``claim.about``) and actor; with
the claim's target too when it has one. For symmetric types (meetings, talks, agreements) the
actor and target are an unordered pair, and a body stands for the organisation it is part of
(UNSC for UN), as :mod:`watchfloor.records` defines. The caller passes acts that happened
(asserted extracted events, never negated or hypothetical ones), the subject's own
consolidated event among them.

**Weapon scope** (only for :data:`WEAPON_TYPES`; other types count every act). Read from the
claim's evidence, in this order, the first rule that applies wins:

1. :data:`NARROWING_WORDS` ("hydrogen bomb", "successful", "new"): the claim counts a subset
   the data do not record, so it is unverifiable.
2. A reference back to the subject (the event the claim is about): :data:`STRONGER_PHRASES`
   ("a weapon that powerful", "of that range") take the classes at least as strong as the
   subject's strongest class in :data:`RANGE_ORDER` (SRBM < MRBM < IRBM < ICBM);
   :data:`SAME_KIND_PHRASES` ("that type", "such rockets") take the subject's classes.
3. The subject's canonical weapon named in the evidence ("the first flight test of the
   Musudan"): acts of that system.
4. :data:`SCOPE_TIERS`: the first tier with a word in the evidence gives the union of its
   words' classes. Named classes ("ICBM", "intercontinental", "cruise") come first, then
   "ballistic", then "missile"/"rocket"/"launch" (every class but nuclear), then
   "nuclear"/"atomic" (nuclear only), then "weapon" (every class). "nuclear-capable missile"
   is a missile: the words match whole, never before a hyphen, and missiles outrank nuclear.
5. Nothing found: the classes of the subject, since an ordinal or record naming no weapon
   counts acts of the kind its sentence reports ("its fourth nuclear test and its first since
   February 2013"); with no subject, or one of unknown weapon, unverifiable, since "its fourth
   test" alone does not say what it counts.

**One act, two origins.** An extracted event and a reference event of the same type and
actor are one act when their days overlap within :data:`DAY_TOLERANCE` day and their classes
are compatible: they share a :data:`CLASS_FAMILY`, or one has no class. Families are broad
because sources disagree on one launch's class (CNS lists the KN-25 "super-large multiple
rocket launcher" as an SRBM; the news calls it artillery). The act keeps the reference's days
and classes (the extracted classes when the reference gives none) and cites every member's
key. One known event is one act whatever its salvo count;
reference events are never merged with each other, nor extracted with extracted (the caller
consolidated those).

**Completeness.** A class in the scope is covered when some :class:`Coverage` of the claim's
type and actor lists it over the whole counting window (a coverage with no classes lists every
act of its type, for types without weapons). An all-time window starts at
:data:`FROM_THE_FIRST`, so only a coverage starting there (a source listing the actor's acts
from the first) covers it. A claim with a target is never covered (the references record no
targets). The scope is complete when every class in it is covered; a system scope never is,
since the references name systems unevenly. Where a class is covered, an extracted event that
matches no reference act and could only be of covered classes is *set aside*: the reference
lists every such act, so the event is misdated, misclassed or a background mention. Events
set aside are counted in ``found``.

**Counting** (ordinal, count, total). An act is *in* when its classes meet the scope and its
days lie within the window, *maybe* when it has no class (except under the every-class scope)
or its days straddle the window's edge. Windows:
ordinal: the period, else ``since``, else all time; up to and including the subject's day (its
act's day, when that lies a day later), else the period's end or ``as_of``. count: the period,
else ``since``, up to ``as_of`` (a count with neither is unverifiable). total: all time, or the
period, up to ``as_of``. Then, with ``r`` acts *in* that a reference lists, ``n`` all acts
*in*, ``m`` *maybe* acts and the claim's value ``v``:

- ``r > v``: contradicted. The reference itself lists more acts in the claim's scope.
- complete scope: ``r == v`` and ``m == 0`` supported; ``r + m < v`` contradicted; else
  unverifiable (some acts' days are uncertain).
- incomplete scope: ``n == v`` and ``m == 0`` supported (extracted events may make up what
  the reference lacks); ``n < v`` unverifiable, the reason naming the gap; ``n > v``
  unverifiable. An excess that rests on extracted events is never a contradiction:
  extraction can misdate a background mention or keep a hypothetical, and an analyst must not
  see "contradicted" from data that may be wrong.
- An ordinal without a dated subject cannot say which act it numbers: more acts by ``as_of``
  than its value is unverifiable (it may be about an earlier act), never contradicted.

**first_since.** ``since`` is a year, a month or a day (a day is widened by
:data:`DAY_TOLERANCE`). The acts before the claim are those ending strictly before the
subject's first day, less the subject's own act (the nearest compatible act within a day of
it); without a dated subject, those ending more than :data:`DAY_TOLERANCE` day before
``as_of`` (a later one may be the act the article reports). Then:

- a reference act after the since period: contradicted, naming the latest such act;
- only extracted acts after it: unverifiable, naming them;
- otherwise the latest act inside the since period: supported. The reason says when the scope
  is not complete, and names acts of unknown class since then (CNS's unidentified launch of
  2019-04-17), which are not counted against the claim;
- the latest act before the since period: contradicted when the scope is complete from the
  since period to the claim and no act of unknown class falls in the since period (it may be
  the act the claim means), else unverifiable;
- no act before the claim: unverifiable.

**Time.** Days are the actor's local days; the caller converts reference times (Korean days
for North Korean launches). Windows compare by day, inclusive.

**Odd claims** (no value, a since that does not parse, a period that ends before it starts,
no actor, an unknown kind) never raise: they are unverifiable with the reason.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Literal

from watchfloor.records import SYMMETRIC_TYPES, Claim, EventMention, party_class

# --- knowledge: data, not code ---------------------------------------------------------------

# Range classes from weakest to strongest: "a weapon that powerful" means this class or later.
RANGE_ORDER: tuple[str, ...] = ("SRBM", "MRBM", "IRBM", "ICBM")
# Every weapon class the domain pack knows, in the order reasons list them.
CLASS_ORDER: tuple[str, ...] = ("SRBM", "MRBM", "IRBM", "ICBM", "SLBM", "hypersonic",
                                "space_launch", "cruise", "artillery", "nuclear")
WEAPON_CLASSES: frozenset[str] = frozenset(CLASS_ORDER)
BALLISTIC_CLASSES: frozenset[str] = frozenset({"SRBM", "MRBM", "IRBM", "ICBM", "SLBM",
                                               "hypersonic"})
# How reasons name a class in "... tests".
CLASS_WORDING: dict[str, str] = {"cruise": "cruise-missile", "space_launch": "space-launch"}
# Classes two sources may give one act: every rocket-propelled launch is one family, since
# sources disagree on which rocket class a launch was.
CLASS_FAMILY: dict[str, str] = {
    "SRBM": "rocket", "MRBM": "rocket", "IRBM": "rocket", "ICBM": "rocket", "SLBM": "rocket",
    "hypersonic": "rocket", "space_launch": "rocket", "artillery": "rocket",
    "cruise": "cruise", "nuclear": "nuclear",
}
# Event types whose claims count by weapon class.
WEAPON_TYPES: frozenset[str] = frozenset({"weapon_test"})

# Evidence words that make a claim count a subset no known event records.
NARROWING_WORDS: tuple[str, ...] = (
    "hydrogen", "thermonuclear", "h-bomb", "successful", "successfully", "failed", "new",
    "new-type", "solid-fuel", "solid-fueled", "solid-fuelled", "liquid-fuel",
    # a route or a landing is a property the data do not record ("the first time since 2009
    # that a rocket has flown over Japan")
    "flown over", "flew over", "fly over", "flying over", "overflew", "overflown",
    "passed over", "crossed", "landed in", "fell in",
)
# Phrases that point back to the subject's weapon and mean "at least this strong".
STRONGER_PHRASES: tuple[str, ...] = (
    "that powerful", "this powerful", "as powerful", "more powerful", "that size", "this size",
    "that range", "this range", "that long", "that far", "longer-range", "longer range",
)
# Phrases that point back to the subject's weapon and mean "of the same classes".
SAME_KIND_PHRASES: tuple[str, ...] = (
    "that type", "this type", "that kind", "this kind", "that class", "this class",
    "that sort", "same type", "same kind", "same class", "such", "similar",
)
_EVERY_MISSILE = WEAPON_CLASSES - {"nuclear"}
# Scope words in tiers: the first tier with a word in the evidence decides the scope.
SCOPE_TIERS: tuple[dict[str, frozenset[str]], ...] = (
    {
        "icbm": frozenset({"ICBM"}), "intercontinental": frozenset({"ICBM"}),
        "slbm": frozenset({"SLBM"}), "submarine-launched": frozenset({"SLBM"}),
        "submarine launched": frozenset({"SLBM"}), "underwater-launched": frozenset({"SLBM"}),
        "irbm": frozenset({"IRBM"}), "intermediate-range": frozenset({"IRBM"}),
        "intermediate range": frozenset({"IRBM"}),
        "mrbm": frozenset({"MRBM"}), "medium-range": frozenset({"MRBM"}),
        "medium range": frozenset({"MRBM"}), "mid-range": frozenset({"MRBM"}),
        "srbm": frozenset({"SRBM"}), "short-range": frozenset({"SRBM"}),
        "short range": frozenset({"SRBM"}),
        "cruise": frozenset({"cruise"}), "hypersonic": frozenset({"hypersonic"}),
        "satellite": frozenset({"space_launch"}), "space launch": frozenset({"space_launch"}),
        "space rocket": frozenset({"space_launch"}),
        "long-range rocket": frozenset({"space_launch"}),
        "artillery": frozenset({"artillery"}), "rocket launcher": frozenset({"artillery"}),
    },
    {"ballistic": BALLISTIC_CLASSES},
    {"missile": _EVERY_MISSILE, "rocket": _EVERY_MISSILE, "launch": _EVERY_MISSILE,
     "launched": _EVERY_MISSILE, "projectile": _EVERY_MISSILE},
    {"nuclear": frozenset({"nuclear"}), "atomic": frozenset({"nuclear"})},
    {"weapon": WEAPON_CLASSES},
)
# Days by which two sources may differ on one act (a UTC day against a local one).
DAY_TOLERANCE = 1
# The start of an all-time window: a Coverage starting here lists the actor's acts from the
# first one (CNS from 1984, the nuclear table from 2006).
FROM_THE_FIRST = date.min

# --- the API ---------------------------------------------------------------------------------

Origin = Literal["reference", "extracted"]
Verdict = Literal["supported", "contradicted", "unverifiable"]


@dataclass(frozen=True, slots=True)
class KnownEvent:
    """One act as a reference row or a consolidated extracted event gives it."""

    key: str  # "cns-2026:161-162" (reference rows) or "event:3f2a..." (extracted)
    origin: Origin
    type: str  # event type: weapon_test, meeting, sanction, ...
    actor: str | None
    target: str | None
    day_start: date  # local day(s) of the actor (Korean days for North Korean launches)
    day_end: date
    weapon: str | None  # canonical system name (Hwasong-12)
    weapon_class: tuple[str, ...]  # SRBM, ..., nuclear, space_launch, artillery
    count: int | None  # missiles in a salvo
    label: str  # "CNS 2026 lines 161-162: 2022-01-14 05:41 UTC, Rail-mobile KN-23 x2"
    kind: str | None = None  # a reference act's kind, missile or nuclear, known whatever its class


@dataclass(frozen=True, slots=True)
class Coverage:
    """What a reference source lists completely: every act of ``type`` by ``actor`` in
    ``classes`` from ``start`` to ``end`` (``start=FROM_THE_FIRST`` when it lists them from the
    actor's first; no classes when it lists every act of the type)."""

    name: str  # "cns-2026"
    type: str  # "weapon_test"
    actor: str  # "PRK"
    classes: frozenset[str]
    start: date
    end: date


@dataclass(frozen=True, slots=True)
class ClaimCheck:
    claim_id: str
    verdict: Verdict
    claimed: str  # what the claim says, in words
    found: str | None  # what the data give, None if nothing to say
    evidence: tuple[str, ...]  # keys of the known events the verdict rests on, in date order
    reason: str  # one sentence: why this verdict


def check_claim(claim: Claim, *, subject: EventMention | None, known: Sequence[KnownEvent],
                coverage: Sequence[Coverage], as_of: date) -> ClaimCheck:
    """Check one claim against the known acts; never raises on an odd claim."""
    claimed = claim_text(claim, as_of)
    problem = _malformed(claim)
    if problem is not None:
        return _unverifiable(claim, claimed, problem)
    scope = _scope(claim, subject)
    if isinstance(scope, str):
        return _unverifiable(claim, claimed, scope)
    acts = _acts(e for e in known if _same_parties(claim, e))
    ctx = _Context(claim, claimed, scope, acts, _relevant(claim, coverage), coverage, subject,
                   as_of)
    if claim.kind == "first_since":
        return _check_first_since(ctx)
    return _check_number(ctx)


# --- scope -----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Scope:
    classes: frozenset[str] | None  # None: every act of the type
    system: str | None  # a named system: acts of that system only
    words: str  # how the claim's words set it, for reasons


def has_words(text: str, phrase: str) -> bool:
    # Whole words only, never before a hyphen: "nuclear-capable" is not "nuclear".
    return re.search(rf"(?<![\w-]){re.escape(phrase)}(?:e?s)?(?![\w-])", text) is not None


def _scope(claim: Claim, subject: EventMention | None) -> _Scope | str:
    if claim.about not in WEAPON_TYPES:
        return _Scope(None, None, f"every {claim.about} act")
    text = str(claim.evidence or "").lower()
    narrow = [w for w in NARROWING_WORDS if has_words(text, w)]
    if narrow:
        return (f'the claim counts only "{narrow[0]}" acts, which the known events do not '
                f"distinguish")
    if any(has_words(text, p) for p in STRONGER_PHRASES):
        return _stronger_scope(subject)
    if any(has_words(text, p) for p in SAME_KIND_PHRASES):
        if subject is None or not subject.weapon_class:
            return "the claim counts acts of the same kind as an event whose weapon is unknown"
        classes = frozenset(subject.weapon_class)
        return _Scope(classes, None, f"{_names(classes)}, the subject's classes")
    if subject is not None and subject.weapon and has_words(text, subject.weapon.lower()):
        own = frozenset(subject.weapon_class)
        return _Scope(own or None, subject.weapon, f"the {subject.weapon}")
    for tier in SCOPE_TIERS:
        hits = [w for w in tier if has_words(text, w)]
        if hits:
            found = frozenset().union(*(tier[w] for w in hits))
            return _Scope(found, None, f'{_class_words(found)} (read from "{hits[0]}")')
    if claim.kind == "ordinal" and claim.value == 1:
        # "the first flight test": the first of its system, which no reference lists whole
        return "the claim's words do not say which weapons it counts"
    if subject is not None and subject.weapon_class:
        # "its fourth nuclear test and its first since February 2013": an ordinal or a record
        # that names no weapon counts acts of the kind its sentence reports (a nuclear test,
        # even of a bomb "for an ICBM", counts nuclear tests)
        classes = (frozenset({"nuclear"}) if "nuclear" in subject.weapon_class
                   else frozenset(subject.weapon_class))
        return _Scope(classes, None, f"{_names(classes)}, the classes of the act it is about "
                                     "(its words name none)")
    return "the claim's words do not say which weapons it counts"


def _stronger_scope(subject: EventMention | None) -> _Scope | str:
    if subject is None or not subject.weapon_class:
        return "the claim compares with an event whose weapon is unknown"
    ranks = [RANGE_ORDER.index(c) for c in subject.weapon_class if c in RANGE_ORDER]
    if not ranks:
        return (f"the subject's classes ({_names(subject.weapon_class)}) have no place in the "
                f"range order {' < '.join(RANGE_ORDER)}")
    classes = frozenset(RANGE_ORDER[max(ranks):])
    return _Scope(classes, None,
                  f"{_names(classes)}, at least as strong as the subject's "
                  f"{RANGE_ORDER[max(ranks)]}")


# --- acts: known events, one per act ---------------------------------------------------------


@dataclass(slots=True)
class _Act:
    members: list[KnownEvent]

    @property
    def main(self) -> KnownEvent:
        refs = [m for m in self.members if m.origin == "reference"]
        return refs[0] if refs else self.members[0]

    @property
    def referenced(self) -> bool:
        return self.main.origin == "reference"

    @property
    def start(self) -> date:
        return self.main.day_start

    @property
    def end(self) -> date:
        return self.main.day_end

    @property
    def classes(self) -> frozenset[str]:
        own = frozenset(self.main.weapon_class)
        return own or frozenset(c for m in self.members for c in m.weapon_class)

    @property
    def weapon(self) -> str | None:
        return next((m.weapon for m in sorted(self.members, key=_ref_first) if m.weapon), None)

    @property
    def keys(self) -> tuple[str, ...]:
        return tuple(m.key for m in sorted(self.members, key=_ref_first))


def _ref_first(e: KnownEvent) -> tuple[int, date, str]:
    return (0 if e.origin == "reference" else 1, e.day_start, e.key)


def _acts(events: Iterable[KnownEvent]) -> list[_Act]:
    ordered = sorted(events, key=lambda e: (e.day_start, e.day_end, e.key))
    acts = [_Act([e]) for e in ordered if e.origin == "reference"]
    references = list(acts)
    for e in ordered:
        if e.origin == "reference":
            continue
        same = [a for a in references
                if _near(a.start, a.end, e.day_start, e.day_end)
                and _compatible(a.classes, frozenset(e.weapon_class))]
        if same:
            min(same, key=lambda a: (_gap_days(a.start, a.end, e.day_start, e.day_end),
                                     a.start, a.main.key)).members.append(e)
        else:
            acts.append(_Act([e]))
    return sorted(acts, key=lambda a: (a.start, a.end, a.main.key))


def _gap_days(a0: date, a1: date, b0: date, b1: date) -> int:
    return max((b0 - a1).days, (a0 - b1).days, 0)


def _near(a0: date, a1: date, b0: date, b1: date) -> bool:
    return _gap_days(a0, a1, b0, b1) <= DAY_TOLERANCE


def _compatible(a: frozenset[str], b: frozenset[str]) -> bool:
    if not a or not b:
        return True
    return bool({CLASS_FAMILY.get(c, c) for c in a} & {CLASS_FAMILY.get(c, c) for c in b})


def _same_parties(claim: Claim, e: KnownEvent) -> bool:
    if e.type != claim.about:
        return False
    actor, target = party_class(claim.actor), party_class(claim.target)
    e_actor, e_target = party_class(e.actor), party_class(e.target)
    if claim.about in SYMMETRIC_TYPES:
        if target is None:
            return actor in (e_actor, e_target)
        return sorted([actor or "", target]) == sorted([e_actor or "", e_target or ""])
    return e_actor == actor and (target is None or e_target == target)


# --- coverage --------------------------------------------------------------------------------


def _relevant(claim: Claim, coverage: Sequence[Coverage]) -> list[Coverage]:
    if claim.target is not None:
        return []  # references record no targets: they cannot list acts against one
    actor = party_class(claim.actor)
    return [c for c in coverage if c.type == claim.about and party_class(c.actor) == actor]


def _covered(scope: _Scope, relevant: Sequence[Coverage], lo: date, hi: date) -> frozenset[str]:
    """The scope's classes that some coverage lists over the whole of [lo, hi]."""
    spanning = [c for c in relevant if c.start <= lo and c.end >= hi]
    listed = frozenset().union(*(c.classes for c in spanning))
    return (scope.classes or frozenset()) & listed


def _complete(scope: _Scope, relevant: Sequence[Coverage], lo: date, hi: date) -> bool:
    if scope.system is not None:
        return False
    if scope.classes is None:
        return any(not c.classes and c.start <= lo and c.end >= hi for c in relevant)
    return scope.classes <= _covered(scope, relevant, lo, hi)


def _gap(ctx: _Context, lo: date, hi: date) -> str:
    """Why the data are not complete for the claim, as a clause."""
    claim = ctx.claim
    if not ctx.relevant:
        if claim.target is not None and any(
                c.type == claim.about and party_class(c.actor) == party_class(claim.actor)
                for c in ctx.coverage):
            return "the references record no targets, and extracted events are not a " \
                   "complete record"
        return (f"no reference lists {claim.about} acts by {claim.actor}, and extracted events "
                f"are not a complete record")
    if ctx.scope.system is not None:
        return f"the references are complete by class, not by system ({ctx.scope.system})"
    if ctx.scope.classes is None:
        return f"no reference lists every {claim.about} act {_from_to(lo, hi)}"
    scope = ctx.scope.classes
    missing = scope - _covered(ctx.scope, ctx.relevant, lo, hi)
    listing = [c for c in ctx.relevant if c.classes & scope]
    listed = frozenset().union(*(c.classes & scope for c in listing))
    parts = []
    if missing - listed and listing:
        names = " and ".join(sorted({c.name for c in listing}))
        parts.append(f"{names} list{'s' if len(listing) == 1 else ''} "
                     f"{_names(listed, 'tests')} only")
    elif missing - listed:
        parts.append(f"no reference lists {_names(missing - listed, 'tests')}")
    for c in ctx.relevant:
        late = _ordered(missing & listed & c.classes)
        if late:
            parts.append(f"{c.name} lists {_names(late, 'tests')} {_from_to(c.start, c.end)} "
                         f"only, not {_from_to(lo, hi)}")
    return ", and ".join(parts)


def _may_count(ctx: _Context, lo: date, hi: date) -> str:
    """What the acts the data lack may be, as the object of "may count"."""
    if ctx.scope.classes is None or ctx.scope.system is not None or not ctx.relevant:
        return "acts the data do not hold"
    missing = ctx.scope.classes - _covered(ctx.scope, ctx.relevant, lo, hi)
    return _names(missing, "tests", "or") if missing else "acts the data do not hold"


# --- checking --------------------------------------------------------------------------------

_Status = Literal["in", "maybe", "out"]


@dataclass(frozen=True, slots=True)
class _Context:
    claim: Claim
    claimed: str
    scope: _Scope
    acts: list[_Act]
    relevant: list[Coverage]
    coverage: Sequence[Coverage]
    subject: EventMention | None
    as_of: date

    def in_scope(self, act: _Act) -> _Status:
        scope = self.scope
        if scope.system is not None:
            if act.weapon == scope.system:
                return "in"
            if act.weapon is None and _compatible(act.classes, scope.classes or frozenset()):
                return "maybe"
            return "out"
        if scope.classes is None:
            return "in"
        if not act.classes:
            kind = act.main.kind
            if (kind == "missile" and scope.classes <= {"nuclear"}) or (
                    kind == "nuclear" and "nuclear" not in scope.classes):
                return "out"  # a launch of unknown class is still no nuclear test
            return "in" if scope.classes >= WEAPON_CLASSES else "maybe"
        return "in" if act.classes & scope.classes else "out"

    def set_aside(self, act: _Act) -> bool:
        """An extracted-only act that a reference would list if it happened as extracted: every
        class in the scope it could be of is covered on its days, and no reference act is it."""
        if act.referenced:
            return False
        if self.scope.classes is None:
            return self.scope.system is None and _complete(self.scope, self.relevant,
                                                           act.start, act.end)
        could_be = (act.classes & self.scope.classes) if act.classes else self.scope.classes
        covered = _covered(self.scope, self.relevant, act.start, act.end)
        return bool(could_be) and could_be <= covered

    def subject_act(self) -> _Act | None:
        """The act the subject reports: the nearest compatible one within a day of it."""
        s = self.subject
        if s is None or s.date_start is None:
            return None
        s_start, s_end = s.date_start, s.date_end or s.date_start
        near = [a for a in self.acts
                if _near(a.start, a.end, s_start, s_end)
                and _compatible(a.classes, frozenset(s.weapon_class))
                and self.in_scope(a) != "out"]
        if not near:
            return None
        return min(near, key=lambda a: (_gap_days(a.start, a.end, s_start, s_end),
                                        -a.start.toordinal()))


@dataclass(frozen=True, slots=True)
class _Tally:
    counted: list[_Act]  # in, not set aside
    maybe: list[_Act]
    aside: list[_Act]

    @property
    def referenced(self) -> list[_Act]:
        return [a for a in self.counted if a.referenced]


def _tally(ctx: _Context, lo: date, hi: date) -> _Tally:
    counted, maybe, aside = [], [], []
    for act in ctx.acts:
        scope_status = ctx.in_scope(act)
        if scope_status == "out" or act.end < lo or act.start > hi:
            continue
        if ctx.set_aside(act):
            aside.append(act)
        elif scope_status == "in" and lo <= act.start and act.end <= hi:
            counted.append(act)
        else:
            maybe.append(act)
    return _Tally(counted, maybe, aside)


def _window(ctx: _Context) -> tuple[date, date] | str:
    claim, as_of = ctx.claim, ctx.as_of
    since = _since_span(claim.since) if claim.since else None
    lo = claim.period_start or (since[0] if since else None)
    if claim.kind == "count" and lo is None:
        return "a count with no period or since cannot be placed in time"
    hi = min(claim.period_end or as_of, as_of)
    s = ctx.subject
    if claim.kind == "ordinal" and s is not None and s.date_start is not None:
        own = ctx.subject_act()
        hi = max(s.date_end or s.date_start, own.end if own else date.min)
    lo = lo or FROM_THE_FIRST
    if hi < lo:
        return f"the claim's window ends ({hi}) before it starts ({lo})"
    return lo, hi


def _check_number(ctx: _Context) -> ClaimCheck:
    window = _window(ctx)
    if isinstance(window, str):
        return _unverifiable(ctx.claim, ctx.claimed, window)
    lo, hi = window
    value = ctx.claim.value if ctx.claim.value is not None else 0
    tally = _tally(ctx, lo, hi)
    complete = _complete(ctx.scope, ctx.relevant, lo, hi)
    r, n, m = len(tally.referenced), len(tally.counted), len(tally.maybe)
    found = _found_number(ctx, tally)
    span = _span(lo, hi)
    undated_ordinal = ctx.claim.kind == "ordinal" and (
        ctx.subject is None or ctx.subject.date_start is None)

    def result(verdict: Verdict, acts: Sequence[_Act], reason: str) -> ClaimCheck:
        return ClaimCheck(ctx.claim.id, verdict, ctx.claimed, found, _keys(acts), reason)

    def so(at_least: bool, count: int) -> str:
        if ctx.claim.kind != "ordinal":
            return f", not the claim's {value}"
        return f", so it was {'at least ' if at_least else ''}the {_ordinal(count)}, " \
               f"not the {_ordinal(value)}"

    if undated_ordinal and n > value:
        return result("unverifiable", tally.counted,
                      f"{n} matching acts are known {span} and the claim's event is not dated, "
                      f"so it may number an earlier one")
    if r > value:
        return result("contradicted", tally.referenced,
                      f"the reference lists {r} matching acts {span}, counting "
                      f"{ctx.scope.words}{so(not complete, r)}")
    if complete:
        if r == value and m == 0:
            return result("supported", tally.counted,
                          f"the reference, complete for {ctx.scope.words}, lists {r} "
                          f"matching acts {span}")
        if r + m < value:
            return result("contradicted", tally.counted,
                          f"the reference, complete for {ctx.scope.words}, lists {r} matching "
                          f"acts {span}{so(False, r)}")
        return result("unverifiable", tally.counted + tally.maybe,
                      f"{m} acts may or may not fall {span}, so the count is {r} to {r + m}")
    if n == value and m == 0:
        return result("supported", tally.counted,
                      f"{n} matching acts are known {span}, counting {ctx.scope.words}, as "
                      f"the claim says")
    if n > value:
        return result("unverifiable", tally.counted,
                      f"{n} matching acts are known {span}, more than the claim's {value}, "
                      f"but the excess rests on extracted events, which may misdate or repeat "
                      f"an act")
    if n < value <= n + m:
        return result("unverifiable", tally.counted + tally.maybe,
                      f"{n} matching acts are known {span} and {m} more of uncertain class or "
                      f"date may make up the claim's {value}")
    return result("unverifiable", tally.counted,
                  f"{_gap(ctx, lo, hi)}; {n} found {span}, and the claim's {value} may count "
                  f"{_may_count(ctx, lo, hi)}")


def _found_number(ctx: _Context, tally: _Tally) -> str:
    r, n = len(tally.referenced), len(tally.counted)
    if ctx.relevant:
        text = f"{r} in the reference"
        if n != r:
            text += f", {n} with extracted events"
    else:
        text = f"{n} among extracted events"
    if tally.maybe:
        text += f"; {len(tally.maybe)} more of uncertain class or date"
    if tally.aside:
        text += (f"; {_plural(len(tally.aside), 'extracted event')} the reference does not "
                 f"list set aside")
    return text


def _check_first_since(ctx: _Context) -> ClaimCheck:
    claim = ctx.claim
    span = _since_span(claim.since or "")
    assert span is not None  # _malformed refused an unparseable since
    s0, s1 = span
    own = ctx.subject_act()
    s = ctx.subject
    if s is not None and s.date_start is not None:
        bound = s.date_start - timedelta(days=1)  # the last day before the claim's act
    else:
        bound = ctx.as_of - timedelta(days=DAY_TOLERANCE + 1)
    if s0 > bound:
        return _unverifiable(claim, ctx.claimed,
                             f"the since period {claim.since} does not come before the claim's "
                             f"event")
    before = [a for a in ctx.acts if a is not own and a.end <= bound]
    sub = _Context(ctx.claim, ctx.claimed, ctx.scope, before, ctx.relevant, ctx.coverage, None,
                   ctx.as_of)
    tally = _tally(sub, FROM_THE_FIRST, bound)
    later = [a for a in tally.counted if a.start > s1]
    later_ref = [a for a in later if a.referenced]
    later_extracted = [a for a in later if not a.referenced]
    complete = _complete(ctx.scope, ctx.relevant, s0, bound)

    def result(verdict: Verdict, acts: Sequence[_Act], reason: str,
               found: str | None) -> ClaimCheck:
        return ClaimCheck(claim.id, verdict, ctx.claimed, found, _keys(acts), reason)

    if later_ref:
        last = later_ref[-1]
        more = f" and {len(later_ref) - 1} more" if len(later_ref) > 1 else ""
        return result("contradicted", later_ref,
                      f"the reference lists {last.main.label}{more} after {claim.since}, "
                      f"counting {ctx.scope.words}",
                      f"latest before: {last.start} ({last.main.key})")
    if later_extracted:
        last = later_extracted[-1]
        return result("unverifiable", later_extracted,
                      f"only extracted events know a matching act after {claim.since} (latest "
                      f"{last.main.label}), and no reference confirms it",
                      f"{_plural(len(later_extracted), 'extracted act')} after {claim.since}")
    if not tally.counted:
        return result("unverifiable", (),
                      f"no matching act before the claim is known, counting "
                      f"{ctx.scope.words}", None)
    last = tally.counted[-1]
    found = f"latest before: {last.start} ({last.main.key})"
    if last.end >= s0:
        caveat = "" if complete else f", though {_gap(ctx, s0, bound)}"
        unclassed = [a for a in tally.maybe if a.end > last.end]
        if unclassed:
            caveat += (f"; {_plural(len(unclassed), 'act')} of unknown class since then "
                       f"({', '.join(a.main.label for a in unclassed)}) not counted")
        return result("supported", [last],
                      f"the latest matching act before the claim, counting {ctx.scope.words}, is "
                      f"{last.main.label}, within {claim.since}{caveat}", found)
    # An act of unknown class within the since period may be the one the claim means.
    within = [a for a in tally.maybe if a.end >= s0 and a.start <= s1]
    if complete and not within:
        return result("contradicted", [last],
                      f"the reference, complete for {ctx.scope.words}, lists no matching act in "
                      f"{claim.since}; the latest before the claim is {last.main.label}", found)
    why = (f"{_plural(len(within), 'act')} of unknown class in {claim.since} "
           f"({', '.join(a.main.label for a in within)}) may be one" if within
           else _gap(ctx, s0, bound))
    return result("unverifiable", [last, *within],
                  f"the latest known matching act is {last.main.label}, before {claim.since}, "
                  f"but {why}", found)


# --- words -----------------------------------------------------------------------------------


def _malformed(claim: Claim) -> str | None:
    kind = str(claim.kind)
    if kind not in ("ordinal", "count", "total", "first_since"):
        return f"the claim's kind {kind!r} is not one this check knows"
    if not claim.actor:
        return "the claim names no actor, so no acts can be matched to it"
    value = claim.value
    least = 1 if kind == "ordinal" else 0
    if kind != "first_since" and (not isinstance(value, int) or isinstance(value, bool)
                                  or value < least):
        return f"the {kind} claim has no usable value ({value!r})"
    for day in (claim.period_start, claim.period_end):
        if day is not None and not isinstance(day, date):
            return f"the claim's period has a day that is not a date ({day!r})"
    if kind == "first_since" and (not claim.since or _since_span(claim.since) is None):
        return f"the claim's since {claim.since!r} is not a year, month or day"
    if kind != "first_since" and claim.since and _since_span(claim.since) is None:
        return f"the claim's since {claim.since!r} is not a year, month or day"
    if (claim.period_start and claim.period_end and claim.period_end < claim.period_start):
        return (f"the claim's period ends ({claim.period_end}) before it starts "
                f"({claim.period_start})")
    return None


def _since_span(since: str) -> tuple[date, date] | None:
    """The days a since value names: a year, a month, or a day widened by DAY_TOLERANCE."""
    text = str(since).strip()
    try:
        if re.fullmatch(r"\d{4}", text):
            return date(int(text), 1, 1), date(int(text), 12, 31)
        if m := re.fullmatch(r"(\d{4})-(\d{2})", text):
            y, mo = int(m.group(1)), int(m.group(2))
            first = date(y, mo, 1)
            return first, (first + timedelta(days=32)).replace(day=1) - timedelta(days=1)
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
            day = date.fromisoformat(text)
            tolerance = timedelta(days=DAY_TOLERANCE)
            return day - tolerance, day + tolerance
    except (ValueError, OverflowError):
        return None
    return None


def claim_text(claim: Claim, as_of: date) -> str:
    parties = f"by {claim.actor or '?'}"
    if claim.target:
        parties += f" {'with' if claim.about in SYMMETRIC_TYPES else 'against'} {claim.target}"
    period = ""
    if claim.period_start or claim.period_end:
        period = f" in {claim.period_start or '?'}..{claim.period_end or '?'}"
    elif claim.since and claim.kind != "first_since":
        period = f" since {claim.since}"
    value = claim.value
    number = str(value) if isinstance(value, int) else "?"
    if claim.kind == "ordinal":
        nth = _ordinal(value) if isinstance(value, int) else "?th"
        return f"{nth} {claim.about} {parties}{period}"
    if claim.kind == "first_since":
        return f"first {claim.about} {parties} since {claim.since or '?'}"
    if claim.kind == "total":
        return f"{number} {claim.about} acts {parties}{period or f' up to {as_of}'}"
    return f"{number} {claim.about} acts {parties}{period}"


def _ordinal(n: int) -> str:
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def _ordered(classes: Iterable[str]) -> list[str]:
    return sorted(classes, key=lambda c: (CLASS_ORDER.index(c) if c in CLASS_ORDER
                                          else len(CLASS_ORDER), c))


def _names(classes: Iterable[str], noun: str = "", conjunction: str = "and") -> str:
    words = [CLASS_WORDING.get(c, c) if noun else c for c in _ordered(classes)]
    if not words:
        return "no classes"
    text = (words[0] if len(words) == 1
            else ", ".join(words[:-1]) + f" {conjunction} " + words[-1])
    return f"{text} {noun}".strip()


def _class_words(classes: frozenset[str]) -> str:
    if classes >= WEAPON_CLASSES:
        return "every weapon class"
    if classes == WEAPON_CLASSES - {"nuclear"}:
        return "every weapon class but nuclear"
    return _names(classes)


def _plural(n: int, noun: str) -> str:
    return f"{n} {noun}{'' if n == 1 else 's'}"


def _from_to(lo: date, hi: date) -> str:
    return f"from {'the first' if lo == FROM_THE_FIRST else lo} to {hi}"


def _span(lo: date, hi: date) -> str:
    return f"up to {hi}" if lo == FROM_THE_FIRST else f"in {lo}..{hi}"


def _keys(acts: Iterable[_Act]) -> tuple[str, ...]:
    ordered = sorted(acts, key=lambda a: (a.start, a.end, a.main.key))
    return tuple(k for a in ordered for k in a.keys)


def _unverifiable(claim: Claim, claimed: str, reason: str) -> ClaimCheck:
    return ClaimCheck(claim.id, "unverifiable", claimed, None, (), reason)
