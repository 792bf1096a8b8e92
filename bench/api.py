"""The API load benchmark (``make bench-api``): concurrent clients against the REST API over a
large database, latency per endpoint, on SQLite and PostgreSQL.

Builds (or reuses) a database of synthetic consolidated events written straight into the
store's tables, serves it with ``watchfloor serve`` (uvicorn, the real app) in its own process
on loopback, and runs ``--clients`` concurrent clients for ``--seconds`` on a mix of event list and
timeline requests. Reports requests, errors, throughput and latency percentiles per endpoint
against the issue's target (p95 under 100 ms), prints the tables, writes
``var/bench/api-<backend>.json`` and exits 0 whatever the figures: it reports, it does not gate
(1 only when the benchmark itself fails).

Example: python -m bench.api --quick
"""

from __future__ import annotations

import argparse
import asyncio
import hashlib
import json
import math
import os
import random
import resource
import socket
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlencode, urlsplit

import httpx
from rich.console import Console
from rich.table import Table
from sqlalchemy import Connection, func, insert, select, text
from sqlalchemy.engine import make_url

from watchfloor.pack import Pack, load_pack
from watchfloor.records import (
    CanonicalEvent,
    Disagreement,
    Document,
    EventMention,
    Extraction,
    Granularity,
    Provenance,
    Sentence,
)
from watchfloor.settings import load_settings
from watchfloor.store import Store, convert, create_store_engine, schema
from watchfloor.store.db import drop_all_tables, write_transaction

ROOT = Path(__file__).resolve().parent.parent
OUT_DIR = ROOT / "var" / "bench"
DATA_DIR = OUT_DIR / "api-data"

DEFAULT_EVENTS, QUICK_EVENTS = 100_000, 10_000
DEFAULT_SECONDS, QUICK_SECONDS = 60.0, 10.0
DEFAULT_CLIENTS = 50
DEFAULT_WORKERS = 2  # one server process per core on the 2-core machine
DEFAULT_SEED = 20240601
TARGET_P95_MS = 100.0
BENCH_RATE_LIMIT = 10_000_000  # requests a minute per client address, for the server
# Bump when the generated data changes shape, so that a cached database is built again.
GENERATOR_VERSION = "1"
FIRST_YEAR, LAST_YEAR = 1984, 2026
# Events generated (and written) per transaction: bounds memory, whatever the size.
CHUNK_EVENTS = 2000
BENCH_EXTRACTOR, BENCH_VERSION = "bench.api", "0"

console = Console(stderr=True)
# Wide enough for the tables when the output goes to a file or a CI log (Rich assumes 80).
out = Console() if sys.stdout.isatty() else Console(width=150)


# -- the data --------------------------------------------------------------------------------

# Who acts, how often: North Korea's programme is the pack's subject, so most events are its.
ACTOR_WEIGHTS: dict[str, int] = {
    "PRK": 40, "USA": 14, "KOR": 12, "JPN": 7, "CHN": 6, "RUS": 4, "UNSC": 3, "UN": 2,
    "IAEA": 1, "EU": 1, "GBR": 1, "FRA": 1, "DEU": 1, "AUS": 1, "CAN": 1, "IND": 1, "IRN": 1,
    "MNG": 1, "VNM": 1, "SGP": 1,
}
PRK_TYPES: dict[str, int] = {
    "weapon_test": 35, "statement": 14, "threaten": 12, "accuse": 8, "reject": 6,
    "military_exercise": 5, "protest": 4, "negotiation_status": 3, "meeting": 3, "coerce": 3,
    "military_action": 2, "outreach": 2, "offer": 2, "agreement": 1,
}
OTHER_TYPES: dict[str, int] = {
    "statement": 20, "meeting": 12, "appeal": 10, "military_exercise": 10, "sanction": 8,
    "accuse": 6, "negotiation_status": 5, "protest": 5, "aid": 4, "offer": 3, "agreement": 3,
    "outreach": 3, "threaten": 3, "weapon_test": 3, "reject": 2, "coerce": 2,
    "military_action": 1,
}
# The words a report uses for each event type (the trigger), in our own template sentences.
VERBS: dict[str, str] = {
    "weapon_test": "launched", "military_exercise": "held drills with", "statement":
    "issued a statement on", "appeal": "called on", "accuse": "accused", "threaten":
    "threatened", "meeting": "met", "negotiation_status": "resumed talks with", "outreach":
    "reached out to", "offer": "made an offer to", "reject": "rejected a proposal from",
    "agreement": "reached an agreement with", "sanction": "imposed sanctions on", "aid":
    "sent aid to", "protest": "protested to", "coerce": "pressed", "military_action":
    "fired artillery toward",
}
REPORTS_PER_EVENT: dict[int, int] = {1: 45, 2: 28, 3: 15, 4: 8, 6: 4}
STATUS_WEIGHTS_SINGLE: dict[str, int] = {"reported": 85, "revised": 6, "claimed": 9}
STATUS_WEIGHTS_SEVERAL: dict[str, int] = {"confirmed": 90, "disputed": 7, "retracted": 3}
YEAR_SPIKES = {2006: 4, 2009: 3, 2016: 6, 2017: 6, 2019: 4, 2022: 6, 2023: 5}


@dataclass(frozen=True, slots=True)
class DataSpec:
    """What to generate: the same spec gives the same rows, byte for byte."""

    events: int = DEFAULT_EVENTS
    seed: int = DEFAULT_SEED

    def key(self) -> str:
        """Names a built database: size, seed, generator and the store's schema (its tables
        and migrations), so a schema change builds the data again."""
        digest = hashlib.sha256(GENERATOR_VERSION.encode())
        digest.update(Path(schema.__file__).read_bytes())
        for migration in sorted((Path(schema.__file__).parent / "migrations").rglob("*.py")):
            digest.update(migration.name.encode() + b"\0" + migration.read_bytes())
        return f"{self.events}-s{self.seed}-{digest.hexdigest()[:10]}"


@dataclass(slots=True)
class Vocabulary:
    """What the generator draws from, taken from the domain pack."""

    actor_names: dict[str, str]
    weapons: list[tuple[str, tuple[str, ...]]]
    places: list[str]
    outlets: list[tuple[str, str | None]]  # name, state whose media it is
    datelines: list[tuple[str, str]]  # "SEOUL", "Asia/Seoul"
    pack_sha256: str

    @classmethod
    def from_pack(cls, pack: Pack) -> Vocabulary:
        names: dict[str, str] = {}
        for actor in pack.actors:
            if actor.kind != "person":
                names.setdefault(actor.code, actor.name)
        return cls(
            actor_names={code: names.get(code, code) for code in ACTOR_WEIGHTS},
            weapons=[(w.name, w.classes) for w in pack.weapons],
            places=[p.name for p in pack.places][:60] or ["the east coast"],
            outlets=[(o.name, o.country if o.state_media else None) for o in pack.outlets],
            datelines=sorted(pack.datelines.items()),
            pack_sha256=pack.sha256,
        )


