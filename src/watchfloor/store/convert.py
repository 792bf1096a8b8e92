"""Records to rows and back: the one place that knows how each record family is laid out
in the tables of :mod:`watchfloor.store.schema`.

Timestamps become ISO 8601 text: ``published`` and ``fetched`` as the source gave them (naive,
or with their own offset) so that they read back exactly, and the store's own stamps in UTC at a
fixed width so that text order is time order. Tuples become JSON arrays.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime, time
from typing import Any, Literal, cast, get_args
from zoneinfo import ZoneInfo

from sqlalchemy import Row, Table

from watchfloor.records import (
    MODALITIES,
    ActorMention,
    CanonicalEvent,
    Claim,
    ClaimKind,
    Disagreement,
    Document,
    EventMention,
    Extraction,
    Granularity,
    Modality,
    Provenance,
    Quote,
    Sentence,
    TimeExpression,
    WeaponMention,
    text_sha256,
)
from watchfloor.reference.readers import Outcome, ReferenceTest
from watchfloor.store import schema

_GRANULARITIES: frozenset[str] = frozenset(get_args(Granularity))
_CLAIM_KINDS: frozenset[str] = frozenset(get_args(ClaimKind))


# -- records to rows ---------------------------------------------------------------------


def now() -> str:
    return _utc(datetime.now(UTC))


def _utc(moment: datetime) -> str:
    # Fixed width (always microseconds, always +00:00) so that text order is time order.
    return moment.astimezone(UTC).isoformat(timespec="microseconds")


def _iso(moment: datetime | None) -> str | None:
    return None if moment is None else moment.isoformat()


def _published_utc(doc: Document) -> str | None:
    if doc.published is None:
        return None
    if doc.published.tzinfo is not None:
        return _utc(doc.published)
    # A naive time is read in the article's own zone, as the dateline gave it.
    try:
        zone = ZoneInfo(doc.tz) if doc.tz else UTC
    except (ValueError, KeyError):  # ZoneInfoNotFoundError is a KeyError
        zone = UTC
    return _utc(doc.published.replace(tzinfo=zone))


def document_row(doc: Document) -> dict[str, Any]:
    return {
        "id": doc.id,
        "text": doc.text,
        "source": doc.source,
        "title": doc.title,
        "url": doc.url,
        "outlet": doc.outlet,
        "published": _iso(doc.published),
        "published_utc": _published_utc(doc),
        "dateline": doc.dateline,
        "tz": doc.tz,
        "language": doc.language,
        "fetched": _iso(doc.fetched),
        "ingested_at": now(),
    }


def _json(values: Sequence[object]) -> str:
    return json.dumps(list(values), ensure_ascii=False)


def _prov_row(ordinal: int, prov: Provenance) -> dict[str, Any]:
    return {
        "doc_id": prov.doc_id,
        "ordinal": ordinal,
        "sentence": prov.sentence,
        "span_start": prov.start,
        "span_end": prov.end,
        "extractor": prov.extractor,
        "version": prov.version,
        "pack_sha256": prov.pack_sha256,
        "confidence": prov.confidence,
    }


def extraction_rows(x: Extraction) -> list[tuple[Table, list[dict[str, Any]]]]:
    """Rows per table, in an order that satisfies the foreign keys."""
    sentences = [
        {
            "doc_id": x.doc_id,
            "sentence": s.index,
            "span_start": s.start,
            "span_end": s.end,
            "text": s.text,
        }
        for s in x.sentences
    ]
    actors = [
        {**_prov_row(i, a.prov), "text": a.text, "code": a.code, "name": a.name, "kind": a.kind}
        for i, a in enumerate(x.actors)
    ]
    weapons = [
        {
            **_prov_row(i, w.prov),
            "text": w.text,
            "system": w.system,
            "weapon_class": _json(w.weapon_class),
            "count": w.count,
        }
        for i, w in enumerate(x.weapons)
    ]
    times = [
        {
            **_prov_row(i, t.prov),
            "text": t.text,
            "date_start": t.start,
            "date_end": t.end,
            "granularity": t.granularity,
        }
        for i, t in enumerate(x.times)
    ]
    events = [_event_row(i, e) for i, e in enumerate(x.events)]
    classes = [
        {"doc_id": x.doc_id, "ordinal": i, "weapon_class": cls}
        for i, e in enumerate(x.events)
        for cls in dict.fromkeys(e.weapon_class)
    ]
    quotes = [
        {
            **_prov_row(i, q.prov),
            "id": q.id,
            "text": q.text,
            "speaker": q.speaker,
            "speaker_actor": q.speaker_actor,
            "channel": q.channel,
        }
        for i, q in enumerate(x.quotes)
    ]
    claims = [
        {
            **_prov_row(i, c.prov),
            "id": c.id,
            "kind": c.kind,
            "about": c.about,
            "actor": c.actor,
            "evidence": c.evidence,
            "target": c.target,
            "value": c.value,
            "since": c.since,
            "period_start": c.period_start,
            "period_end": c.period_end,
        }
        for i, c in enumerate(x.claims)
    ]
    return [
        (schema.sentences, sentences),
        (schema.actor_mentions, actors),
        (schema.weapon_mentions, weapons),
        (schema.time_expressions, times),
        (schema.event_mentions, events),
        (schema.event_weapon_classes, classes),
        (schema.quotes, quotes),
        (schema.claims, claims),
    ]


def digest(rows: list[tuple[Table, list[dict[str, Any]]]]) -> str:
    """sha256 of an extraction's rows: equal rows, equal digest, so a re-save can be skipped.

    Taken over the rows rather than ``repr`` of the records because json runs in C: this is
    on the path of every saved document.
    """
    payload = [(table.name, table_rows) for table, table_rows in rows]
    return text_sha256(json.dumps(payload, default=str, ensure_ascii=False))


def _event_row(ordinal: int, e: EventMention) -> dict[str, Any]:
    return {
        **_prov_row(ordinal, e.prov),
        "id": e.id,
        "type": e.type,
        "actor": e.actor,
        "target": e.target,
        "modality": e.modality,
        "trigger": e.trigger,
        "weapon": e.weapon,
        "weapon_class": _json(e.weapon_class),
        "location": e.location,
        "date_start": e.date_start,
        "date_end": e.date_end,
        "granularity": e.granularity,
        "date_text": e.date_text,
        "time": e.time,
        "count": e.count,
        "stance": e.stance,
        "status": e.status,
        "participants": _json(e.participants),
        "sentences": _json(e.sentences),
        "evidence": e.evidence,
        "distance_km": e.distance_km,
        "apogee_km": e.apogee_km,
    }


# -- rows to records ---------------------------------------------------------------------


def _datetime(value: str | None) -> datetime | None:
    return None if value is None else datetime.fromisoformat(value)


def to_document(row: Row[Any]) -> Document:
    return Document(
        id=row.id,
        text=row.text,
        source=row.source,
        title=row.title,
        url=row.url,
        outlet=row.outlet,
        published=_datetime(row.published),
        dateline=row.dateline,
        tz=row.tz,
        language=row.language,
        fetched=_datetime(row.fetched),
    )


def _prov(row: Row[Any]) -> Provenance:
    return Provenance(
        doc_id=row.doc_id,
        sentence=row.sentence,
        start=row.span_start,
        end=row.span_end,
        extractor=row.extractor,
        version=row.version,
        pack_sha256=row.pack_sha256,
        confidence=row.confidence,
    )


def _strings(value: str) -> tuple[str, ...]:
    if value == "[]":  # most events: no weapon class, no reference (json.loads: 4 us each)
        return ()
    return tuple(str(v) for v in json.loads(value))


def _modality(value: str) -> Modality:
    if value not in MODALITIES:
        raise ValueError(f"stored modality {value!r} is not one of {MODALITIES}")
    return value


def _granularity(value: str) -> Granularity:
    if value not in _GRANULARITIES:
        raise ValueError(f"stored granularity {value!r} is not one of {sorted(_GRANULARITIES)}")
    return cast(Granularity, value)


def _claim_kind(value: str) -> ClaimKind:
    if value not in _CLAIM_KINDS:
        raise ValueError(f"stored claim kind {value!r} is not one of {sorted(_CLAIM_KINDS)}")
    return cast(ClaimKind, value)


def to_sentence(row: Row[Any]) -> Sentence:
    return Sentence(index=row.sentence, start=row.span_start, end=row.span_end, text=row.text)


def to_actor(row: Row[Any]) -> ActorMention:
    return ActorMention(text=row.text, code=row.code, name=row.name, kind=row.kind, prov=_prov(row))


def to_weapon(row: Row[Any]) -> WeaponMention:
    return WeaponMention(
        text=row.text,
        system=row.system,
        weapon_class=_strings(row.weapon_class),
        count=row._mapping["count"],  # row.count is the tuple method
        prov=_prov(row),
    )


def to_time(row: Row[Any]) -> TimeExpression:
    return TimeExpression(
        text=row.text,
        start=row.date_start,
        end=row.date_end,
        granularity=_granularity(row.granularity),
        prov=_prov(row),
    )


def to_event(row: Row[Any]) -> EventMention:
    return EventMention(
        id=row.id,
        type=row.type,
        actor=row.actor,
        target=row.target,
        modality=_modality(row.modality),
        trigger=row.trigger,
        prov=_prov(row),
        weapon=row.weapon,
        weapon_class=_strings(row.weapon_class),
        location=row.location,
        date_start=row.date_start,
        date_end=row.date_end,
        granularity=_granularity(row.granularity),
        date_text=row.date_text,
        time=row.time,
        count=row._mapping["count"],  # row.count is the tuple method
        stance=row.stance,
        status=row.status,
        participants=_strings(row.participants),
        sentences=tuple(int(i) for i in json.loads(row.sentences)),
        evidence=row.evidence,
        distance_km=row.distance_km,
        apogee_km=row.apogee_km,
    )


def to_quote(row: Row[Any]) -> Quote:
    return Quote(
        id=row.id,
        text=row.text,
        speaker=row.speaker,
        speaker_actor=row.speaker_actor,
        channel=row.channel,
        prov=_prov(row),
    )


def to_claim(row: Row[Any]) -> Claim:
    return Claim(
        id=row.id,
        kind=_claim_kind(row.kind),
        about=row.about,
        actor=row.actor,
        evidence=row.evidence,
        prov=_prov(row),
        target=row.target,
        value=row.value,
        since=row.since,
        period_start=row.period_start,
        period_end=row.period_end,
    )


# -- reference rows ----------------------------------------------------------------------


def reference_row(set_name: str, r: ReferenceTest) -> dict[str, Any]:
    return {
        "set_name": set_name,
        "line": r.line,
        "kind": r.kind,
        "date_start": r.date_start,
        "date_end": r.date_end,
        "time_utc": r.time_utc.isoformat() if r.time_utc is not None else None,
        "system": r.system,
        "weapon_class": r.weapon_class,
        "facility": r.facility,
        "latitude": r.latitude,
        "longitude": r.longitude,
        "outcome": r.outcome,
        "apogee_km": r.apogee_km,
        "distance_km": r.distance_km,
        "yield_kt": r.yield_kt,
    }


def to_reference(row: Row[Any], source: str) -> ReferenceTest:
    kind: Literal["missile", "nuclear"] = "nuclear" if row.kind == "nuclear" else "missile"
    outcome: Outcome = (
        "success" if row.outcome == "success" else "failure" if row.outcome == "failure"
        else "unknown"
    )
    return ReferenceTest(
        source=source,
        line=row.line,
        kind=kind,
        date_start=row.date_start,
        date_end=row.date_end,
        time_utc=time.fromisoformat(row.time_utc) if row.time_utc else None,
        system=row.system,
        weapon_class=row.weapon_class,
        facility=row.facility,
        latitude=row.latitude,
        longitude=row.longitude,
        outcome=outcome,
        apogee_km=row.apogee_km,
        distance_km=row.distance_km,
        yield_kt=row.yield_kt,
    )


# -- consolidated events -----------------------------------------------------------------


def canonical_row(e: CanonicalEvent) -> dict[str, Any]:
    """The events row of ``e`` without updated_at (rows compare equal when nothing changed)."""
    return {
        "id": e.id,
        "type": e.type,
        "actor": e.actor,
        "target": e.target,
        "modality": e.modality,
        "weapon": e.weapon,
        "weapon_class": _json(e.weapon_class),
        "location": e.location,
        "date_start": e.date_start,
        "date_end": e.date_end,
        "granularity": e.granularity,
        "time": e.time,
        "count": e.count,
        "outcome": e.outcome,
        "distance_km": e.distance_km,
        "apogee_km": e.apogee_km,
        "status": e.status,
        "confidence": e.confidence,
        "documents": e.documents,
        "sources": e.sources,
        "first_reported": e.first_reported,
        "last_reported": e.last_reported,
        "disagreements": json.dumps(
            {k: dis.as_dict() for k, dis in sorted(e.disagreements.items())},
            ensure_ascii=False, sort_keys=True,
        ),
        "reference": _json(e.reference),
    }


def to_canonical(row: Row[Any] | Mapping[str, Any],
                 reports: Sequence[tuple[str, int]] = ()) -> CanonicalEvent:
    r = row._mapping if isinstance(row, Row) else row
    disagreements = {
        k: Disagreement(
            values=tuple((v["value"], tuple(v["documents"]), int(v["sources"]))
                         for v in d["values"]),
            resolved=d["resolved"], rule=d["rule"],
        )
        for k, d in (json.loads(r["disagreements"]).items()
                     if r["disagreements"] != "{}" else ())
    }
    return CanonicalEvent(
        id=r["id"], type=r["type"], actor=r["actor"], target=r["target"],
        modality=r["modality"], weapon=r["weapon"], weapon_class=_strings(r["weapon_class"]),
        location=r["location"], date_start=r["date_start"], date_end=r["date_end"],
        granularity=r["granularity"], count=r["count"], status=r["status"],
        confidence=r["confidence"], documents=r["documents"], sources=r["sources"],
        first_reported=r["first_reported"], last_reported=r["last_reported"],
        disagreements=disagreements, reference=_strings(r["reference"]),
        reports=tuple((d, int(o)) for d, o in reports),
        time=r["time"],
        outcome=r["outcome"],
        distance_km=r["distance_km"],
        apogee_km=r["apogee_km"],
    )
