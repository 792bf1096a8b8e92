"""Align predictions with gold and count, as the Scoring section of GOLD_FORMAT.md says.

``score_document`` scores one article: its gold file, its text and the system's
:class:`~watchfloor.records.Extraction` (whose events are document events, mentions merged).
``aggregate`` sums document scores into a :class:`~watchfloor.evaluate.report.Report`; every
metric is micro-averaged (counts summed over articles, then divided).

Choices the format leaves open, made here:
- A date compatible for alignment is the same test as a right date: the predicted interval
  overlaps the gold one widened by ``tolerance_days`` (or both are absent), so that the slack
  the annotator allowed counts for both.
- Pairs are chosen per tier (sentence-sharing pairs, then date-only pairs among what is
  left) as a maximum one-to-one matching; among matchings of that size, the one whose pairs
  agree most on modality, date and weapon wins, then the earliest in gold and prediction
  order, so the result is deterministic.
- An evidence string that occurs more than once in the text may be met by any occurrence.
- UN and UNSC match each other in quotes and claims as well as in events.
- Weapon and weapon-class accuracy are taken over the aligned pairs whose gold has a weapon
  (resp. a class); names compare ignoring case, spaces and hyphens, classes as sets.
- Quote text compares case-folded, with opening quotation marks stripped from both sides.
- Quote speaker accuracy is taken over the gold quotes whose text some predicted quote starts
  with: the share of them that a predicted quote with the right speaker_actor starts with.
- A first_since claim's ``since`` matches when equal or when one is the other narrowed
  ("2017" and "2017-11-29").
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Literal, TypeVar

from watchfloor.evaluate.gold import GoldClaim, GoldDocument, GoldEvent, GoldQuote
from watchfloor.evaluate.report import Prf, Ratio, Report, TypeRow
from watchfloor.records import (
    SYMMETRIC_TYPES,
    Claim,
    EventMention,
    Extraction,
    Quote,
    party_class,
)

_G = TypeVar("_G")
_P = TypeVar("_P")

# --- text normalisation -----------------------------------------------------------------------

_STRAIGHT = str.maketrans(
    {"“": '"', "”": '"', "„": '"', "‟": '"', "″": '"', "‘": "'", "’": "'", "‚": "'", "‛": "'"}
)
_QUOTE_MARKS = "\"'«»‹›"
_WS = re.compile(r"\s+")


def fold(text: str) -> tuple[str, list[int]]:
    """Text with white space runs folded to one space and curly quotes made straight, and for
    each character of the result the offset of the character it came from."""
    out: list[str] = []
    where: list[int] = []
    in_space = False
    for i, ch in enumerate(text):
        if ch.isspace():
            if not in_space:
                out.append(" ")
                where.append(i)
            in_space = True
            continue
        in_space = False
        out.append(ch.translate(_STRAIGHT))
        where.append(i)
    return "".join(out), where


def normalise(text: str) -> str:
    return _WS.sub(" ", text.translate(_STRAIGHT)).strip()


class EvidenceIndex:
    """Finds gold evidence in one document's text, giving spans in the original offsets."""

    __slots__ = ("_end", "_folded", "_where")

    def __init__(self, text: str) -> None:
        self._folded, self._where = fold(text)
        self._end = len(text)

    def spans(self, evidence: str) -> list[tuple[int, int]]:
        """Every (start, end) where evidence occurs; empty when it does not."""
        needle = normalise(evidence)
        if not needle:
            return []
        found: list[tuple[int, int]] = []
        at = self._folded.find(needle)
        while at >= 0:
            last = at + len(needle) - 1
            found.append((self._where[at], self._where[last] + 1))
            at = self._folded.find(needle, at + 1)
        return found


# --- document scores --------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class AlignedEvent:
    gold_id: str
    pred_id: str
    by: Literal["sentence", "date"]  # the tier that paired them
    modality_ok: bool
    date_ok: bool
    weapon_ok: bool | None  # None where gold names no weapon
    weapon_class_ok: bool | None  # None where gold gives no class


@dataclass(frozen=True, slots=True)
class FalseEvent:
    id: str
    type: str
    actor: str | None
    target: str | None
    modality: str
    date: str | None
    sentence: str


@dataclass(frozen=True, slots=True)
class MissedEvent:
    id: str
    type: str
    actor: str
    target: str | None
    evidence: str