# Drafts compare by identity (eq=False): they point at each other.
@dataclass(slots=True, eq=False)
class _Mention:
    """A report of an event waiting for its document to be written."""

    event: _Event
    doc: _Doc
    ordinal: int  # its position among the document's events
    sentence: int
    text: str
    date_start: date | None
    weapon: str | None
    count: int | None


@dataclass(slots=True, eq=False)
class _Event:
    index: int
    id: str
    type: str
    actor: str
    target: str | None
    weapon: str | None
    classes: tuple[str, ...]
    location: str | None
    date_start: date | None
    date_end: date | None
    granularity: Granularity
    count: int | None
    mentions: list[_Mention] = field(default_factory=list)


@dataclass(slots=True, eq=False)
class _Doc:
    serial: int
    outlet: str
    state_media_of: str | None
    dateline: str
    tz: str
    published: datetime
    capacity: int
    sentences: list[str] = field(default_factory=list)
    mentions: list[_Mention] = field(default_factory=list)
    id: str = ""


@dataclass(slots=True)
class Batch:
    """Rows for one chunk of events, per table, in an order that satisfies the foreign keys."""

    tables: list[tuple[Any, list[dict[str, Any]]]]
    events: int = 0
    documents: int = 0
    reports: int = 0


def _weighted(rng: random.Random, weights: Mapping[Any, int]) -> Any:
    return rng.choices(list(weights), list(weights.values()))[0]


def _utc_text(moment: datetime) -> str:
    # As the store writes its stamps: fixed width, so that text order is time order.
    return moment.astimezone(UTC).isoformat(timespec="microseconds")


