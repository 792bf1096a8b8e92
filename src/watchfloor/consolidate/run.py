"""Consolidate a store: link near-duplicate articles, merge every stored document event into
the consolidated events, match them to the imported reference sets, and save what changed.

Run after extraction (``watchfloor run`` does it at the end, ``watchfloor consolidate`` alone).
Everything that decides is in consolidate.neardup, consolidate.events and consolidate.matching;
this module only reads the store, calls them and writes back.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from watchfloor.consolidate.attribution import Attributions
from watchfloor.consolidate.events import Report, consolidate
from watchfloor.consolidate.neardup import (
    DuplicateLink,
    Sketch,
    candidate_pairs,
    copy_similarity,
    jaccard,
    links_of,
    sketch,
)
from watchfloor.pack import Pack
from watchfloor.records import Document, EventMention
from watchfloor.reference.launches import ReferenceEvent, group_events
from watchfloor.store.db import ConsolidationDiff, Store


@dataclass(slots=True)
class ConsolidationResult:
    documents: int = 0
    reports: int = 0
    events: int = 0
    copies: int = 0  # documents linked to an original as near-duplicates
    links_changed: int = 0
    reference_sets: list[str] = field(default_factory=list)
    diff: ConsolidationDiff = field(default_factory=ConsolidationDiff)


def source_of(doc: Document | None, doc_id: str, pack: Pack) -> tuple[str, str | None]:
    """The independent-source key of an article and, for state media, its state."""
    if doc is not None and doc.outlet:
        known = pack.outlet(doc.outlet)
        if known is not None:
            return f"outlet:{known.name}", (known.country if known.state_media else None)
        return f"outlet:{' '.join(doc.outlet.lower().split())}", None
    return f"doc:{doc_id}", None


def report_source(mention: EventMention, doc: Document | None, doc_id: str, pack: Pack,
                  cited: Attributions) -> tuple[str, str | None]:
    """The source a report rests on: the outlet its sentence cites ("KCNA said ..."), else its
    article's (consolidate.attribution)."""
    said = cited.of(mention.evidence, mention.actor)
    if said is not None:
        return f"outlet:{said.outlet}", said.state_media_of
    return source_of(doc, doc_id, pack)


def actor_zone(pack: Pack, code: str | None) -> str | None:
    """The zone of an actor's own days: its capital's, as the pack's datelines know it (PRK:
    Pyongyang, so Asia/Pyongyang)."""
    actor = pack.actor(code) if code else None
    if actor is None:
        return None
    return next((z for a in actor.aliases if (z := pack.dateline_tz(a))), None)


def actor_zones(pack: Pack, codes: Iterable[str | None]) -> dict[str, str]:
    return {c: z for c in codes if c and (z := actor_zone(pack, c))}


def place_of(location: str | None, pack: Pack) -> tuple[float, float] | None:
    """The coordinates the pack gives a location, if it knows them."""
    found = pack.place(location) if location else None
    if found is None or found.lat is None or found.lon is None:
        return None
    return (found.lat, found.lon)


def reference_events(store: Store, pack: Pack) -> dict[str, list[ReferenceEvent]]:
    """Every imported reference set as events, by set name."""
    return {s.name: group_events(s.name, s.format, store.reference_rows(s.name), pack)
            for s in store.reference_sets()}


def consolidate_store(store: Store, pack: Pack, *, rebuild: bool = False) -> ConsolidationResult:
    """Consolidate every stored report. Reports already placed stay where they are (stable
    ids, updates in place), unless ``rebuild``: then every report is placed afresh, in date
    order, as if all articles had come at once; events that keep their founding report keep
    their ids, and every change is logged as usual. One consolidation runs at a time per
    database, whatever the process (Store.exclusive)."""
    with store.exclusive("consolidate"):
        return _consolidate_store(store, pack, rebuild=rebuild)


def _consolidate_store(store: Store, pack: Pack, *, rebuild: bool) -> ConsolidationResult:
    result = ConsolidationResult()
    docs = store.document_headers()  # the texts are read only where sketching needs them
    result.documents = len(docs)
    times = store.document_times()
    link_map = {link.doc_id: (link.original_id, link.similarity)
                for link in _near_duplicates(store, times)}
    result.copies = len(link_map)
    result.links_changed = store.save_document_links(link_map)
    cited = Attributions(pack)
    reports: list[Report] = []
    for doc_id, ordinal, mention in store.reports():
        root = link_map.get(doc_id, (doc_id, 1.0))[0]
        source, state = report_source(mention, docs.get(root), root, pack, cited)
        published, ingested = times.get(doc_id, (None, ""))
        doc = docs.get(doc_id)
        reports.append(Report(doc_id=doc_id, ordinal=ordinal, mention=mention,
                              published=published or ingested, source=source,
                              state_media_of=state, place=place_of(mention.location, pack),
                              zone=doc.tz if doc is not None else None))
    result.reports = len(reports)
    reference = reference_events(store, pack)
    result.reference_sets = sorted(reference)
    events = consolidate(reports, {} if rebuild else store.event_assignments(), reference,
                         actor_zones(pack, {r.mention.actor for r in reports}))
    result.events = len(events)
    result.diff = store.save_consolidation(events)
    return result


def _near_duplicates(store: Store, times: Mapping[str, tuple[str | None, str]]
                     ) -> list[DuplicateLink]:
    """Near-duplicate links over every stored article, sketching only the articles no run
    has sketched yet: their band keys are matched against the stored ones, the candidates
    verified, and the new pairs stored; the links then follow from all the pairs. The result
    is the one find_near_duplicates gives over all the texts at once."""
    new = {d.id: sketch(d.text) for d in store.unsketched_documents()}
    if new:
        stored = store.band_neighbours(k for s in new.values() for k in s.bands)
        candidates = candidate_pairs({d: s.bands for d, s in new.items()}, stored)
        older = {d for pair in candidates for d in pair if d not in new}
        sketches = {**new, **{d.id: sketch(d.text, bands=False)
                              for d in store.documents(ids=sorted(older))}}
        pairs = [(a, b, sim) for a, b in sorted(candidates)
                 if (sim := copy_similarity(sketches[a], sketches[b])) is not None]
        store.save_sketches({d: s.bands for d, s in new.items()}, pairs)
    pairs_found = store.document_pairs()
    known = {(a, b): sim for a, b, sim in pairs_found}

    def seniority(doc_id: str) -> tuple[bool, str, str, str]:
        published, ingested = times.get(doc_id, (None, ""))
        return (published is None, published or "", ingested, doc_id)

    texts: dict[str, Sketch] = {}

    def similarity(a: str, b: str) -> float:
        """A pair's stored similarity; a copy of a copy is measured against its original."""
        direct = known.get((min(a, b), max(a, b)))
        if direct is not None:
            return direct
        for doc_id in (a, b):
            if doc_id not in texts:
                doc = store.document(doc_id)
                texts[doc_id] = sketch(doc.text if doc else "", bands=False)
        return jaccard(texts[a].shingles, texts[b].shingles)

    members = {d for a, b, _ in pairs_found for d in (a, b)}
    return links_of([(a, b) for a, b, _ in pairs_found], {d: seniority(d) for d in members},
                    similarity)