@dataclass(frozen=True, slots=True)
class FalseQuote:
    text: str
    speaker: str | None
    speaker_actor: str | None


@dataclass(frozen=True, slots=True)
class MissedQuote:
    speaker: str
    speaker_actor: str
    text_startswith: str


@dataclass(frozen=True, slots=True)
class ClaimRow:
    """A false-positive or missed claim, for error analysis."""

    kind: str
    about: str
    actor: str | None
    value: int | None
    since: str | None
    evidence: str


@dataclass(frozen=True, slots=True)
class DocScore:
    file: str  # the article's file name
    gold_path: Path
    events: Prf
    strict_events: Prf
    asserted_precision: Ratio
    modality: Ratio
    date: Ratio
    weapon: Ratio
    weapon_class: Ratio
    per_type: tuple[TypeRow, ...]
    quotes: Prf
    quote_speaker: Ratio
    claims: Prf
    pairs: tuple[AlignedEvent, ...] = ()
    false_events: tuple[FalseEvent, ...] = ()
    missed_events: tuple[MissedEvent, ...] = ()
    false_quotes: tuple[FalseQuote, ...] = ()
    missed_quotes: tuple[MissedQuote, ...] = ()
    false_claims: tuple[ClaimRow, ...] = ()
    missed_claims: tuple[ClaimRow, ...] = ()
    warnings: tuple[str, ...] = field(default=())


# --- matching helpers -------------------------------------------------------------------------

def actor_matches(pred: str | None, gold: str | None) -> bool:
    """The Council is part of the UN: either code stands for the other."""
    if pred is None or gold is None:
        return False
    return party_class(pred) == party_class(gold)


def parties_match(
    etype: str, pred_actor: str | None, pred_target: str | None, gold: GoldEvent
) -> bool:
    """Actor matches, and target too where gold has one; unordered for symmetric types."""
    if etype in SYMMETRIC_TYPES:
        if gold.target is None:
            return actor_matches(pred_actor, gold.actor) or actor_matches(pred_target, gold.actor)
        return (
            actor_matches(pred_actor, gold.actor) and actor_matches(pred_target, gold.target)
        ) or (actor_matches(pred_actor, gold.target) and actor_matches(pred_target, gold.actor))
    if not actor_matches(pred_actor, gold.actor):
        return False
    return gold.target is None or actor_matches(pred_target, gold.target)


def _pred_interval(pred: EventMention) -> tuple[date, date] | None:
    start = pred.date_start or pred.date_end
    end = pred.date_end or pred.date_start
    if start is None or end is None:
        return None
    return (start, end) if start <= end else (end, start)


def _overlaps_gold(pred: tuple[date, date], gold: GoldEvent) -> bool:
    assert gold.date_start is not None and gold.date_end is not None
    slack = timedelta(days=gold.tolerance_days)
    return pred[0] <= gold.date_end + slack and gold.date_start - slack <= pred[1]


def date_compatible(pred: EventMention, gold: GoldEvent) -> bool:
    """For alignment: intervals overlap (gold widened by its tolerance), or both absent."""
    interval = _pred_interval(pred)
    if gold.date_start is None:
        return interval is None
    return interval is not None and _overlaps_gold(interval, gold)


def date_right(pred: EventMention, gold: GoldEvent) -> bool:
    """For the date attribute: any date is right where gold has none."""
    if gold.date_start is None:
        return True
    interval = _pred_interval(pred)
    return interval is not None and _overlaps_gold(interval, gold)


def _name_key(name: str) -> str:
    return re.sub(r"[\W_]+", "", name.casefold())


def weapon_right(pred: EventMention, gold: GoldEvent,
                 names: Mapping[str, str] | None = None) -> bool | None:
    """Whether the weapon system is the gold one; ``names`` maps each alias a pack knows
    ("Rodong") to the system's canonical name ("Nodong"), so that either spelling counts."""
    if gold.weapon is None:
        return None
    if pred.weapon is None:
        return False
    canon = names or {}
    a, b = _name_key(pred.weapon), _name_key(gold.weapon)
    return canon.get(a, a) == canon.get(b, b)