class Generator:
    """Synthetic consolidated events with their reports and documents, chunk by chunk.

    Events are dated over 1984-2026 (more in recent years, most in the years of many tests),
    acted mostly by North Korea, typed from ``records.EVENT_TYPES``, with the pack's weapon
    systems on launches; each has one to six reports, each report a sentence in an article of
    one to five reports from one outlet, so that an event's ``documents`` and ``sources`` are
    what the rows say. Texts are template sentences of our own.
    """

    def __init__(self, spec: DataSpec, vocab: Vocabulary) -> None:
        self.spec = spec
        self.vocab = vocab
        self.key = spec.key()
        self._rng = random.Random(spec.seed)
        self._serial = 0
        self._open: dict[int, _Doc] = {}  # the article being filled for each report rank

    def batches(self) -> Iterator[Batch]:
        days = self._dates()
        for start in range(0, len(days), CHUNK_EVENTS):
            events = [self._event(start + i, day)
                      for i, day in enumerate(days[start:start + CHUNK_EVENTS])]
            docs = list(dict.fromkeys(m.doc for e in events for m in e.mentions))
            self._open.clear()  # every article of the chunk is written with it
            yield self._rows(events, docs)

    def _dates(self) -> list[date]:
        rng = self._rng
        years = list(range(FIRST_YEAR, LAST_YEAR + 1))
        weights = [1 + (y - FIRST_YEAR) * 0.2 + YEAR_SPIKES.get(y, 0) for y in years]
        picked = rng.choices(years, weights, k=self.spec.events)
        days = [date(y, 1, 1) + timedelta(days=rng.randrange(365)) for y in picked]
        return sorted(days)

    def _event(self, index: int, day: date) -> _Event:
        rng, vocab = self._rng, self.vocab
        actor = _weighted(rng, ACTOR_WEIGHTS)
        etype = _weighted(rng, PRK_TYPES if actor == "PRK" else OTHER_TYPES)
        target: str | None = None
        weapon: str | None = None
        classes: tuple[str, ...] = ()
        count: int | None = None
        location: str | None = None
        if etype == "weapon_test":
            if actor == "PRK" and rng.random() < 0.85:
                weapon, classes = rng.choice(vocab.weapons)
            elif rng.random() < 0.5:
                classes = (rng.choice(("SRBM", "cruise", "MRBM", "artillery")),)
            count = rng.choice((1, 1, 1, 2, 2, 3, 4, None))
            location = rng.choice(vocab.places) if rng.random() < 0.4 else None
        elif actor == "PRK":
            target = rng.choice(("USA", "KOR", "KOR", "JPN", "UN", "UNSC", "CHN", None))
        else:
            target = "PRK" if rng.random() < 0.7 else rng.choice(list(ACTOR_WEIGHTS))
            target = None if target == actor else target
        roll = rng.random()
        start: date | None = day
        end: date | None = day
        granularity: Granularity = "day"
        if roll < 0.03:
            start = end = None
            granularity = "unknown"
        elif roll < 0.12:
            start, end, granularity = day.replace(day=1), _month_end(day), "month"
        elif roll < 0.17:
            end, granularity = day + timedelta(days=rng.randrange(2, 10)), "interval"
        event_id = "rec_" + hashlib.sha256(f"{self.key}:{index}".encode()).hexdigest()[:16]
        event = _Event(
            index=index, id=event_id, type=etype, actor=actor, target=target, weapon=weapon,
            classes=classes, location=location, date_start=start, date_end=end,
            granularity=granularity, count=count,
        )
        for rank in range(_weighted(rng, REPORTS_PER_EVENT)):
            self._report(event, rank, day)
        return event

    def _report(self, event: _Event, rank: int, day: date) -> None:
        rng = self._rng
        doc = self._open.get(rank)
        if doc is None or len(doc.mentions) >= doc.capacity:
            doc = self._new_doc(day + timedelta(days=rank))
            self._open[rank] = doc
        # Now and then a later report gives another day or weapon: a disagreement.
        differs = rank > 0 and rng.random() < 0.08
        start = event.date_start
        if differs and start is not None and event.granularity == "day":
            start = start + timedelta(days=1)
        weapon = event.weapon
        if differs and weapon is not None and rng.random() < 0.5:
            weapon = rng.choice(self.vocab.weapons)[0]
        mention = _Mention(event=event, doc=doc, ordinal=len(doc.mentions),
                           sentence=len(doc.sentences),
                           text=self._sentence(event, start, weapon), date_start=start,
                           weapon=weapon, count=event.count)
        doc.sentences.append(mention.text)
        doc.mentions.append(mention)
        event.mentions.append(mention)

    def _new_doc(self, day: date) -> _Doc:
        rng = self._rng
        self._serial += 1
        outlet, state_of = rng.choice(self.vocab.outlets)
        dateline, tz = rng.choice(self.vocab.datelines)
        published = datetime(day.year, day.month, day.day, rng.randrange(24), rng.randrange(60),
                             tzinfo=UTC)
        return _Doc(serial=self._serial, outlet=outlet, state_media_of=state_of,
                    dateline=dateline, tz=tz, published=published,
                    capacity=rng.choice((1, 2, 3, 3, 4, 5)))

    def _sentence(self, event: _Event, day: date | None, weapon: str | None) -> str:
        names = self.vocab.actor_names
        who = names.get(event.actor, event.actor)
        when = f" on {day:%d %B %Y}" if day is not None else " recently"
        if event.type == "weapon_test":
            what = weapon or (f"{event.classes[0]} missile" if event.classes else "missile")
            where = f" from near {event.location}" if event.location else ""
            return f"{who} launched a {what}{where}{when}, officials said."
        whom = f" {names.get(event.target, event.target)}" if event.target else " the region"
        return f"{who} {VERBS[event.type]}{whom}{when}, according to officials."

    def _rows(self, events: Sequence[_Event], docs: Sequence[_Doc]) -> Batch:
        documents: list[dict[str, Any]] = []
        extracted: dict[Any, list[dict[str, Any]]] = {}
        runs: list[dict[str, Any]] = []
        stamp = _utc_text(datetime(2026, 1, 1, tzinfo=UTC))
        for doc in docs:
            body = f"{doc.dateline} - " + " ".join(doc.sentences)
            body += f" This report is number {doc.serial} of the benchmark archive."
            doc.id = Document.make_id(body)
            record = Document(
                id=doc.id, text=body, source=f"bench-api:{self.key}/{doc.serial}",
                title=doc.sentences[0][:80], url=f"https://bench.invalid/{doc.serial}",
                outlet=doc.outlet, published=doc.published, dateline=doc.dateline, tz=doc.tz,
            )
            documents.append({**convert.document_row(record), "ingested_at": stamp})
            for table, rows in convert.extraction_rows(self._extraction(doc)):
                extracted.setdefault(table, []).extend(rows)
            runs.append({"doc_id": doc.id, "version": BENCH_VERSION,
                         "pack_sha256": self.vocab.pack_sha256, "digest": doc.id,
                         "finished_at": stamp})
        records = [self._canonical(e) for e in events]
        event_rows = [{**convert.canonical_row(e), "updated_at": stamp} for e in records]
        reports = [{"doc_id": d, "ordinal": o, "event_id": e.id}
                   for e in records for d, o in e.reports]
        return Batch(
            tables=[(schema.documents, documents), *extracted.items(),
                    (schema.extraction_runs, runs), (schema.events, event_rows),
                    (schema.event_reports, reports)],
            events=len(records), documents=len(documents), reports=len(reports),
        )

    def _extraction(self, doc: _Doc) -> Extraction:
        sentences: list[Sentence] = []
        at = len(doc.dateline) + 3
        for i, sentence in enumerate(doc.sentences):
            sentences.append(Sentence(i, at, at + len(sentence), sentence))
            at += len(sentence) + 1
        mentions = []
        for ordinal, m in enumerate(doc.mentions):
            e, s = m.event, sentences[m.sentence]
            prov = Provenance(doc.id, s.index, s.start, s.end, BENCH_EXTRACTOR, BENCH_VERSION,
                              self.vocab.pack_sha256, 0.8)
            mentions.append(EventMention(
                id="ev_" + hashlib.sha256(f"{doc.id}:{ordinal}".encode()).hexdigest()[:16],
                type=e.type, actor=e.actor, target=e.target, modality="asserted",
                trigger=VERBS[e.type].split()[0], prov=prov, weapon=m.weapon,
                weapon_class=e.classes, location=e.location, date_start=m.date_start,
                date_end=e.date_end if m.date_start == e.date_start else m.date_start,
                granularity=e.granularity,
                count=m.count, sentences=(s.index,), evidence=s.text,
            ))
        return Extraction(doc.id, sentences, events=mentions)

    def _canonical(self, e: _Event) -> CanonicalEvent:
        rng = self._rng
        outlets = {m.doc.outlet for m in e.mentions}
        several = len(outlets) >= 2
        status = _weighted(rng, STATUS_WEIGHTS_SEVERAL if several else STATUS_WEIGHTS_SINGLE)
        reference: tuple[str, ...] = ()
        if e.actor == "PRK" and e.type == "weapon_test" and rng.random() < 0.4:
            reference = (f"cns-2026:{e.index % 900 + 2}",)
            status = "confirmed" if status in ("reported", "claimed", "revised") else status
        confidence = 1.0 - 0.52 ** len(outlets)
        if reference:
            confidence = max(confidence, 0.95)
        published = sorted(m.doc.published for m in e.mentions)
        return CanonicalEvent(
            id=e.id, type=e.type, actor=e.actor, target=e.target, modality="asserted",
            weapon=e.weapon, weapon_class=e.classes, location=e.location,
            date_start=e.date_start, date_end=e.date_end, granularity=e.granularity,
            count=e.count, status=status, confidence=round(confidence, 3),
            documents=len(e.mentions), sources=len(outlets),
            first_reported=_utc_text(published[0]), last_reported=_utc_text(published[-1]),
            disagreements=self._disagreements(e), reference=reference,
            reports=tuple((m.doc.id, m.ordinal) for m in e.mentions),
        )

    @staticmethod
    def _disagreements(e: _Event) -> dict[str, Disagreement]:
        """Where the reports differ on the date or the weapon, every value with its articles
        and outlets, the event's own value first (the consolidator's shape, not its rules)."""
        found: dict[str, Disagreement] = {}
        given = {
            "date": (e.date_start.isoformat() if e.date_start else None,
                     [(m, m.date_start.isoformat() if m.date_start else None)
                      for m in e.mentions]),
            "weapon": (e.weapon, [(m, m.weapon) for m in e.mentions]),
        }
        for name, (chosen, values_of) in given.items():
            by_value: dict[str, list[_Mention]] = {}
            for m, value in values_of:
                if value is not None:
                    by_value.setdefault(value, []).append(m)
            if len(by_value) > 1 and chosen is not None:
                values = tuple(
                    (v, tuple(m.doc.id for m in ms), len({m.doc.outlet for m in ms}))
                    for v, ms in sorted(by_value.items(), key=lambda kv: (kv[0] != chosen,
                                                                          kv[0])))
                found[name] = Disagreement(values, chosen, "most independent sources")
        return found


