"""Check every stored claim against the consolidated events and the imported reference sets
(analyze.claimcheck holds the rules; this module gathers what it needs from the store).

- **Reference acts**: each imported set as launch events (reference.launches), Korean days.
  Where two sets list the same kind of act (the 2023 and 2026 CNS files), the one reaching
  furthest is used, so that no launch counts twice. Each set covers its acts completely from
  the actor's first (CNS lists every ballistic and space launch from 1984, the nuclear table
  every nuclear test).
- **Extracted acts**: consolidated events that happened (asserted) and are placed to a month or
  better; a tally ("two nuclear tests last year") places no act.
- **Subject**: the document event the claim is about, in the claim's sentence and of the
  claim's type, of the kind the claim counts (a nuclear test for "fourth nuclear test"),
  asserted first, never a pro-form ("after one on Jan. 6"); if the sentence reports none
  ("It was the North's fourth nuclear test"), the asserted act of that kind reported last
  before it. Its day is its consolidated event's day when it has one. A claim about an act
  the article reports as planned or possible ("would be its fourth nuclear test") is not
  checked against what happened: unverifiable.
- **as_of**: the article's publication day in its own zone.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date
from zoneinfo import ZoneInfo

from watchfloor.analyze.claimcheck import (
    FROM_THE_FIRST,
    NARROWING_WORDS,
    ClaimCheck,
    Coverage,
    KnownEvent,
    check_claim,
    claim_text,
    has_words,
)
from watchfloor.analyze.compare import MISSILE_CLASSES
from watchfloor.consolidate.matching import MAX_PLACING_SPAN
from watchfloor.pack import Pack
from watchfloor.records import CanonicalEvent, Claim, Document, EventMention, Sentence
from watchfloor.reference.launches import ReferenceEvent, group_events
from watchfloor.store.db import Store


@dataclass(frozen=True, slots=True)
class CheckedClaim:
    claim: Claim
    check: ClaimCheck
    labels: tuple[str, ...]  # the evidence keys as a reader reads them, in the same order


def reference_acts(store: Store, pack: Pack) -> tuple[list[ReferenceEvent], list[Coverage]]:
    """One reference set per kind of act (the one reaching furthest), and what each covers."""
    best: dict[str, tuple[date, str, list[ReferenceEvent]]] = {}
    for s in store.reference_sets():
        events = group_events(s.name, s.format, store.reference_rows(s.name), pack)
        if not events:
            continue
        kind = events[0].kind
        end = max(e.day_end for e in events)
        if kind not in best or end > best[kind][0]:
            best[kind] = (end, s.name, events)
    refs: list[ReferenceEvent] = []
    coverage: list[Coverage] = []
    for kind, (end, name, events) in sorted(best.items()):
        refs.extend(events)
        actors = sorted({e.actor for e in events})
        classes = frozenset({"nuclear"}) if kind == "nuclear" else MISSILE_CLASSES
        coverage.extend(Coverage(name, "weapon_test", a, classes, FROM_THE_FIRST, end)
                        for a in actors)
    return refs, coverage


def known_events(refs: Sequence[ReferenceEvent], events: Sequence[CanonicalEvent]
                 ) -> list[KnownEvent]:
    known = [KnownEvent(key=r.key, origin="reference", type="weapon_test", actor=r.actor,
                        target=None, day_start=r.day_start, day_end=r.day_end, weapon=r.weapon,
                        weapon_class=r.weapon_class, count=r.count, label=r.label, kind=r.kind)
             for r in refs]
    for e in events:
        if e.modality != "asserted" or e.date_start is None:
            continue
        end = e.date_end or e.date_start
        if (end - e.date_start).days > MAX_PLACING_SPAN:
            continue
        what = e.weapon or "/".join(e.weapon_class) or ""
        day = e.date_start.isoformat() if end == e.date_start else f"{e.date_start}..{end}"
        known.append(KnownEvent(
            key=f"event:{e.id}", origin="extracted", type=e.type, actor=e.actor,
            target=e.target, day_start=e.date_start, day_end=end, weapon=e.weapon,
            weapon_class=e.weapon_class, count=e.count,
            label=f"{e.id}: {day} {e.type} {what} ({e.documents} articles, "
                  f"{e.sources} sources)".replace("  ", " ")))
    return known


def check_claims(store: Store, pack: Pack) -> list[CheckedClaim]:
    """Every stored claim with its check, in the order the store keeps claims."""
    refs, coverage = reference_acts(store, pack)
    consolidated = store.consolidated_events(with_reports=False)  # their reports unused
    known = known_events(refs, consolidated)
    labels = {k.key: k.label for k in known}
    by_id = {e.id: e for e in consolidated}
    assignment = store.event_assignments()
    out: list[CheckedClaim] = []
    docs: dict[str, list[tuple[int, EventMention]]] = {}
    sentence_cache: dict[str, dict[int, Sentence]] = {}
    for claim in store.claims():
        doc_id = claim.prov.doc_id
        if doc_id not in docs:
            docs[doc_id] = [(o, m) for _d, o, m in store.reports(doc_id)]
        subject = _subject(claim, docs[doc_id], assignment, by_id)
        doc = store.document(doc_id)
        as_of = _local_day(doc) if doc is not None else None
        if as_of is None:
            as_of = subject.date_start if subject and subject.date_start else date.today()
        narrowed = _narrowed_after(claim, store, sentence_cache)
        if narrowed is not None:
            check = ClaimCheck(claim.id, "unverifiable", claim_text(claim, as_of), None, (),
                               f'the claim counts only acts that "{narrowed}", which the known '
                               "events do not record")
        elif subject is not None and subject.modality != "asserted":
            check = ClaimCheck(claim.id, "unverifiable", claim_text(claim, as_of), None, (),
                               f"the claim is about an act the article reports as "
                               f"{subject.modality}, not as done")
        else:
            check = check_claim(claim, subject=subject, known=known, coverage=coverage,
                                as_of=as_of)
        out.append(CheckedClaim(claim, check, tuple(labels.get(k, k) for k in check.evidence)))
    return out


# Words that stand for an act named elsewhere ("after one on Jan. 6"): not the claim's act.
PRO_FORMS = frozenset({"one", "ones", "that", "those", "it"})


def _subject(claim: Claim, mentions: Sequence[tuple[int, EventMention]],
             assignment: dict[tuple[str, int], str], by_id: dict[str, CanonicalEvent]
             ) -> EventMention | None:
    def sentences(m: EventMention) -> tuple[int, ...]:
        return m.sentences or (m.prov.sentence,)

    words = claim.evidence.lower()
    nuclear = "nuclear" in words
    launch = any(w in words for w in ("missile", "rocket", "launch"))

    def fits(m: EventMention) -> bool:
        # a claim counting nuclear tests is about a nuclear test, one counting launches not;
        # one naming neither ("its first since February 2013") may be about either
        if not m.weapon_class or not (nuclear or launch):
            return True
        return nuclear == ("nuclear" in m.weapon_class)

    here = [(o, m) for o, m in mentions
            if m.type == claim.about and claim.prov.sentence in sentences(m)
            and m.trigger.lower() not in PRO_FORMS]
    here.sort(key=lambda om: (not fits(om[1]), om[1].modality != "asserted",
                              om[1].date_start is None))
    if here and here[0][1].modality != "asserted":
        return here[0][1]  # "would be its fourth nuclear test": an act not (yet) done
    if not here or not fits(here[0][1]):
        # "It was the North's fourth nuclear test": the act reported last before the claim
        before = sorted(((o, m) for o, m in mentions
                         if m.type == claim.about and m.modality == "asserted" and fits(m)
                         and min(sentences(m)) < claim.prov.sentence),
                        key=lambda om: -max(i for i in sentences(om[1])
                                            if i < claim.prov.sentence))
        here = before or here
    if not here:
        return None
    ordinal, mention = here[0]
    event = by_id.get(assignment.get((claim.prov.doc_id, ordinal), ""))
    if event is not None and event.date_start is not None:
        mention = replace(mention, date_start=event.date_start, date_end=event.date_end,
                          weapon=mention.weapon or event.weapon,
                          weapon_class=mention.weapon_class or event.weapon_class)
    return mention


def _narrowed_after(claim: Claim, store: Store, cache: dict[str, dict[int, Sentence]]
                    ) -> str | None:
    """The narrowing words in the rest of the claim's clause ("the first time since 2009 that a
    rocket has flown over Japan": the claim's own words stop at "rocket")."""
    doc_id = claim.prov.doc_id
    if doc_id not in cache:
        cache[doc_id] = {s.index: s for s in store.sentences(doc_id)}
    sentence = cache[doc_id].get(claim.prov.sentence)
    if sentence is None:
        return None
    rest = sentence.text[max(0, claim.prov.end - sentence.start):]
    rest = re.split(r"[,;:.]", rest, maxsplit=1)[0].lower()
    return next((w for w in NARROWING_WORDS if has_words(rest, w)), None)


def _local_day(doc: Document) -> date | None:
    if doc.published is None:
        return None
    if doc.published.tzinfo is not None and doc.tz:
        return doc.published.astimezone(ZoneInfo(doc.tz)).date()
    return doc.published.date()