def weapon_names(systems: Iterable[tuple[str, Sequence[str]]]) -> dict[str, str]:
    """Alias key -> canonical key, for weapon_right, from (name, aliases) pairs."""
    return {_name_key(alias): _name_key(name) for name, aliases in systems
            for alias in (name, *aliases)}


def weapon_class_right(pred: EventMention, gold: GoldEvent) -> bool | None:
    if not gold.weapon_class:
        return None
    return set(pred.weapon_class) == set(gold.weapon_class)


def quote_text_matches(pred_text: str, gold_start: str) -> bool:
    """The predicted quote starts with the gold start, both normalised and case folded, and
    the quotation marks that open either stripped (gold leaves them out, systems may not)."""
    pred = normalise(pred_text).casefold().lstrip(_QUOTE_MARKS + " ")
    gold = normalise(gold_start).casefold().lstrip(_QUOTE_MARKS + " ")
    return bool(gold) and pred.startswith(gold)


def quote_matches(pred: Quote, gold: GoldQuote) -> bool:
    return actor_matches(pred.speaker_actor, gold.speaker_actor) and quote_text_matches(
        pred.text, gold.text_startswith
    )


def since_matches(pred: str | None, gold: str | None) -> bool:
    if pred is None or gold is None:
        return False
    p, g = pred.strip(), gold.strip()
    return p == g or p.startswith(g + "-") or g.startswith(p + "-")


def claim_matches(pred: Claim, gold: GoldClaim) -> bool:
    if pred.about != gold.about or not actor_matches(pred.actor, gold.actor):
        return False
    if gold.kind == "first_since":
        return since_matches(pred.since, gold.since)
    return pred.value is not None and pred.value == gold.value


def max_matching(
    n_gold: int, n_pred: int, weight: dict[tuple[int, int], int]
) -> list[tuple[int, int]]:
    """One-to-one pairs (gold, pred) from the candidate edges in ``weight``: as many pairs as
    possible, and among those the largest total weight; ties go to the earlier indices, so the
    result is deterministic. Hungarian algorithm, fine for the tens of items in an article."""
    if not weight:
        return []
    transpose = n_gold > n_pred
    rows, cols = (n_pred, n_gold) if transpose else (n_gold, n_pred)
    # A pair's bonus over every possible sum of weights makes cardinality come first.
    big = min(rows, cols) * (max(weight.values()) + 1) + 1
    cost = [[0] * cols for _ in range(rows)]
    for (g, p), w in weight.items():
        r, c = (p, g) if transpose else (g, p)
        cost[r][c] = -(big + w)
    owner = _hungarian(cost, rows, cols)
    pairs: list[tuple[int, int]] = []
    for c, r in enumerate(owner):
        if r < 0:
            continue
        g, p = (c, r) if transpose else (r, c)
        if (g, p) in weight:
            pairs.append((g, p))
    return sorted(pairs)


def _hungarian(cost: list[list[int]], n: int, m: int) -> list[int]:
    """Minimum-cost assignment of n rows to m >= n columns; the row of each column or -1."""
    inf = 1 << 62  # above any reachable reduced cost; ints keep the arithmetic exact
    u = [0] * (n + 1)
    v = [0] * (m + 1)
    p = [0] * (m + 1)  # p[j]: the row (1-based) assigned to column j; p[0] is the row being added
    way = [0] * (m + 1)
    for i in range(1, n + 1):
        p[0] = i
        j0 = 0
        minv = [inf] * (m + 1)
        used = [False] * (m + 1)
        while True:
            used[j0] = True
            i0 = p[j0]
            delta = inf
            j1 = 0
            for j in range(1, m + 1):
                if used[j]:
                    continue
                cur = cost[i0 - 1][j - 1] - u[i0] - v[j]
                if cur < minv[j]:
                    minv[j] = cur
                    way[j] = j0
                if minv[j] < delta:
                    delta = minv[j]
                    j1 = j
            for j in range(m + 1):
                if used[j]:
                    u[p[j]] += delta
                    v[j] -= delta
                else:
                    minv[j] -= delta
            j0 = j1
            if p[j0] == 0:
                break
        while j0:
            j1 = way[j0]
            p[j0] = p[j1]
            j0 = j1
    return [p[j] - 1 for j in range(1, m + 1)]


# --- scoring ----------------------------------------------------------------------------------