def _month_end(day: date) -> date:
    following = (day.replace(day=28) + timedelta(days=4)).replace(day=1)
    return following - timedelta(days=1)


# -- building the database -------------------------------------------------------------------


@dataclass(slots=True)
class DataInfo:
    url: str
    key: str
    events: int
    documents: int
    reports: int
    build_s: float
    reused: bool

    def to_dict(self) -> dict[str, Any]:
        return {"url": _shown(self.url), "key": self.key, "events": self.events,
                "documents": self.documents, "reports": self.reports,
                "build_s": round(self.build_s, 1), "reused": self.reused}


def write_data(url: str, spec: DataSpec, vocab: Vocabulary) -> DataInfo:
    """Migrate the database at ``url`` with ``Store.open`` and bulk-insert the generated rows,
    one transaction per chunk. The database must hold no watchfloor rows yet."""
    started = time.perf_counter()
    Store.open(url).close()
    engine = create_store_engine(url)
    events = documents = reports = 0
    try:
        for batch in Generator(spec, vocab).batches():
            with write_transaction(engine) as conn:
                for table, rows in batch.tables:
                    if rows:
                        conn.execute(insert(table), rows)
            events, documents = events + batch.events, documents + batch.documents
            reports += batch.reports
            if console.is_terminal:
                console.print(f"  {events:,} of {spec.events:,} events written", end="\r")
        with Store.open(url) as store:
            store.touch()  # the rows went in behind the store's back: say the data changed
        if make_url(url).get_backend_name() == "postgresql":
            # What autovacuum would do a minute later; done now, the run does not depend on
            # when it happens. The store never ANALYZEs a SQLite file, so neither do we.
            with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
                conn.execute(text("VACUUM ANALYZE"))
    finally:
        engine.dispose()
    console.print()
    return DataInfo(url, spec.key(), events, documents, reports,
                    time.perf_counter() - started, reused=False)


def _stored(url: str, spec: DataSpec) -> DataInfo | None:
    """The database at ``url`` if it holds exactly this spec's data, else None."""
    engine = create_store_engine(url)
    try:
        with engine.connect() as conn:
            counts = _counts(conn)
            if counts is None or counts[0] != spec.events:
                return None
            d = schema.documents
            marked = conn.execute(select(d.c.id).where(
                d.c.source == f"bench-api:{spec.key()}/1")).first()
    finally:
        engine.dispose()
    return None if marked is None else DataInfo(url, spec.key(), *counts, 0.0, reused=True)


def _counts(conn: Connection) -> tuple[int, int, int] | None:
    tables = set(conn.dialect.get_table_names(conn))
    if not {"events", "documents", "event_reports"} <= tables:
        return None
    events, documents, reports = (
        int(conn.execute(select(func.count()).select_from(t)).scalar_one())
        for t in (schema.events, schema.documents, schema.event_reports))
    return events, documents, reports


def sqlite_data(spec: DataSpec, vocab: Vocabulary, folder: Path) -> DataInfo:
    """The SQLite file for ``spec`` in ``folder``, built once (into a temporary name, renamed
    when complete, so a killed build is never reused)."""
    path = folder / f"events-{spec.key()}.sqlite"
    url = f"sqlite:///{path}"
    if path.exists() and (found := _stored(url, spec)) is not None:
        return found
    folder.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(path.name + ".part")
    for stale in (partial, *(partial.with_name(partial.name + s) for s in ("-wal", "-shm"))):
        stale.unlink(missing_ok=True)
    console.print(f"building {spec.events:,} events into {path}")
    info = write_data(f"sqlite:///{partial}", spec, vocab)
    os.replace(partial, path)
    # The same size and seed built for an older schema will not be read again.
    for stale in folder.glob(f"events-{spec.events}-s{spec.seed}-*.sqlite"):
        if stale != path:
            stale.unlink()
    info.url = url
    return info


def postgres_data(url: str, spec: DataSpec, vocab: Vocabulary) -> DataInfo:
    """The PostgreSQL database at ``url`` holding ``spec``'s data: reused when it does, else
    wiped (every watchfloor table dropped, as the test suite does) and built."""
    if (found := _stored(url, spec)) is not None:
        return found
    console.print(f"building {spec.events:,} events into {_shown(url)} (wiping it first)")
    drop_all_tables(url)
    return write_data(url, spec, vocab)


# -- the requests ----------------------------------------------------------------------------

Params = dict[str, str]


@dataclass(frozen=True, slots=True)
class Scenario:
    """One kind of request a client makes, and how often (weight) among the others."""

    name: str
    path: str
    weight: int
    params: Callable[[random.Random], Params]


def _year_range(rng: random.Random, years: int) -> Params:
    first = rng.randrange(1995, LAST_YEAR - years + 2)
    return {"from": f"{first}-01-01", "to": f"{first + years - 1}-12-31"}


def event_scenarios(vocab: Vocabulary, events: int) -> list[Scenario]:
    """What a user of an events list does: the first page, filters by actor, type and dates,
    weapon, class and status, and pages deep into the whole list."""
    actors = [a for a, w in ACTOR_WEIGHTS.items() if w >= 3]
    weapons = [name for name, _ in vocab.weapons]
    deepest = max(events - 100, 1)
    return [
        Scenario("events: first page", "/events", 15, lambda rng: {}),
        Scenario("events: text search", "/events", 5, lambda rng: {
            "q": rng.choice(("launched", "sanctions", "talks", "missile", "drills"))}),
        Scenario("events: actor", "/events", 15, lambda rng: {"actor": rng.choice(actors)}),
        Scenario("events: type + date range", "/events", 15, lambda rng: {
            "type": rng.choice(("weapon_test", "statement", "meeting", "sanction", "threaten")),
            **_year_range(rng, rng.choice((1, 2, 5)))}),
        Scenario("events: weapon", "/events", 10,
                 lambda rng: {"weapon": rng.choice(weapons)}),
        Scenario("events: class", "/events", 5,
                 lambda rng: {"class": rng.choice(("ICBM", "SRBM", "SLBM", "IRBM"))}),
        Scenario("events: actor + status", "/events", 5, lambda rng: {
            "actor": rng.choice(actors), "status": rng.choice(("confirmed", "reported"))}),
        Scenario("events: deep page", "/events", 10, lambda rng: {
            "offset": str(rng.randrange(0, deepest) // 100 * 100)}),
    ]


def timeline_scenarios(spec: Mapping[str, Any]) -> list[Scenario]:
    """Timeline requests, with only the parameters the served schema lists (the endpoint may
    be newer or older than this file), each value checked against the schema's enum."""
    operation = spec.get("paths", {}).get("/timeline", {}).get("get")
    if operation is None:
        return []
    known: dict[str, list[Any] | None] = {}
    for p in operation.get("parameters", []):
        if p.get("in") == "query":
            schema_ = p.get("schema", {})
            options = [s for s in schema_.get("anyOf", [schema_]) if "enum" in s]
            known[p["name"]] = options[0]["enum"] if options else None

    def fit(params: Params) -> Params:
        return {k: v for k, v in params.items() if k in known and v in (known[k] or [v])}

    return [
        Scenario("timeline: type per year", "/timeline", 8,
                 lambda rng: fit({"by": "type", "interval": "year"})),
        Scenario("timeline: class per month, 5 years", "/timeline", 6,
                 lambda rng: fit({"by": "class", "interval": "month", **_year_range(rng, 5)})),
        Scenario("timeline: actor per week, 2 years", "/timeline", 6, lambda rng: fit({
            "by": "type", "interval": "week", "actor": rng.choice(("PRK", "USA", "KOR")),
            **_year_range(rng, 2)})),
        Scenario("timeline: launches per day, 1 year", "/timeline", 5, lambda rng: fit({
            "by": "class", "interval": "day", "type": "weapon_test", **_year_range(rng, 1)})),
    ]


# -- the server ------------------------------------------------------------------------------


@dataclass(slots=True)
class Server:
    base_url: str
    pid: int
    workers: int
    log: Path


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def serving(url: str, workers: int, log: Path, cache: bool = True) -> Iterator[Server]:
    """``watchfloor --db URL serve`` itself (uvicorn, the app's own access log, the settings
    of the environment) on a free loopback port, its output in ``log``; stopped with
    SIGTERM on exit."""
    port = _free_port()
    cmd = [sys.executable, "-m", "watchfloor.cli", "--db", url, "serve", "--host", "127.0.0.1",
           "--port", str(port), "--workers", str(workers)]
    log.parent.mkdir(parents=True, exist_ok=True)
    with log.open("wb") as sink:
        # Each client here sends 20 to 40 requests a second, far past the budget of a person
        # (api_rate_limit, 1,200 a minute per address); the limit stays on, out of reach, so
        # that its cost is measured.
        env = {**os.environ, "WATCHFLOOR_API_RATE_LIMIT": str(BENCH_RATE_LIMIT),
               **({} if cache else {"WATCHFLOOR_API_CACHE_MB": "0"})}
        proc = subprocess.Popen(cmd, cwd=ROOT, stdout=sink, stderr=subprocess.STDOUT, env=env)
        try:
            server = Server(f"http://127.0.0.1:{port}", proc.pid, workers, log)
            _wait_ready(server, proc)
            _wait_quiet(server.pid)
            yield server
        finally:
            proc.terminate()
            try:
                proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()


def _wait_ready(server: Server, proc: subprocess.Popen[bytes], timeout: float = 90.0) -> None:
    deadline = time.monotonic() + timeout
    with httpx.Client(base_url=server.base_url, trust_env=False, timeout=5.0) as client:
        while time.monotonic() < deadline:
            if proc.poll() is not None:
                raise RuntimeError(f"the server exited with {proc.returncode}; see {server.log}")
            try:
                if client.get("/health").status_code == 200:
                    return
            except httpx.HTTPError:
                pass
            time.sleep(0.2)
    raise RuntimeError(f"the server did not answer /health in {timeout:.0f} s; see {server.log}")


def _wait_quiet(pid: int, timeout: float = 60.0) -> None:
    """Wait until the server's processes are idle: the first worker answers /health while
    the others may still be importing and loading the pack, which would be measured."""
    deadline = time.monotonic() + timeout
    last = process_tree_cpu(pid)
    while last is not None and time.monotonic() < deadline:
        time.sleep(0.5)
        now = process_tree_cpu(pid)
        if now is None or now - last < 0.05:
            return
        last = now


def process_tree_cpu(pid: int) -> float | None:
    """CPU seconds (user + system) of ``pid`` and every descendant still running, from /proc;
    None where there is no /proc."""
    try:
        tick = os.sysconf("SC_CLK_TCK")
        parents: dict[int, int] = {}
        used: dict[int, float] = {}
        for entry in Path("/proc").iterdir():
            if not entry.name.isdigit():
                continue
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            fields = stat[stat.rindex(")") + 2:].split()
            parents[int(entry.name)] = int(fields[1])
            used[int(entry.name)] = (int(fields[11]) + int(fields[12])) / tick
    except (OSError, ValueError):
        return None
    tree, frontier = {pid}, [pid]
    while frontier:
        parent = frontier.pop()
        children = [p for p, pp in parents.items() if pp == parent and p not in tree]
        tree.update(children)
        frontier.extend(children)
    return sum(used.get(p, 0.0) for p in tree)


# -- the load --------------------------------------------------------------------------------


@dataclass(slots=True)
class Tally:
    """What one scenario's requests gave."""

    latencies: list[float] = field(default_factory=list)  # seconds, every request
    errors: int = 0
    bytes: int = 0
    hits: int = 0  # answered from the server's response cache (X-Cache: hit)
    samples: list[str] = field(default_factory=list)  # the first few errors, for the report


MAX_ERROR_SAMPLES = 5


def _record(tally: Tally, seconds: float, status: int | None, size: int, what: str,
            cache: str | None = None) -> None:
    tally.latencies.append(seconds)
    tally.bytes += size
    tally.hits += cache == "hit"
    if status != 200:
        tally.errors += 1
        if len(tally.samples) < MAX_ERROR_SAMPLES:
            tally.samples.append(what)


class HttpClient:
    """One keep-alive HTTP/1.1 connection, GET only, written for the load: httpx took about
    2 ms of CPU per request, so that at 380 requests a second this process used 0.8 of the
    machine's 2 cores and its own event loop, not the server, set the pace (and the
    latencies). This costs a few tens of microseconds a request. Reconnects after an error;
    reads Content-Length and chunked bodies."""

    def __init__(self, base_url: str, *, local_address: str | None = None,
                 timeout: float = 60.0) -> None:
        parsed = urlsplit(base_url)
        self.host, self.port = parsed.hostname or "127.0.0.1", parsed.port or 80
        self.local_address = local_address
        self.timeout = timeout
        self._streams: tuple[asyncio.StreamReader, asyncio.StreamWriter] | None = None

    async def get(self, path: str, params: Params | None = None
                  ) -> tuple[int, dict[str, str], bytes]:
        target = path + ("?" + urlencode(params) if params else "")
        request = (f"GET {target} HTTP/1.1\r\nHost: {self.host}:{self.port}\r\n"
                   "Accept: */*\r\nUser-Agent: watchfloor-bench\r\n\r\n").encode()
        try:
            return await asyncio.wait_for(self._exchange(request), self.timeout)
        except BaseException:
            await self.close()  # a half-read answer would be read as the next one
            raise

    async def _exchange(self, request: bytes) -> tuple[int, dict[str, str], bytes]:
        if self._streams is None:
            local = (self.local_address, 0) if self.local_address else None
            self._streams = await asyncio.open_connection(self.host, self.port,
                                                          local_addr=local)
        reader, writer = self._streams
        writer.write(request)
        head = await reader.readuntil(b"\r\n\r\n")
        status_line, *lines = head.decode("latin-1").split("\r\n")
        status = int(status_line.split(" ", 2)[1])
        headers = {}
        for line in lines:
            if line:
                name, _, value = line.partition(":")
                headers[name.strip().lower()] = value.strip()
        if "content-length" in headers:
            body = await reader.readexactly(int(headers["content-length"]))
        elif headers.get("transfer-encoding", "").lower() == "chunked":
            parts = []
            while size := int((await reader.readuntil(b"\r\n")).split(b";")[0], 16):
                parts.append((await reader.readexactly(size + 2))[:-2])
            await reader.readuntil(b"\r\n")  # the empty trailer
            body = b"".join(parts)
        else:
            body = await reader.read()  # to the end of the connection
            headers["connection"] = "close"
        if headers.get("connection", "").lower() == "close":
            await self.close()
        return status, headers, body

    async def close(self) -> None:
        if self._streams is not None:
            _, writer = self._streams
            self._streams = None
            writer.close()
            with suppress(OSError):
                await writer.wait_closed()


async def _one(client: HttpClient, scenario: Scenario, params: Params
               ) -> tuple[int | None, int, str, str | None]:
    """One request: its status, body size, a description for the error samples, and the
    server's X-Cache header (hit, miss, or None where it sent none)."""
    try:
        status, headers, body = await client.get(scenario.path, params)
    except (OSError, EOFError, ValueError, asyncio.IncompleteReadError,
            asyncio.LimitOverrunError, TimeoutError) as exc:
        return None, 0, f"{scenario.path} {params}: {type(exc).__name__}: {exc}", None
    return (status, len(body), f"{scenario.path} {params}: HTTP {status} {body[:200]!r}",
            headers.get("x-cache"))


Probe = Callable[[], dict[str, float | None]]  # CPU seconds so far, by whom


def client_cpu() -> float:
    used = resource.getrusage(resource.RUSAGE_SELF)
    return used.ru_utime + used.ru_stime


def machine_cpu() -> float | None:
    """CPU seconds every core of the machine has been busy since boot, from /proc/stat: the
    machine is shared, and what other programs took is part of the reading."""
    try:
        fields = [int(x) for x in Path("/proc/stat").read_text().split("\n")[0].split()[1:]]
    except (OSError, ValueError):
        return None
    idle = fields[3] + (fields[4] if len(fields) > 4 else 0)  # idle + iowait
    return (sum(fields[:8]) - idle) / os.sysconf("SC_CLK_TCK")


def cpu_probe(server_pid: int) -> dict[str, float | None]:
    return {"server": process_tree_cpu(server_pid), "client": client_cpu(),
            "machine": machine_cpu()}


def client_address(i: int) -> str:
    """Client ``i``'s own loopback address (127.0.0.2, 127.0.0.3, ...): the API rate-limits
    per address, and 50 users are 50 addresses, not one."""
    n = i + 2
    return f"127.{n // 65536 % 256}.{n // 256 % 256}.{n % 256}"


async def run_load(base_url: str, scenarios: Sequence[Scenario], *, clients: int,
                   seconds: float, warmup: float, seed: int, probe: Probe, think: float = 0.0,
                   change: Callable[[], None] | None = None, change_every: float = 0.0,
                   ) -> tuple[dict[str, Tally], list[dict[str, float | None]]]:
    """``clients`` clients, each on its own connection and address, each sending its next
    request as soon as the last one is answered (``think`` > 0: after a pause drawn from an
    exponential distribution of that mean, as a person reading the page), for ``warmup`` then
    ``seconds``; only requests sent after the warm-up count. With ``change_every`` > 0,
    ``change`` is called (in a thread) that often from the start of the measured window, as
    consolidation would commit. Returns the tallies by scenario and ``probe``'s readings at
    the start and the end of the measured window."""
    tallies = {s.name: Tally() for s in scenarios}
    readings: list[dict[str, float | None]] = []
    weights = [s.weight for s in scenarios]
    begin = time.perf_counter()
    counted_from, stop_at = begin + warmup, begin + warmup + seconds

    async def client_loop(i: int) -> None:
        rng = random.Random(seed + i)
        client = HttpClient(base_url, local_address=client_address(i))
        try:
            while (start := time.perf_counter()) < stop_at:
                scenario = rng.choices(scenarios, weights)[0]
                status, size, what, cache = await _one(client, scenario, scenario.params(rng))
                if start >= counted_from:
                    _record(tallies[scenario.name], time.perf_counter() - start, status, size,
                            what, cache)
                if think > 0:
                    await asyncio.sleep(min(rng.expovariate(1 / think),
                                            max(stop_at - time.perf_counter(), 0.0)))
        finally:
            await client.close()

    async def read_window() -> None:
        await asyncio.sleep(max(counted_from - time.perf_counter(), 0.0))
        readings.append(probe())
        await asyncio.sleep(max(stop_at - time.perf_counter(), 0.0))
        readings.append(probe())

    async def changing() -> None:
        if change is None or change_every <= 0:
            return
        await asyncio.sleep(max(counted_from - time.perf_counter(), 0.0))
        while time.perf_counter() + change_every < stop_at:
            await asyncio.sleep(change_every)
            await asyncio.to_thread(change)

    await asyncio.gather(read_window(), changing(), *(client_loop(i) for i in range(clients)))
    return tallies, readings


async def run_solo(base_url: str, scenarios: Sequence[Scenario], rounds: int, seed: int
                   ) -> dict[str, Tally]:
    """Each scenario ``rounds`` times, one request at a time: the service time without
    queueing, to read the loaded figures against."""
    rng = random.Random(seed)
    tallies = {s.name: Tally() for s in scenarios}
    client = HttpClient(base_url)
    try:
        for scenario in scenarios:
            for _ in range(rounds):
                start = time.perf_counter()
                status, size, what, cache = await _one(client, scenario, scenario.params(rng))
                _record(tallies[scenario.name], time.perf_counter() - start, status, size,
                        what, cache)
    finally:
        await client.close()
    return tallies


def percentile(sorted_values: Sequence[float], q: float) -> float:
    """Nearest-rank percentile of values sorted ascending (q in [0, 1])."""
    if not sorted_values:
        return math.nan
    return sorted_values[max(0, math.ceil(q * len(sorted_values)) - 1)]


def summarize(tallies: Sequence[Tally], seconds: float) -> dict[str, Any]:
    values = sorted(x for t in tallies for x in t.latencies)
    n = len(values)
    ms = {f"{name}_ms": round(1000 * percentile(values, q), 1) if n else None
          for name, q in (("p50", 0.50), ("p95", 0.95), ("p99", 0.99), ("max", 1.0))}
    errors = sum(t.errors for t in tallies)
    return {
        "requests": n, "errors": errors, "req_per_s": round(n / seconds, 1) if seconds else None,
        **ms, "mean_ms": round(1000 * statistics.fmean(values), 1) if n else None,
        "kb_per_response": round(sum(t.bytes for t in tallies) / n / 1024, 1) if n else None,
        "cache_hits": round(sum(t.hits for t in tallies) / n, 3) if n else None,
        "p95_under_target": bool(n and errors == 0 and ms["p95_ms"] is not None
                                 and ms["p95_ms"] < TARGET_P95_MS),
        "error_samples": [s for t in tallies for s in t.samples][:MAX_ERROR_SAMPLES],
    }


# -- one backend -----------------------------------------------------------------------------


@dataclass(slots=True)
class Run:
    backend: str
    url: str
    workers: int
    clients: int
    seconds: float
    warmup: float
    seed: int
    solo_rounds: int
    think: float = 0.0
    cache: bool = True
    change_every: float = 0.0


def run_backend(run: Run, vocab: Vocabulary, data: DataInfo) -> dict[str, Any]:
    from bench.run import machine  # not at the top: tests load this file without bench/

    before = machine()
    log = OUT_DIR / f"api-server-{run.backend}.log"
    console.print(f"serving {_shown(data.url)} with {run.workers} worker(s)")
    with serving(data.url, run.workers, log, run.cache) as server:
        with httpx.Client(base_url=server.base_url, trust_env=False, timeout=30.0) as probe:
            openapi = probe.get("/openapi.json").json()
        timeline = timeline_scenarios(openapi)
        scenarios = [*event_scenarios(vocab, data.events), *timeline]
        console.print("timeline endpoint: "
                      + ("found, included" if timeline else "not served yet, left out"))
        solo = asyncio.run(run_solo(server.base_url, scenarios, run.solo_rounds, run.seed))
        console.print(f"{run.clients} clients for {run.warmup:g} s warm-up + {run.seconds:g} s")
        load_before = os.getloadavg()[0]
        changes = 0

        def change() -> None:
            nonlocal changes
            with Store.open(data.url) as store:
                store.touch()
            changes += 1

        tallies, readings = asyncio.run(run_load(
            server.base_url, scenarios, clients=run.clients, seconds=run.seconds,
            warmup=run.warmup, seed=run.seed, think=run.think,
            probe=lambda: cpu_probe(server.pid), change=change,
            change_every=run.change_every))
        load_after = os.getloadavg()[0]
    seconds = run.seconds
    endpoints = sorted({s.path for s in scenarios})
    by_endpoint = {p: summarize([tallies[s.name] for s in scenarios if s.path == p], seconds)
                   for p in endpoints}
    start, end = readings
    used: dict[str, float | None] = {}
    for key, first in start.items():
        last = end[key]
        used[key] = None if first is None or last is None else last - first
    if used["machine"] is not None:
        used["others"] = used["machine"] - (used["server"] or 0.0) - (used["client"] or 0.0)
    return {
        "backend": run.backend,
        "machine": before,
        "data": data.to_dict(),
        "settings": {"workers": run.workers, "clients": run.clients, "seconds": run.seconds,
                     "warmup": run.warmup, "seed": run.seed, "solo_rounds": run.solo_rounds,
                     "think_time_s": run.think, "response_cache": run.cache,
                     "data_changes_every_s": run.change_every, "data_changes": changes,
                     "server_rate_limit_per_min": BENCH_RATE_LIMIT},
        "timeline_served": bool(timeline),
        "target_p95_ms": TARGET_P95_MS,
        "endpoints": by_endpoint,
        "all": summarize(list(tallies.values()), seconds),
        "scenarios": {s.name: {"path": s.path, "weight": s.weight,
                               **summarize([tallies[s.name]], seconds)} for s in scenarios},
        "solo": {s.name: summarize([solo[s.name]], 0.0) for s in scenarios},
        "cpu": {
            "window_s": seconds,
            **{f"{k}_cores": None if v is None else round(v / seconds, 2)
               for k, v in used.items()},
            "loadavg_1min_before_after": [load_before, load_after],
            "note": "CPU cores busy on average over the measured window: the uvicorn "
                    "processes (server), this process (client), the whole machine, and the "
                    "rest (others: PostgreSQL's processes, and other programs on the machine)",
        },
        "server_log": str(log),
    }


# -- the report ------------------------------------------------------------------------------


def _ms(value: float | None) -> str:
    return "-" if value is None else f"{value:,.1f}"


def render(results: Mapping[str, Any]) -> None:
    s, d, cpu = results["settings"], results["data"], results["cpu"]
    title = (f"{results['backend']}: {d['events']:,} events, {s['clients']} clients, "
             f"{s['seconds']:g} s, {s['workers']} worker(s), "
             + (f"{s['think_time_s']:g} s mean pause between requests" if s["think_time_s"]
                else "no pause between requests")
             + ("" if s.get("response_cache", True) else ", response cache off")
             + (f", data changed every {s['data_changes_every_s']:g} s "
                f"({s['data_changes']} times)" if s.get("data_changes_every_s") else ""))
    table = Table(title=title, title_justify="left")
    for name in ("endpoint / request", "requests", "errors", "req/s", "p50 ms", "p95 ms",
                 "p99 ms", "max ms", "cache hits", "solo p50 ms",
                 f"p95 < {TARGET_P95_MS:g} ms"):
        table.add_column(name, justify="left" if name.startswith("endpoint") else "right")

    def row(label: str, m: Mapping[str, Any], solo: str, bold: bool = False) -> None:
        verdict = "PASS" if m["p95_under_target"] else "MISSED"
        cells = [label, f"{m['requests']:,}", f"{m['errors']:,}", _ms(m["req_per_s"]),
                 _ms(m["p50_ms"]), _ms(m["p95_ms"]), _ms(m["p99_ms"]), _ms(m["max_ms"]),
                 "-" if m.get("cache_hits") is None else f"{100 * m['cache_hits']:.0f}%",
                 solo, verdict]
        table.add_row(*[f"[bold]{c}[/bold]" if bold else c for c in cells])

    for path, m in results["endpoints"].items():
        row(path, m, "", bold=True)
        for name, sm in results["scenarios"].items():
            if sm["path"] == path:
                row(f"  {name}", sm, _ms(results["solo"][name]["p50_ms"]))
    row("all", results["all"], "", bold=True)
    out.print(table)
    out.print(f"CPU cores busy over the window: server {cpu['server_cores']}, client "
              f"{cpu['client_cores']}, others {cpu.get('others_cores')} (of {os.cpu_count()}); "
              f"data {'reused' if d['reused'] else 'built'}"
              f" ({d['documents']:,} documents, {d['reports']:,} reports)"
              + ("" if d["reused"] else f" in {d['build_s']:g} s"))
    if not results["timeline_served"]:
        out.print("/timeline is not in the served OpenAPI schema yet: left out of the mix")
    for m in results["endpoints"].values():
        for sample in m["error_samples"]:
            out.print(f"[red]error[/red] {sample}", markup=True, highlight=False)


# -- main ------------------------------------------------------------------------------------


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m bench.api", description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--events", type=int, default=DEFAULT_EVENTS,
                        help=f"consolidated events in the database (default {DEFAULT_EVENTS:,})")
    parser.add_argument("--clients", type=int, default=DEFAULT_CLIENTS,
                        help=f"concurrent clients, each with its own address (default "
                        f"{DEFAULT_CLIENTS})")
    parser.add_argument("--seconds", type=float, default=DEFAULT_SECONDS,
                        help="measured seconds, after the warm-up")
    parser.add_argument("--think", type=float, default=0.0, metavar="SECONDS",
                        help="mean pause of each client between requests (default 0: each "
                        "sends its next request as soon as it has the answer)")
    parser.add_argument("--warmup", type=float, default=5.0,
                        help="seconds of load before measuring (start-up, caches)")
    parser.add_argument("--workers", type=int, default=DEFAULT_WORKERS,
                        help=f"uvicorn server processes (default {DEFAULT_WORKERS})")
    parser.add_argument("--no-cache", dest="cache", action="store_false",
                        help="serve with the response cache off (WATCHFLOOR_API_CACHE_MB=0): "
                        "every request computed, the figures of data that keeps changing")
    parser.add_argument("--changes-every", type=float, default=0.0, metavar="SECONDS",
                        help="raise the database's data version that often during the load, "
                        "as a consolidation that changed events would (Store.touch): every "
                        "cached answer is computed again after each (default 0: never)")
    parser.add_argument("--quick", action="store_true",
                        help=f"{QUICK_EVENTS:,} events for {QUICK_SECONDS:g} s: a smoke run")
    parser.add_argument("--postgres", metavar="URL",
                        default=os.environ.get("WATCHFLOOR_TEST_POSTGRES") or None,
                        help="also run on this PostgreSQL database, which is WIPED and "
                        "rebuilt unless it holds this very data (default: "
                        "$WATCHFLOOR_TEST_POSTGRES)")
    parser.add_argument("--only", choices=("sqlite", "postgresql"),
                        help="run on one backend only")
    parser.add_argument("--solo-rounds", type=int, default=10,
                        help="one-at-a-time requests per request kind before the load")
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    parser.add_argument("--data-dir", type=Path, default=DATA_DIR,
                        help="where SQLite databases are built and kept for the next run")
    parser.add_argument("--out-dir", type=Path, default=OUT_DIR)
    args = parser.parse_args(argv)
    if args.quick:
        args.events = QUICK_EVENTS if args.events == DEFAULT_EVENTS else args.events
        args.seconds = QUICK_SECONDS if args.seconds == DEFAULT_SECONDS else args.seconds
        args.warmup = min(args.warmup, 2.0)
        args.solo_rounds = min(args.solo_rounds, 3)
    if (args.events < 100 or args.clients < 1 or args.workers < 1 or args.seconds <= 0
            or args.think < 0 or args.changes_every < 0):
        parser.error("need --events >= 100, --clients >= 1, --workers >= 1, --seconds > 0, "
                     "--think >= 0, --changes-every >= 0")
    if args.only == "postgresql" and not args.postgres:
        parser.error("--only postgresql needs --postgres URL or WATCHFLOOR_TEST_POSTGRES")
    return args


def _shown(url: str) -> str:
    return make_url(url).render_as_string(hide_password=True)


def main(argv: Sequence[str] | None = None) -> None:
    args = parse_args(argv)
    settings = load_settings()
    vocab = Vocabulary.from_pack(load_pack(settings.pack))
    spec = DataSpec(events=args.events, seed=args.seed)
    backends: list[tuple[str, Callable[[], DataInfo]]] = []
    if args.only != "postgresql":
        backends.append(("sqlite", lambda: sqlite_data(spec, vocab, args.data_dir)))
    if args.postgres and args.only != "sqlite":
        url = args.postgres
        backends.append(("postgresql", lambda: postgres_data(url, spec, vocab)))
    for backend, build in backends:
        try:
            data = build()
            run = Run(backend, data.url, args.workers, args.clients, args.seconds, args.warmup,
                      args.seed, args.solo_rounds, args.think, args.cache,
                      args.changes_every)
            results = run_backend(run, vocab, data)
        except Exception as exc:  # a failed measurement, not a missed target: exit 1
            console.print(f"[red]error[/red] {backend}: {type(exc).__name__}: {exc}")
            raise SystemExit(1) from exc
        render(results)
        args.out_dir.mkdir(parents=True, exist_ok=True)
        path = args.out_dir / f"api-{backend}.json"
        path.write_text(json.dumps(results, indent=2, default=str), encoding="utf-8")
        out.print(f"results written to {path}")


if __name__ == "__main__":
    main()