def _fmt_dates(start: date | None, end: date | None) -> str | None:
    if start is None and end is None:
        return None
    if start == end or end is None:
        return str(start)
    if start is None:
        return str(end)
    return f"{start}..{end}"


def _pair_quality(pred: EventMention, gold: GoldEvent) -> int:
    # Between otherwise equal matchings, prefer the pairs whose attributes agree, so a right
    # prediction is not passed over for a wrong one that reports the same sentence.
    return (
        4 * (pred.modality == gold.modality)
        + 2 * date_right(pred, gold)
        + (weapon_right(pred, gold) is not False)
        + (weapon_class_right(pred, gold) is not False)
    )


def _align_events(
    gold: GoldDocument, pred: Extraction, index: EvidenceIndex, warnings: list[str]
) -> list[tuple[int, int, Literal["sentence", "date"]]]:
    spans: list[list[tuple[int, int]]] = []
    for ev in gold.events:
        found = index.spans(ev.evidence)
        if not found:
            warnings.append(
                f"{gold.path.name}: event {ev.id}: evidence not found in the article text: "
                f"{ev.evidence!r}"
            )
        spans.append(found)
    sentences = {s.index: s for s in pred.sentences}
    pred_spans: list[list[tuple[int, int]]] = []
    for p in pred.events:
        own: list[tuple[int, int]] = []
        for i in p.sentences or (p.prov.sentence,):
            s = sentences.get(i)
            if s is None:
                warnings.append(
                    f"{gold.file.name}: prediction {p.id}: sentence {i} is not in the extraction"
                )
            else:
                own.append((s.start, s.end))
        pred_spans.append(own)

    by_sentence: dict[tuple[int, int], int] = {}
    by_date: dict[tuple[int, int], int] = {}
    for g, ev in enumerate(gold.events):
        for j, p in enumerate(pred.events):
            if p.type != ev.type or not parties_match(p.type, p.actor, p.target, ev):
                continue
            shares = any(a < d and c < b for a, b in pred_spans[j] for c, d in spans[g])
            if shares:
                by_sentence[(g, j)] = _pair_quality(p, ev)
            elif date_compatible(p, ev):
                by_date[(g, j)] = _pair_quality(p, ev)

    pairs: list[tuple[int, int, Literal["sentence", "date"]]] = [
        (g, j, "sentence") for g, j in max_matching(len(gold.events), len(pred.events), by_sentence)
    ]
    used_gold = {g for g, _, _ in pairs}
    used_pred = {j for _, j, _ in pairs}
    rest = {k: w for k, w in by_date.items() if k[0] not in used_gold and k[1] not in used_pred}
    pairs += [(g, j, "date") for g, j in max_matching(len(gold.events), len(pred.events), rest)]
    return sorted(pairs)


def _one_to_one(
    golds: Sequence[_G], preds: Sequence[_P], matches: Callable[[_P, _G], bool]
) -> list[tuple[int, int]]:
    edges = {
        (g, j): 0 for g, gi in enumerate(golds) for j, pj in enumerate(preds) if matches(pj, gi)
    }
    return max_matching(len(golds), len(preds), edges)


def score_document(gold: GoldDocument, text: str, pred: Extraction,
                   names: Mapping[str, str] | None = None) -> DocScore:
    """Score one article's predictions against its gold file (``names``: weapon aliases)."""
    warnings: list[str] = []
    index = EvidenceIndex(text)
    for k, claim in enumerate(gold.claims):
        if not index.spans(claim.evidence):
            warnings.append(
                f"{gold.path.name}: claims[{k}]: evidence not found in the article text: "
                f"{claim.evidence!r}"
            )
    pairs = _align_events(gold, pred, index, warnings)

    aligned: list[AlignedEvent] = []
    for g, j, by in pairs:
        ev, p = gold.events[g], pred.events[j]
        aligned.append(
            AlignedEvent(
                gold_id=ev.id,
                pred_id=p.id,
                by=by,
                modality_ok=p.modality == ev.modality,
                date_ok=date_right(p, ev),
                weapon_ok=weapon_right(p, ev, names),
                weapon_class_ok=weapon_class_right(p, ev),
            )
        )
    n_gold, n_pred = len(gold.events), len(pred.events)
    strict = sum(a.modality_ok and a.date_ok for a in aligned)

    gold_of = {j: g for g, j, _ in pairs}
    asserted = [j for j, p in enumerate(pred.events) if p.modality == "asserted"]
    asserted_right = sum(
        j in gold_of and gold.events[gold_of[j]].modality == "asserted" for j in asserted
    )

    types = sorted({e.type for e in gold.events} | {p.type for p in pred.events})
    per_type = tuple(
        TypeRow(
            type=t,
            events=Prf(
                gold=sum(e.type == t for e in gold.events),
                pred=sum(p.type == t for p in pred.events),
                aligned=sum(gold.events[g].type == t for g, _, _ in pairs),
            ),
        )
        for t in types
    )

    sentences = {s.index: s.text for s in pred.sentences}
    paired_gold = {g for g, _, _ in pairs}
    false_events = tuple(
        FalseEvent(
            id=p.id,
            type=p.type,
            actor=p.actor,
            target=p.target,
            modality=p.modality,
            date=_fmt_dates(p.date_start, p.date_end),
            sentence=p.evidence
            or " ".join(sentences.get(i, "") for i in p.sentences or (p.prov.sentence,)),
        )
        for j, p in enumerate(pred.events)
        if j not in gold_of
    )
    missed_events = tuple(
        MissedEvent(id=e.id, type=e.type, actor=e.actor, target=e.target, evidence=e.evidence)
        for g, e in enumerate(gold.events)
        if g not in paired_gold
    )

    quote_pairs = _one_to_one(gold.quotes, pred.quotes, quote_matches)
    found = [
        q
        for q in gold.quotes
        if any(quote_text_matches(p.text, q.text_startswith) for p in pred.quotes)
    ]
    speaker_right = sum(any(quote_matches(p, q) for p in pred.quotes) for q in found)
    q_gold = {g for g, _ in quote_pairs}
    q_pred = {j for _, j in quote_pairs}

    claim_pairs = _one_to_one(gold.claims, pred.claims, claim_matches)
    c_gold = {g for g, _ in claim_pairs}
    c_pred = {j for _, j in claim_pairs}

    def claim_row(c: Claim | GoldClaim) -> ClaimRow:
        return ClaimRow(c.kind, c.about, c.actor, c.value, c.since, c.evidence)

    return DocScore(
        file=gold.file.name,
        gold_path=gold.path,
        events=Prf(gold=n_gold, pred=n_pred, aligned=len(pairs)),
        strict_events=Prf(gold=n_gold, pred=n_pred, aligned=strict),
        asserted_precision=Ratio(right=asserted_right, total=len(asserted)),
        modality=Ratio(right=sum(a.modality_ok for a in aligned), total=len(aligned)),
        date=Ratio(right=sum(a.date_ok for a in aligned), total=len(aligned)),
        weapon=Ratio(
            right=sum(a.weapon_ok is True for a in aligned),
            total=sum(a.weapon_ok is not None for a in aligned),
        ),
        weapon_class=Ratio(
            right=sum(a.weapon_class_ok is True for a in aligned),
            total=sum(a.weapon_class_ok is not None for a in aligned),
        ),
        per_type=per_type,
        quotes=Prf(gold=len(gold.quotes), pred=len(pred.quotes), aligned=len(quote_pairs)),
        quote_speaker=Ratio(right=speaker_right, total=len(found)),
        claims=Prf(gold=len(gold.claims), pred=len(pred.claims), aligned=len(claim_pairs)),
        pairs=tuple(aligned),
        false_events=false_events,
        missed_events=missed_events,
        false_quotes=tuple(
            FalseQuote(text=p.text, speaker=p.speaker, speaker_actor=p.speaker_actor)
            for j, p in enumerate(pred.quotes)
            if j not in q_pred
        ),
        missed_quotes=tuple(
            MissedQuote(
                speaker=q.speaker, speaker_actor=q.speaker_actor, text_startswith=q.text_startswith
            )
            for g, q in enumerate(gold.quotes)
            if g not in q_gold
        ),
        false_claims=tuple(claim_row(c) for j, c in enumerate(pred.claims) if j not in c_pred),
        missed_claims=tuple(claim_row(c) for g, c in enumerate(gold.claims) if g not in c_gold),
        warnings=tuple(warnings),
    )


def aggregate(scores: Sequence[DocScore]) -> Report:
    """Sum document scores into a corpus report (micro averages)."""
    return Report.from_scores(scores)
