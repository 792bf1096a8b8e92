"""The Store: saves documents and their extractions, one transaction per document.

``Store.open(url)`` builds its own engine and brings the database to the newest schema with
Alembic, so a new file is ready to use and an old one is migrated. Each ``save_*`` call commits
once: a run killed part-way loses at most the document in flight, and a failing document is
rolled back without touching anything stored before it.

Saving is idempotent because ids come from content: a document already stored is skipped, and
an extraction identical to the stored one (same version, pack and digest) writes nothing.
Re-extracting a document with another version or pack replaces its extracted rows inside the
same transaction, so a document has either its old extraction or its new one, never a mix.

Rows go in with one executemany per table per document, not ORM objects: the pipeline has to
sustain 50+ articles/s and the store must not be what holds it back.
"""

from __future__ import annotations

import bisect
import hashlib
import hmac
import json
import math
import secrets
import threading
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from types import TracebackType
from typing import Any, Self

from alembic import command
from alembic.config import Config
from alembic.util.exc import CommandError
from sqlalchemy import (
    Connection,
    Engine,
    Table,
    and_,
    case,
    create_engine,
    delete,
    event,
    exists,
    func,
    insert,
    literal,
    or_,
    select,
    tuple_,
    update,
)
from sqlalchemy import text as sql_text
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError, NoSuchModuleError, SQLAlchemyError
from sqlalchemy.pool import PoolProxiedConnection

from watchfloor.errors import E, WatchfloorError
from watchfloor.records import (
    COUNTABLE_SPAN_DAYS,
    CanonicalEvent,
    Claim,
    Document,
    EventMention,
    Extraction,
    Quote,
    Rejection,
    ReportKey,
    Sentence,
    content_id,
)
from watchfloor.reference.readers import ReferenceRead, ReferenceSet, ReferenceTest
from watchfloor.store import convert, schema, search

MIGRATIONS = Path(__file__).parent / "migrations"

# Long enough for a reader (the CLI, a notebook) to wait out a writer's per-document commit.
DEFAULT_BUSY_TIMEOUT_MS = 10_000

# Documents are read in pages so that a long iteration holds no connection or lock between
# pages (the caller may be writing extractions while it iterates).
PAGE_SIZE = 200

# Below SQLite's historic limit of 999 bound parameters per statement.
IN_CHUNK = 500

_VERSION_SQL = "SELECT epoch, n, events_n FROM data_version WHERE id = 1"
# Set in a write transaction's Connection.info by _events_unchanged.
_EVENTS_UNCHANGED = "watchfloor_events_unchanged"

# A custom execution option: write transactions on SQLite start with BEGIN IMMEDIATE.
_WRITE = "watchfloor_write"


class Store:
    """A watchfloor database (SQLite file now, PostgreSQL later, same code)."""

    def __init__(self, engine: Engine, url: str) -> None:
        # Use Store.open(url); this constructor only wraps an engine that is ready.
        self._engine = engine
        self.url = url
        self._version_conn: PoolProxiedConnection | None = None
        self._version_lock = threading.Lock()
        self._longest: tuple[tuple[str, int], int] | None = None  # (version, days)
        self._anchors: dict[tuple[Any, ...], tuple[tuple[str, int], int,
                                                   list[tuple[int, date]]]] = {}

    # -- opening and closing -------------------------------------------------------------

    @classmethod
    def open(cls, url: str, *, busy_timeout_ms: int = DEFAULT_BUSY_TIMEOUT_MS) -> Store:
        """Connect to ``url`` (a SQLAlchemy URL) and migrate the database to the newest schema.

        A SQLite file's parent folder is created if missing.
        """
        engine = create_store_engine(url, busy_timeout_ms=busy_timeout_ms)
        store = cls(engine, _shown(url))
        try:
            store._migrate()
        except BaseException:
            engine.dispose()
            raise
        return store

    def close(self) -> None:
        with self._version_lock:
            self._drop_version_conn()
        self._engine.dispose()

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"Store({self.url!r})"

    def _migrate(self) -> None:
        config = Config()
        # ConfigParser interpolates '%', which a folder name may contain.
        config.set_main_option("script_location", str(MIGRATIONS).replace("%", "%%"))
        try:
            with write_transaction(self._engine) as conn:
                config.attributes["connection"] = conn
                command.upgrade(config, "head")
        except SQLAlchemyError as exc:
            raise WatchfloorError(
                E.W401,
                url=self.url,
                detail=f"cannot open it ({_cause(exc)}); check that the file is a watchfloor "
                "database in a writable folder, or that the server is reachable, or choose "
                "another database with --db or WATCHFLOOR_DB",
            ) from exc
        except CommandError as exc:
            raise WatchfloorError(
                E.W401,
                url=self.url,
                detail=f"cannot migrate the schema ({exc}); if a newer watchfloor wrote this "
                "database, upgrade watchfloor, or point --db at another database",
            ) from exc

    # -- transactions --------------------------------------------------------------------

    @contextmanager
    def _write(self, what: str = "", *, events: bool = True) -> Iterator[Connection]:
        """One transaction: committed on success, rolled back whole on any error. It raises
        the data version; ``events`` False (or ``_events_unchanged(conn)`` inside it) says
        that it cannot change what is read of the consolidated events, whose own version
        then stays."""
        try:
            with write_transaction(self._engine) as conn:
                conn.info.pop(_EVENTS_UNCHANGED, None)
                try:
                    yield conn
                    unchanged = conn.info.get(_EVENTS_UNCHANGED, False)
                    _raise_version(conn, events=events and not unchanged)
                finally:
                    conn.info.pop(_EVENTS_UNCHANGED, None)
        except SQLAlchemyError as exc:
            raise WatchfloorError(
                E.W401,
                url=self.url,
                detail=f"{what or 'writing'} failed and was rolled back, nothing stored before "
                f"was changed ({_cause(exc)}); check that the database is reachable and "
                "writable (for SQLite: disk space, and no other program holding the file "
                "locked), then run again",
            ) from exc

    def data_version(self, scope: str = "all") -> tuple[str, int]:
        """(epoch, n), or (epoch, events_n) for the scope "events" (see data_versions)."""
        epoch, n, events_n = self.data_versions()
        return epoch, events_n if scope == "events" else n

    def data_versions(self) -> tuple[str, int, int]:
        """(epoch, n, events_n): which database this is, how many write transactions it has
        committed, and how many of them may change what is read of the consolidated events
        (their list, pages, timeline, reports and sentences, the comparison with reference
        sets): a new article, a refusal, a feed's state or a token's use do not, since no
        event is linked to an article before consolidation runs. Equal readings mean nothing
        changed in between, in this process or any other.

        Read on a driver connection of its own, kept open in autocommit (each read sees the
        latest commit and holds no snapshot) and never returned to the pool: one primary-key
        read that never waits for a pooled connection, which the API's response cache makes
        on every request it could answer (about 10 us on SQLite, a loopback round trip on
        PostgreSQL; through SQLAlchemy's Connection it took 180 us)."""
        errors = (SQLAlchemyError, self._engine.dialect.loaded_dbapi.Error)
        with self._version_lock:
            for attempt in (1, 2):
                try:
                    if self._version_conn is None:
                        fairy = self._engine.raw_connection()
                        if self.dialect != "sqlite":  # SQLite's is in autocommit already
                            fairy.driver_connection.autocommit = True  # type: ignore[union-attr]
                        self._version_conn = fairy
                    cursor = self._version_conn.cursor()
                    try:
                        cursor.execute(_VERSION_SQL)
                        epoch, n, events_n = cursor.fetchone() or ("", -1, -1)
                    finally:
                        cursor.close()
                    return str(epoch), int(n), int(events_n)
                except errors as exc:
                    # A connection the server dropped is opened again, once.
                    self._drop_version_conn()
                    if attempt == 2:
                        raise WatchfloorError(E.W401, url=self.url,
                                              detail=f"reading the data version failed "
                                              f"({type(exc).__name__}: {exc})") from exc
        raise AssertionError("unreachable")

    def touch(self) -> None:
        """Raise the data version (both counters) without changing anything else: for a
        program that wrote to the database behind the store's back, so that readers such as
        the API's cache see the change; the load benchmark uses it to play consolidations."""
        with self._write("raising the data version"):
            pass

    def _drop_version_conn(self) -> None:
        if self._version_conn is not None:
            # Invalidated, not returned: a pooled connection must not stay in autocommit.
            self._version_conn.invalidate()
            self._version_conn = None

    @contextmanager
    def _read(self) -> Iterator[Connection]:
        try:
            with self._engine.connect() as conn:
                yield conn
        except SQLAlchemyError as exc:
            raise WatchfloorError(
                E.W401, url=self.url, detail=f"reading failed ({_cause(exc)})"
            ) from exc

    # -- documents and rejections --------------------------------------------------------

    def has_document(self, doc_id: str) -> bool:
        d = schema.documents
        with self._read() as conn:
            return conn.execute(select(d.c.id).where(d.c.id == doc_id)).first() is not None

    def save_document(self, doc: Document) -> bool:
        """Store ``doc``; False (and nothing written) if a document with its id is there."""
        # A document alone is linked to no event (document rows are never rewritten).
        with self._write(f"saving document {doc.id}", events=False) as conn:
            return _insert_ignore(conn, schema.documents, convert.document_row(doc))

    def save_rejection(self, rej: Rejection) -> None:
        """Record a refused input; the same refusal recorded again keeps its first time."""
        row = {
            "id": content_id(rej.source, rej.code, rej.reason),
            "source": rej.source,
            "code": rej.code,
            "reason": rej.reason,
            "time": convert.now(),
        }
        with self._write(f"saving the rejection of {rej.source}", events=False) as conn:
            _insert_ignore(conn, schema.rejections, row)

    def document(self, doc_id: str) -> Document | None:
        d = schema.documents
        with self._read() as conn:
            row = conn.execute(select(d).where(d.c.id == doc_id)).first()
        return None if row is None else convert.to_document(row)

    def documents(self, *, ids: Iterable[str] | None = None) -> Iterator[Document]:
        """Stored documents in the order they were ingested, or those of ``ids`` in that
        order (ids not stored are skipped, repeated ones given once)."""
        if ids is not None:
            yield from self._documents_by_id(ids)
            return
        d = schema.documents
        after: tuple[str, str] | None = None
        while True:
            stmt = select(d).order_by(d.c.ingested_at, d.c.id).limit(PAGE_SIZE)
            if after is not None:
                stamp, last = after
                stmt = stmt.where(
                    or_(d.c.ingested_at > stamp, and_(d.c.ingested_at == stamp, d.c.id > last))
                )
            with self._read() as conn:
                rows = conn.execute(stmt).all()
            for row in rows:
                yield convert.to_document(row)
            if len(rows) < PAGE_SIZE:
                return
            after = (rows[-1].ingested_at, rows[-1].id)

    def _documents_by_id(self, ids: Iterable[str]) -> Iterator[Document]:
        d = schema.documents
        seen: set[str] = set()
        for chunk in _chunks(ids, IN_CHUNK):
            wanted = [i for i in dict.fromkeys(chunk) if i not in seen]
            seen.update(wanted)
            with self._read() as conn:
                rows = conn.execute(select(d).where(d.c.id.in_(wanted))).all()
            found = {row.id: row for row in rows}
            for doc_id in wanted:
                if doc_id in found:
                    yield convert.to_document(found[doc_id])

    def rejections(self) -> list[Rejection]:
        r = schema.rejections
        with self._read() as conn:
            rows = conn.execute(select(r).order_by(r.c.time, r.c.id)).all()
        return [Rejection(source=row.source, code=row.code, reason=row.reason) for row in rows]

    # -- extractions ---------------------------------------------------------------------

    def save_extraction(self, extraction: Extraction, *, version: str, pack_sha256: str) -> None:
        """Store what extraction found in one stored document, replacing what an earlier run
        stored for it. Raises W401 if the document itself is not stored."""
        _check_extraction(extraction, self.url)
        with self._write(f"saving the extraction of document {extraction.doc_id}") as conn:
            self._replace_extraction(conn, extraction, version, pack_sha256)

    def save(
        self, doc: Document, extraction: Extraction, *, version: str, pack_sha256: str
    ) -> bool:
        """Store a document and its extraction in one transaction; True if the document is new.

        The pipeline's call: a kill between documents never leaves a document half-saved.
        """
        if extraction.doc_id != doc.id:
            raise WatchfloorError(
                E.W401,
                url=self.url,
                detail=f"extraction of {extraction.doc_id} handed in with document {doc.id}; "
                "pass each document with its own extraction",
            )
        _check_extraction(extraction, self.url)
        with self._write(f"saving document {doc.id}") as conn:
            new = _insert_ignore(conn, schema.documents, convert.document_row(doc))
            self._replace_extraction(conn, extraction, version, pack_sha256)
            if new:  # no event reports a new article before consolidation links it
                _events_unchanged(conn)
        return new

    def _replace_extraction(
        self, conn: Connection, extraction: Extraction, version: str, pack_sha256: str
    ) -> None:
        doc_id = extraction.doc_id
        d, runs = schema.documents, schema.extraction_runs
        # Locks the document's row on PostgreSQL so two workers re-extracting one document take
        # turns; on SQLite BEGIN IMMEDIATE has already taken the write lock.
        locked = conn.execute(select(d.c.id).where(d.c.id == doc_id).with_for_update()).first()
        if locked is None:
            raise WatchfloorError(
                E.W401,
                url=self.url,
                detail=f"document {doc_id} is not stored, so its extraction cannot be; call "
                "save_document(doc) first, or save(doc, extraction)",
            )
        rows = convert.extraction_rows(extraction)
        digest = convert.digest(rows)
        run = conn.execute(
            select(runs.c.version, runs.c.pack_sha256, runs.c.digest).where(runs.c.doc_id == doc_id)
        ).first()
        if run is not None and tuple(run) == (version, pack_sha256, digest):
            return
        if run is not None:
            # Extracted rows are only ever written with their run record, in one transaction:
            # no run record, nothing to delete (the common first-time case skips nine DELETEs).
            for table in (*reversed(schema.EXTRACTED_TABLES), runs):
                conn.execute(delete(table).where(table.c.doc_id == doc_id))
        for table, table_rows in rows:
            if table_rows:
                conn.execute(insert(table), table_rows)
        conn.execute(
            insert(runs),
            [
                {
                    "doc_id": doc_id,
                    "version": version,
                    "pack_sha256": pack_sha256,
                    "digest": digest,
                    "finished_at": convert.now(),
                }
            ],
        )

    def is_extracted(self, doc_id: str, version: str, pack_sha256: str) -> bool:
        """True if ``doc_id`` was extracted with this extractor version and pack."""
        runs = schema.extraction_runs
        stmt = select(runs.c.doc_id).where(
            runs.c.doc_id == doc_id,
            runs.c.version == version,
            runs.c.pack_sha256 == pack_sha256,
        )
        with self._read() as conn:
            return conn.execute(stmt).first() is not None

    def extracted_ids(self, version: str, pack_sha256: str) -> set[str]:
        """Every document extracted with this version and pack: one query to plan a re-run."""
        runs = schema.extraction_runs
        stmt = select(runs.c.doc_id).where(
            runs.c.version == version, runs.c.pack_sha256 == pack_sha256
        )
        with self._read() as conn:
            return set(conn.execute(stmt).scalars())

    def extraction(self, doc_id: str) -> Extraction | None:
        """The stored extraction of ``doc_id``, as it was saved; None if never extracted."""
        runs = schema.extraction_runs
        with self._read() as conn:
            if conn.execute(select(runs.c.doc_id).where(runs.c.doc_id == doc_id)).first() is None:
                return None
            rows = {
                table.name: conn.execute(
                    select(table).where(table.c.doc_id == doc_id).order_by(*table.primary_key)
                ).all()
                for table in schema.EXTRACTED_TABLES
                if table is not schema.event_weapon_classes
            }
        return Extraction(
            doc_id=doc_id,
            sentences=[convert.to_sentence(r) for r in rows["sentences"]],
            actors=[convert.to_actor(r) for r in rows["actor_mentions"]],
            weapons=[convert.to_weapon(r) for r in rows["weapon_mentions"]],
            times=[convert.to_time(r) for r in rows["time_expressions"]],
            events=[convert.to_event(r) for r in rows["event_mentions"]],
            quotes=[convert.to_quote(r) for r in rows["quotes"]],
            claims=[convert.to_claim(r) for r in rows["claims"]],
        )

    # -- reference data ------------------------------------------------------------------

    def save_reference(self, name: str, read: ReferenceRead, *, source: str, sha256: str) -> bool:
        """Store ``read``'s rows as the reference set ``name``, replacing the set's earlier rows
        in the same transaction (a failed import leaves the old set whole). False, and nothing
        written, when the set already holds this very file (same sha256 and format)."""
        sets, rows = schema.reference_sets, schema.reference_rows
        warnings = sum(p.severity == "warning" for p in read.problems)
        refused = len(read.problems) - warnings
        with self._write(f"importing reference set {name}") as conn:
            old = conn.execute(
                select(sets.c.sha256, sets.c.format).where(sets.c.name == name)
            ).first()
            if old is not None and tuple(old) == (sha256, read.format):
                return False
            conn.execute(delete(sets).where(sets.c.name == name))  # rows go by cascade
            conn.execute(delete(rows).where(rows.c.set_name == name))  # and for the sure
            conn.execute(
                insert(sets),
                [
                    {
                        "name": name,
                        "format": read.format,
                        "source": source,
                        "sha256": sha256,
                        "imported_at": convert.now(),
                        "rows": len(read.records),
                        "refused": refused,
                        "warnings": warnings,
                    }
                ],
            )
            if read.records:
                conn.execute(insert(rows), [convert.reference_row(name, r) for r in read.records])
        return True

    def reference_sets(self) -> list[ReferenceSet]:
        sets = schema.reference_sets
        with self._read() as conn:
            found = conn.execute(select(sets).order_by(sets.c.name)).all()
        return [
            ReferenceSet(
                name=r.name, format=r.format, source=r.source, sha256=r.sha256,
                imported_at=r.imported_at, rows=r.rows, refused=r.refused, warnings=r.warnings,
            )
            for r in found
        ]

    def reference_rows(self, name: str) -> list[ReferenceTest]:
        """The rows of reference set ``name`` in file order; W404 if no such set is stored."""
        sets, rows = schema.reference_sets, schema.reference_rows
        with self._read() as conn:
            source = conn.execute(select(sets.c.source).where(sets.c.name == name)).scalar()
            if source is None:
                known = ", ".join(s.name for s in self.reference_sets()) or "none yet"
                raise WatchfloorError(
                    E.W602, name=name, url=self.url, known=known,
                )
            found = conn.execute(
                select(rows).where(rows.c.set_name == name).order_by(rows.c.line)
            ).all()
        return [convert.to_reference(r, source) for r in found]

    def delete_reference(self, name: str) -> bool:
        sets, rows = schema.reference_sets, schema.reference_rows
        with self._write(f"deleting reference set {name}") as conn:
            conn.execute(delete(rows).where(rows.c.set_name == name))
            result = conn.execute(
                delete(sets).where(sets.c.name == name),
                execution_options={"preserve_rowcount": True},
            )
            return bool(result.rowcount)

    # -- consolidation -------------------------------------------------------------------

    def reports(self, doc_id: str | None = None) -> list[tuple[str, int, EventMention]]:
        """Every stored document event (of one document) with its key (doc_id, ordinal), in
        key order."""
        ev = schema.event_mentions
        stmt = select(ev).order_by(ev.c.doc_id, ev.c.ordinal)
        if doc_id is not None:
            stmt = stmt.where(ev.c.doc_id == doc_id)
        with self._read() as conn:
            rows = conn.execute(stmt).all()
        return [(row.doc_id, row.ordinal, convert.to_event(row)) for row in rows]

    def document_times(self) -> dict[str, tuple[str | None, str]]:
        """doc_id -> (published, in UTC ISO text or None; ingested_at)."""
        d = schema.documents
        with self._read() as conn:
            rows = conn.execute(select(d.c.id, d.c.published_utc, d.c.ingested_at)).all()
        return {row.id: (row.published_utc, row.ingested_at) for row in rows}

    def unsketched_documents(self) -> list[Document]:
        """Documents near-duplicate detection has not sketched yet, in ingest order."""
        d, sk = schema.documents, schema.document_sketches
        stmt = (select(d).where(~exists().where(sk.c.doc_id == d.c.id))
                .order_by(d.c.ingested_at, d.c.id))
        with self._read() as conn:
            return [convert.to_document(row) for row in conn.execute(stmt)]

    def band_neighbours(self, keys: Iterable[str]) -> dict[str, list[str]]:
        """LSH band key -> the sketched documents that have it (only keys some document has)."""
        b = schema.document_bands
        found: dict[str, list[str]] = {}
        with self._read() as conn:
            for chunk in _chunks(sorted(set(keys)), IN_CHUNK):
                for row in conn.execute(select(b).where(b.c.band_key.in_(chunk))):
                    found.setdefault(row.band_key, []).append(row.doc_id)
        return found

    def save_sketches(self, bands: Mapping[str, Sequence[str]],
                      pairs: Iterable[tuple[str, str, float]]) -> None:
        """Record documents as sketched with their band keys, and the near-duplicate pairs
        found among them and with documents sketched before, in one transaction."""
        pair_rows = [{"doc_id": min(a, b), "other_id": max(a, b), "similarity": sim}
                     for a, b, sim in pairs]
        with self._write("saving near-duplicate sketches") as conn:
            if bands:
                conn.execute(insert(schema.document_sketches),
                             [{"doc_id": d, "bands": len(keys)} for d, keys in bands.items()])
                rows = [{"band_key": k, "doc_id": d} for d, keys in bands.items()
                        for k in dict.fromkeys(keys)]
                if rows:
                    conn.execute(insert(schema.document_bands), rows)
            if pair_rows:
                conn.execute(insert(schema.document_pairs), pair_rows)

    def document_pairs(self) -> list[tuple[str, str, float]]:
        """Every verified near-duplicate pair (doc_id < other_id, similarity)."""
        p = schema.document_pairs
        with self._read() as conn:
            return [(r.doc_id, r.other_id, r.similarity) for r in conn.execute(
                select(p).order_by(p.c.doc_id, p.c.other_id))]

    def document_headers(self) -> dict[str, Document]:
        """Every document's metadata, without its text (``text`` is empty), by id."""
        d = schema.documents
        columns = [c for c in d.c if c.name != "text"]
        with self._read() as conn:
            rows = conn.execute(select(*columns, literal("").label("text"))
                                .order_by(d.c.ingested_at, d.c.id)).all()
        return {row.id: convert.to_document(row) for row in rows}  # type: ignore[arg-type]

    def document_links(self) -> dict[str, tuple[str, float]]:
        """Copy doc_id -> (original doc_id, similarity)."""
        links = schema.document_links
        with self._read() as conn:
            rows = conn.execute(select(links)).all()
        return {row.doc_id: (row.original_id, row.similarity) for row in rows}

    def save_document_links(self, links: Mapping[str, tuple[str, float]]) -> int:
        """Make the stored near-duplicate links exactly ``links``; the number of rows changed."""
        table = schema.document_links
        old = self.document_links()
        gone = [d for d in old if d not in links or old[d] != links[d]]
        new = [d for d in links if old.get(d) != links[d]]
        if not gone and not new:
            return 0
        with self._write("saving near-duplicate links") as conn:
            for chunk in _chunks(gone, IN_CHUNK):
                conn.execute(delete(table).where(table.c.doc_id.in_(chunk)))
            if new:
                conn.execute(insert(table), [
                    {"doc_id": d, "original_id": links[d][0], "similarity": links[d][1]}
                    for d in new
                ])
        return len(set(gone) | set(new))

    def records_of(self, doc_id: str) -> list[str]:
        """The consolidated events that the document ``doc_id`` reports, by id."""
        er = schema.event_reports
        stmt = select(er.c.event_id).where(er.c.doc_id == doc_id).distinct()
        with self._read() as conn:
            return sorted(conn.execute(stmt).scalars())

    def event_assignments(self, doc_id: str | None = None) -> dict[ReportKey, str]:
        """(doc_id, ordinal) -> the consolidated event it reports; of one document if given."""
        er = schema.event_reports
        stmt = select(er) if doc_id is None else select(er).where(er.c.doc_id == doc_id)
        with self._read() as conn:
            rows = conn.execute(stmt).all()
        return {(row.doc_id, row.ordinal): row.event_id for row in rows}

    def save_consolidation(self, events: Sequence[CanonicalEvent]) -> ConsolidationDiff:
        """Make the stored events exactly ``events``, in one transaction: rows that did not
        change are not written, and every creation, change and removal is logged in
        event_changes with the fields that changed (a removed event's last row is kept there)."""
        ev, er, log = schema.events, schema.event_reports, schema.event_changes
        stamp = convert.now()
        new_rows = {e.id: convert.canonical_row(e) for e in events}
        new_reports = {e.id: set(e.reports) for e in events}
        diff = ConsolidationDiff()
        with self._write("saving consolidated events") as conn:
            stored = {row.id: {k: v for k, v in row._mapping.items() if k != "updated_at"}
                      for row in conn.execute(select(ev))}
            stored_reports: dict[str, set[ReportKey]] = {}
            for link in conn.execute(select(er)):
                stored_reports.setdefault(link.event_id, set()).add((link.doc_id, link.ordinal))
            changes: list[dict[str, Any]] = []
            for event_id in sorted(stored.keys() - new_rows.keys()):
                conn.execute(delete(ev).where(ev.c.id == event_id))  # reports go by cascade
                changes.append(_change(event_id, stamp, "removed", {"last": stored[event_id]}))
                diff.removed.append(event_id)
            moved = [k for e, ks in new_reports.items() for k in ks
                     if k not in stored_reports.get(e, set())]
            # a report that moved to another event leaves its old one first
            for start in range(0, len(moved), IN_CHUNK // 2):
                conn.execute(delete(er).where(
                    tuple_(er.c.doc_id, er.c.ordinal).in_(moved[start:start + IN_CHUNK // 2])))
            for event_id, row in new_rows.items():
                added = sorted(new_reports[event_id] - stored_reports.get(event_id, set()))
                dropped = sorted(stored_reports.get(event_id, set()) - new_reports[event_id])
                if event_id not in stored:
                    conn.execute(insert(ev), [{**row, "updated_at": stamp}])
                    changes.append(_change(event_id, stamp, "created",
                                           {"reports": [list(k) for k in added]}))
                    diff.created.append(event_id)
                else:
                    fields = {k: [stored[event_id][k], v] for k, v in row.items()
                              if stored[event_id][k] != v}
                    if fields:
                        conn.execute(ev.update().where(ev.c.id == event_id)
                                     .values(**row, updated_at=stamp))
                    if fields or added or dropped:
                        detail: dict[str, Any] = {"fields": fields}
                        if added:
                            detail["reports_added"] = [list(k) for k in added]
                        if dropped:
                            detail["reports_dropped"] = [list(k) for k in dropped]
                        changes.append(_change(event_id, stamp, "updated", detail))
                        diff.updated.append(event_id)
                    else:
                        diff.unchanged += 1
                if added:
                    conn.execute(insert(er), [
                        {"doc_id": d, "ordinal": o, "event_id": event_id} for d, o in added
                    ])
            if changes:
                conn.execute(insert(log), changes)
        return diff

    def consolidated_events(
        self,
        *,
        actor: str | None = None,
        target: str | None = None,
        type: str | None = None,  # shadows the builtin to match the record's field
        weapon: str | None = None,
        weapon_class: str | None = None,
        modality: str | None = None,
        status: str | None = None,
        date_from: date | None = None,
        date_to: date | None = None,
        query: str | None = None,
        sort: str = "date",
        limit: int | None = None,
        offset: int = 0,
        with_reports: bool = True,
    ) -> list[CanonicalEvent]:
        """Consolidated events matching every filter given, each with the document events
        (reports) that support it (``with_reports`` False: without them, one query fewer, for
        lists that show only the events); ``offset`` skips that many.

        ``sort`` is one of EVENT_SORTS, "-" first for descending: by date (undated last),
        by confidence, sources or documents (ties in date order), or by last update. The id
        breaks every tie, so that pages are stable.
        """
        ev = schema.events
        where = self._event_conditions(
            actor=actor, target=target, type=type, weapon=weapon, weapon_class=weapon_class,
            modality=modality, status=status, date_from=date_from, date_to=date_to,
            query=query)
        order = _event_order(sort)  # refuses an unknown sort, whichever query runs

        def page(stmt: Any, size: int | None, skip: int) -> Any:
            return (stmt if size is None else stmt.limit(size)).offset(skip or None)

        day = ev.c.date_start
        # The date order in two steps, the dated events in (date_start, id) order and then the
        # undated ones by id, is the order of _event_order's ORDER BY CASE, but the CASE is a
        # sort key computed per row that no index can give: every page sorted every matching
        # event (100,000 events: a first page took 20 ms on SQLite and 100 ms on PostgreSQL,
        # a page at offset 90,000 180 ms and 340 ms; in date-index order 0.5 and 1.6 ms, 95 and
        # 66 ms; bench/api.py).
        in_date_order = (day.desc() if sort == "-date" else day, ev.c.id)
        dated = select(ev).where(*where, day.is_not(None)).order_by(*in_date_order)
        er = schema.event_reports
        with self._read() as conn:
            if sort.removeprefix("-") != "date":
                rows = list(conn.execute(page(select(ev).where(*where).order_by(*order),
                                              limit, offset)))
            else:
                skip, n_dated = offset, None
                if offset >= ANCHOR_FROM:
                    # A deep page starts from the nearest anchor: the day of a known position
                    # in this order (see _date_anchors).
                    filters = (actor, target, type, weapon, weapon_class, modality, status,
                               date_from, date_to, query, sort)
                    n_dated, anchors = self._date_anchors(conn, filters, where, in_date_order)
                    at = bisect.bisect_right(anchors, (offset, date.max)) - 1
                    if at >= 0:
                        position, anchor_day = anchors[at]
                        dated = dated.where(day <= anchor_day if sort == "-date"
                                            else day >= anchor_day)
                        skip = offset - position
                if n_dated is not None and offset >= n_dated:
                    rows = []  # past the dated events
                elif skip:
                    # Skip in the index alone, then read the page's rows (100 events at offset
                    # 50,000 on SQLite: 9 ms reading every row skipped, 3 ms so, 1 ms from an
                    # anchor).
                    ids = page(dated.with_only_columns(ev.c.id), limit, skip)
                    rows = list(conn.execute(select(ev).where(ev.c.id.in_(ids.scalar_subquery()))
                                             .order_by(*in_date_order)))
                else:
                    rows = list(conn.execute(page(dated, limit, 0)))
                if limit is None or len(rows) < limit:
                    # The page reaches past the dated events; how many came before it is
                    # known from the page itself unless it holds none of them.
                    before = (offset + len(rows) if rows or not offset else n_dated
                              if n_dated is not None else int(conn.execute(
                                  select(func.count()).select_from(ev)
                                  .where(*where, day.is_not(None))).scalar_one()))
                    undated = select(ev).where(*where, day.is_(None)).order_by(ev.c.id)
                    rows += conn.execute(page(undated, None if limit is None
                                              else limit - len(rows), max(offset - before, 0)))
            reports: dict[str, list[tuple[str, int]]] = {}
            ids = [row.id for row in rows] if with_reports else []
            for chunk in _chunks(ids, IN_CHUNK):
                for link in conn.execute(select(er).where(er.c.event_id.in_(chunk))
                                         .order_by(er.c.doc_id, er.c.ordinal)):
                    reports.setdefault(link.event_id, []).append((link.doc_id, link.ordinal))
        return [convert.to_canonical(row, reports.get(row.id, [])) for row in rows]

    def _date_anchors(self, conn: Connection, filters: tuple[Any, ...], where: list[Any],
                      in_date_order: tuple[Any, ...]) -> tuple[int, list[tuple[int, date]]]:
        """How many events the filters keep with a date, and anchors into their date order:
        every ANCHOR_STEP-th position's day, with the position where that day's events begin
        (the events of a day are in id order, whichever way the days go), so that the page at
        any offset is read from the anchor below it, by a condition an index serves, not by
        skipping every event before it. One scan of the dates, kept per filters and sort until
        the events' data version moves (100,000 events on SQLite: 50 ms once, then a page at offset
        90,000 in 1 ms where skipping took 5)."""
        version = self.data_version("events")
        known = self._anchors.get(filters)
        if known is not None and known[0] == version:
            return known[1], known[2]
        ev = schema.events
        day = ev.c.date_start
        anchors: list[tuple[int, date]] = []
        previous: date | None = None
        begins = n = 0
        for n, value in enumerate(conn.execute(
                select(day).where(*where, day.is_not(None)).order_by(*in_date_order)).scalars()):
            if value != previous:
                begins, previous = n, value
            if n % ANCHOR_STEP == 0:
                anchors.append((begins, value))
        count = n + 1 if previous is not None else 0
        self._anchors[filters] = (version, count, anchors)
        while len(self._anchors) > MAX_ANCHORED:
            self._anchors.pop(next(iter(self._anchors)))
        return count, anchors

    def _event_conditions(
        self, *, actor: str | None = None, target: str | None = None, type: str | None = None,
        weapon: str | None = None, weapon_class: str | None = None,
        modality: str | None = None, status: str | None = None,
        date_from: date | None = None, date_to: date | None = None, query: str | None = None,
    ) -> list[Any]:
        """The WHERE conditions on ``events`` for these filters (None: no filter)."""
        ev = schema.events
        where: list[Any] = [column == value for column, value in (
            (ev.c.actor, actor), (ev.c.target, target), (ev.c.type, type),
            (ev.c.weapon, weapon), (ev.c.modality, modality), (ev.c.status, status))
            if value is not None]
        if weapon_class is not None:  # a JSON array of names: match one quoted element
            where.append(ev.c.weapon_class.contains(json.dumps(weapon_class), autoescape=True))
        if date_from is not None:
            where.append(func.coalesce(ev.c.date_end, ev.c.date_start) >= date_from)
            # The same condition in a form an index on date_start can serve: no event that
            # overlaps the range starts longer before it than the longest event lasts.
            span = self._longest_span()
            if date_from.toordinal() - span >= 1:  # not before 0001-01-01, where dates end
                where.append(ev.c.date_start >= date_from - timedelta(days=span))
        if date_to is not None:
            where.append(ev.c.date_start <= date_to)
        if query is not None:  # events reported in a sentence that matches
            where.append(ev.c.id.in_(self._events_in_sentences(search.parse(query))))
        return where

    def _longest_span(self) -> int:
        """Days from the first to the last day of the longest consolidated event, computed
        once per version of the events (a full scan: 30 ms over 100,000 events on SQLite), so that a
        date filter reads only the index range it can match (a page of one type over five
        years: 6 ms, 1 ms with the bound)."""
        version = self.data_version("events")
        if self._longest is not None and self._longest[0] == version:
            return self._longest[1]
        ev = schema.events
        if self.dialect == "sqlite":
            span: Any = func.julianday(ev.c.date_end) - func.julianday(ev.c.date_start)
        else:
            span = ev.c.date_end - ev.c.date_start
        with self._read() as conn:
            longest = conn.execute(select(func.max(span)).where(
                ev.c.date_end != ev.c.date_start)).scalar_one()
        days = max(0, math.ceil(longest or 0))
        self._longest = (version, days)
        return days

    def event_timeline(self, *, by: str = "type", interval: str = "month",
                       **filters: Any) -> dict[str, Any]:
        """Consolidated events counted per period (TIMELINE_INTERVALS) of their first day and
        per value of ``by`` (TIMELINE_KEYS; "class" counts an event once for each of its
        weapon classes, "none" when it has none), with the filters of consolidated_events.
        As in the CLI's timeline (analyze.timeline.countable), undated events and events
        dated more loosely than COUNTABLE_SPAN_DAYS are not placed but counted apart;
        ``events`` is the number placed. Periods with no event are left out."""
        if by not in TIMELINE_KEYS or interval not in TIMELINE_INTERVALS:
            raise ValueError(f"by {by!r} or interval {interval!r} unknown")
        ev = schema.events
        where = self._event_conditions(**filters)
        key = ev.c.weapon_class if by == "class" else ev.c[by]
        day, last = ev.c.date_start, ev.c.date_end
        if interval in ("day", "week"):
            period: Any = day
        elif self.dialect == "sqlite":  # dates are ISO text: a prefix is the year or month
            period = func.substr(day, 1, 4 if interval == "year" else 7)
        else:
            period = func.to_char(day, "YYYY" if interval == "year" else "YYYY-MM")
        if self.dialect == "sqlite":
            span: Any = func.julianday(last) - func.julianday(day)
        else:
            span = last - day
        # One pass over the matching events, each told undated, loose or placed; the span is
        # computed only where the last day differs from the first (100,000 events on SQLite:
        # 320 ms in three queries with julianday on every row, 170 ms in this one).
        placement = case(
            (day.is_(None), UNDATED),
            (or_(last.is_(None), last == day), PLACED),
            (span > COUNTABLE_SPAN_DAYS, LOOSE),
            else_=PLACED,
        ).label("placement")
        stmt = (select(placement, period.label("period"), key.label("key"),
                       func.count().label("n"))
                .where(*where).group_by(placement, period, key))
        with self._read() as conn:
            rows = conn.execute(stmt).all()
        counts: dict[str, dict[str, int]] = {}
        apart = {UNDATED: 0, LOOSE: 0}
        n_events = 0
        for row in rows:
            n = int(row.n)
            if row.placement != PLACED:
                apart[row.placement] += n
                continue
            label = _period_label(row.period, interval)
            keys = (json.loads(row.key) or ["none"]) if by == "class" else [row.key or "none"]
            bucket = counts.setdefault(label, {})
            n_events += n
            for k in keys:
                bucket[k] = bucket.get(k, 0) + n
        return {"by": by, "interval": interval, "undated": apart[UNDATED],
                "loose": apart[LOOSE], "events": n_events,
                "periods": [(label, counts[label]) for label in sorted(counts)]}

    def event_counts(self, by: str, **filters: Any) -> dict[str, int]:
        """Consolidated events per value of the column ``by`` (a TIMELINE_KEYS name other
        than "class"), with the filters of consolidated_events."""
        if by not in TIMELINE_KEYS or by == "class":
            raise ValueError(f"cannot count events by {by!r}")
        ev = schema.events
        stmt = (select(ev.c[by], func.count()).where(*self._event_conditions(**filters))
                .group_by(ev.c[by]))
        with self._read() as conn:
            return {str(key): int(n) for key, n in conn.execute(stmt)}

    def _events_in_sentences(self, found: search.Search) -> Any:
        """The ids of the events with a report in a sentence that matches ``found``."""
        er, em, se = schema.event_reports, schema.event_mentions, schema.sentences
        return (select(er.c.event_id)
                .join(em, and_(em.c.doc_id == er.c.doc_id, em.c.ordinal == er.c.ordinal))
                .join(se, and_(se.c.doc_id == em.c.doc_id, se.c.sentence == em.c.sentence))
                .where(search.sentences_matching(self.dialect, found)))

    def consolidated_event(self, ref: str) -> CanonicalEvent | None:
        """The consolidated event with this id or id prefix, with its reports; W403 when the
        prefix fits several."""
        ev, er = schema.events, schema.event_reports
        ref = ref.strip()
        if not ref:
            return None
        with self._read() as conn:
            event_id = self._one_id(conn, ev.c.id, ref)
            if event_id is None:
                return None
            row = conn.execute(select(ev).where(ev.c.id == event_id)).one()
            reports = conn.execute(
                select(er.c.doc_id, er.c.ordinal).where(er.c.event_id == event_id)
                .order_by(er.c.doc_id, er.c.ordinal)
            ).all()
        return convert.to_canonical(row, [(d, o) for d, o in reports])

    def _one_id(self, conn: Connection, column: Any, ref: str) -> str | None:
        """The id ``ref`` names in ``column``: itself, or the one id it is a prefix of; None
        if none, W403 if several."""
        if conn.execute(select(column).where(column == ref).limit(1)).first() is not None:
            return ref
        like = select(column).where(column.startswith(ref, autoescape=True)).distinct()
        # SQLite's LIKE ignores ASCII case and PostgreSQL's does not: decide in Python.
        ids = sorted(i for i in conn.execute(like.limit(50)).scalars() if i.startswith(ref))
        if len(ids) > 1:
            raise WatchfloorError(
                E.W403, ref=ref, count=len(ids), url=self.url,
                examples=", ".join(ids[:3]) + (", ..." if len(ids) > 3 else ""),
            )
        return ids[0] if ids else None

    def report_details(self, keys: Iterable[ReportKey]
                       ) -> list[tuple[ReportKey, Document | None, EventMention | None]]:
        """Each report's document and document event, in the order of ``keys``; a document
        holding several of them is read once."""
        docs: dict[str, Document | None] = {}
        mentions: dict[str, dict[int, EventMention]] = {}
        out = []
        for doc_id, ordinal in keys:
            if doc_id not in docs:
                docs[doc_id] = self.document(doc_id)
                mentions[doc_id] = {o: m for _d, o, m in self.reports(doc_id)}
            out.append(((doc_id, ordinal), docs[doc_id], mentions[doc_id].get(ordinal)))
        return out

    def event_changes(self, event_id: str | None = None) -> list[dict[str, Any]]:
        """The consolidation log, oldest first: seq, event_id, time, change, detail."""
        log = schema.event_changes
        stmt = select(log).order_by(log.c.seq)
        if event_id is not None:
            stmt = stmt.where(log.c.event_id == event_id)
        with self._read() as conn:
            return [
                {**row._mapping, "detail": json.loads(row.detail)} for row in conn.execute(stmt)
            ]

    # -- queries -------------------------------------------------------------------------

    def events(
        self,
        *,
        actor: str | None = None,
        target: str | None = None,
        type: str | None = None,  # shadows the builtin to match EventMention.type
        weapon: str | None = None,
        weapon_class: str | None = None,
        modality: str | None = None,
        date_from: date | None = None,
        date_to: date | None = None,
        doc_id: str | None = None,
        limit: int | None = None,
    ) -> list[EventMention]:
        """Event mentions matching every filter given, in date order (undated last).

        ``date_from``/``date_to`` keep events whose interval overlaps the range, so a "March
        2017" event is kept by a filter from 2017-03-15; undated events then drop out.
        """
        ev, ewc = schema.event_mentions, schema.event_weapon_classes
        where = [
            column == value
            for column, value in (
                (ev.c.actor, actor),
                (ev.c.target, target),
                (ev.c.type, type),
                (ev.c.weapon, weapon),
                (ev.c.modality, modality),
                (ev.c.doc_id, doc_id),
            )
            if value is not None
        ]
        if weapon_class is not None:
            where.append(
                exists().where(
                    ewc.c.doc_id == ev.c.doc_id,
                    ewc.c.ordinal == ev.c.ordinal,
                    ewc.c.weapon_class == weapon_class,
                )
            )
        if date_from is not None:
            where.append(func.coalesce(ev.c.date_end, ev.c.date_start) >= date_from)
        if date_to is not None:
            where.append(ev.c.date_start <= date_to)
        stmt = (
            select(ev)
            .where(*where)
            # Spelled out because SQLite sorts NULL first and PostgreSQL last.
            .order_by(
                case((ev.c.date_start.is_(None), 1), else_=0),
                ev.c.date_start,
                ev.c.doc_id,
                ev.c.ordinal,
            )
        )
        if limit is not None:
            stmt = stmt.limit(limit)
        with self._read() as conn:
            return [convert.to_event(row) for row in conn.execute(stmt)]

    def event(self, event_id_or_prefix: str) -> EventMention | None:
        """The event with this id, or the one whose id starts with this prefix.

        Raises W403 if the prefix fits several events.
        """
        ref = event_id_or_prefix.strip()
        if not ref:
            return None
        ev = schema.event_mentions
        order = (ev.c.doc_id, ev.c.ordinal)
        with self._read() as conn:
            event_id = self._one_id(conn, ev.c.id, ref)
            if event_id is None:
                return None
            row = conn.execute(
                select(ev).where(ev.c.id == event_id).order_by(*order).limit(1)
            ).first()
        return None if row is None else convert.to_event(row)

    def quotes(
        self, *, speaker_actor: str | None = None, doc_id: str | None = None,
        query: str | None = None, limit: int | None = None, offset: int = 0,
    ) -> list[Quote]:
        """Quotes in document order, with the filters given; ``query`` searches the quote and
        its speaker (search.parse's language)."""
        q = schema.quotes
        stmt = select(q).order_by(q.c.doc_id, q.c.ordinal)
        if speaker_actor is not None:
            stmt = stmt.where(q.c.speaker_actor == speaker_actor)
        if doc_id is not None:
            stmt = stmt.where(q.c.doc_id == doc_id)
        if query is not None:
            stmt = stmt.where(search.quotes_matching(self.dialect, search.parse(query)))
        if limit is not None:
            stmt = stmt.limit(limit)
        if offset:
            stmt = stmt.offset(offset)
        with self._read() as conn:
            return [convert.to_quote(row) for row in conn.execute(stmt)]

    def quote_counts(self) -> dict[str | None, int]:
        """Quotes per speaker's actor code (None: the speaker's side is not known)."""
        q = schema.quotes
        with self._read() as conn:
            return {code: int(n) for code, n in conn.execute(
                select(q.c.speaker_actor, func.count()).group_by(q.c.speaker_actor))}

    def claims(self, *, doc_id: str | None = None) -> list[Claim]:
        c = schema.claims
        stmt = select(c).order_by(c.c.doc_id, c.c.ordinal)
        if doc_id is not None:
            stmt = stmt.where(c.c.doc_id == doc_id)
        with self._read() as conn:
            return [convert.to_claim(row) for row in conn.execute(stmt)]

    def sentences(self, doc_id: str) -> list[Sentence]:
        s = schema.sentences
        stmt = select(s).where(s.c.doc_id == doc_id).order_by(s.c.sentence)
        with self._read() as conn:
            return [convert.to_sentence(row) for row in conn.execute(stmt)]

    # -- the service: search, feeds, tokens (issue 5) ------------------------------------

    @contextmanager
    def exclusive(self, name: str) -> Iterator[None]:
        """Hold the lock ``name`` across processes while the block runs, so that two writers
        (an API worker and `watch`, say) never consolidate at once: a PostgreSQL advisory
        lock, or for a SQLite file an flock on a file beside it."""
        if self.dialect == "postgresql":
            key = int.from_bytes(hashlib.sha256(name.encode()).digest()[:8], "big", signed=True)
            # A session lock on a connection of its own in autocommit, so that it is never
            # "idle in transaction" (which a server may time out, dropping the lock).
            with self._engine.connect().execution_options(
                    isolation_level="AUTOCOMMIT") as conn:
                conn.execute(func.pg_advisory_lock(key).select())
                try:
                    yield
                finally:
                    conn.execute(func.pg_advisory_unlock(key).select())
            return
        database = self._engine.url.database
        if self.dialect != "sqlite" or not database or database == ":memory:":
            yield
            return
        import fcntl

        with open(f"{database}.{name}.lock", "a+b") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(lock, fcntl.LOCK_UN)

    @property
    def dialect(self) -> str:
        return self._engine.dialect.name

    def search_documents(
        self, query: str, *, limit: int = 20, offset: int = 0
    ) -> list[Document]:
        """Documents whose title or text matches ``query`` (search.parse's language), newest
        first; W406 for a query with no word to look for."""
        d = schema.documents
        stmt = (select(d).where(search.documents_matching(self.dialect, search.parse(query)))
                .order_by(d.c.published_utc.desc(), d.c.id).limit(limit).offset(offset))
        with self._read() as conn:
            return [convert.to_document(row) for row in conn.execute(stmt)]

    def document_summaries(
        self, *, query: str | None = None, outlet: str | None = None,
        published_from: date | None = None, published_to: date | None = None,
        limit: int = 100, offset: int = 0,
    ) -> list[dict[str, Any]]:
        """Documents without their text (id, title, outlet, url, published, language, size),
        newest first, with the filters given."""
        d = schema.documents
        where: list[Any] = []
        if query is not None:
            where.append(search.documents_matching(self.dialect, search.parse(query)))
        if outlet is not None:
            where.append(d.c.outlet == outlet)
        if published_from is not None:
            where.append(d.c.published_utc >= published_from.isoformat())
        if published_to is not None:  # the whole last day
            where.append(d.c.published_utc < (published_to + timedelta(days=1)).isoformat())
        stmt = (select(d.c.id, d.c.title, d.c.outlet, d.c.url, d.c.published, d.c.language,
                       d.c.source, d.c.ingested_at, func.length(d.c.text).label("chars"))
                .where(*where).order_by(d.c.published_utc.desc(), d.c.id)
                .limit(limit).offset(offset))
        with self._read() as conn:
            return [dict(row._mapping) for row in conn.execute(stmt)]

    def has_url(self, url: str) -> bool:
        """Whether a document fetched from ``url`` is stored."""
        d = schema.documents
        with self._read() as conn:
            return conn.execute(select(d.c.id).where(d.c.url == url).limit(1)).first() is not None

    def feed_state(self, url: str) -> dict[str, Any] | None:
        """What ``watch`` last saw of the feed at ``url``, or None if never polled."""
        f = schema.feeds
        with self._read() as conn:
            row = conn.execute(select(f).where(f.c.url == url)).first()
        return None if row is None else dict(row._mapping)

    def feed_states(self) -> list[dict[str, Any]]:
        f = schema.feeds
        with self._read() as conn:
            return [dict(row._mapping) for row in conn.execute(select(f).order_by(f.c.url))]

    def save_feed_state(self, url: str, **fields: Any) -> None:
        """Insert or update the state of the feed at ``url``; only the fields given change."""
        f = schema.feeds
        unknown = set(fields) - set(f.c.keys())
        if unknown:
            raise ValueError(f"feeds has no column {sorted(unknown)}")
        with self._write(f"saving the state of feed {url}", events=False) as conn:
            if conn.execute(select(f.c.url).where(f.c.url == url)).first() is None:
                row = {"failures": 0, "entries_seen": 0, **fields, "url": url}
                conn.execute(insert(f).values(row))
            elif fields:
                conn.execute(update(f).where(f.c.url == url).values(fields))

    def create_token(self, name: str) -> tuple[str, str]:
        """A new API token for ``name``: (its id, the token). Only a hash of the secret is
        stored, so the token is shown this once."""
        name = name.strip()
        if not name or len(name) > 128:
            raise WatchfloorError(E.W407, ref=name, detail="give a name of 1 to 128 characters")
        token_id = secrets.token_hex(6)
        secret = secrets.token_urlsafe(32)
        with self._write("creating an API token", events=False) as conn:
            conn.execute(insert(schema.api_tokens).values(
                id=token_id, name=name, secret_sha256=_sha256(secret),
                created_at=convert.now()))
        return token_id, f"wf_{token_id}_{secret}"

    def check_token(self, token: str) -> str | None:
        """The name of the live token ``token``, or None (unknown, revoked or malformed); the
        token's last use is recorded."""
        parts = token.split("_", 2)
        if len(parts) != 3 or parts[0] != "wf" or not parts[1] or not parts[2]:
            return None
        t = schema.api_tokens
        with self._read() as conn:
            row = conn.execute(select(t).where(t.c.id == parts[1])).first()
        if row is None or row.revoked_at is not None:
            return None
        if not hmac.compare_digest(row.secret_sha256, _sha256(parts[2])):
            return None
        now = convert.now()
        if row.last_used_at is None or row.last_used_at[:16] != now[:16]:  # once a minute
            with self._write("recording a token's use", events=False) as conn:
                conn.execute(update(t).where(t.c.id == row.id).values(last_used_at=now))
        return str(row.name)

    def revoke_token(self, token_id: str) -> bool:
        """Revoke the token with this id (or the token itself); False if no live one."""
        token_id = token_id.split("_", 2)[1] if token_id.startswith("wf_") else token_id
        t = schema.api_tokens
        with self._write("revoking an API token", events=False) as conn:
            done = conn.execute(
                update(t).where(t.c.id == token_id, t.c.revoked_at.is_(None))
                .values(revoked_at=convert.now()),
                execution_options={"preserve_rowcount": True})
        return bool(done.rowcount == 1)

    def tokens(self) -> list[dict[str, Any]]:
        """Every token's id, name and times (never the hash)."""
        t = schema.api_tokens
        stmt = select(t.c.id, t.c.name, t.c.created_at, t.c.last_used_at, t.c.revoked_at)
        with self._read() as conn:
            return [dict(row._mapping) for row in conn.execute(stmt.order_by(t.c.created_at))]

    def counts(self, *tables: str) -> dict[str, int]:
        """Rows per table (those named, else every table), every one named even when empty."""
        chosen = [t for t in schema.ALL_TABLES if not tables or t.name in tables]
        with self._read() as conn:
            return {
                table.name: int(conn.execute(select(func.count()).select_from(table)).scalar_one())
                for table in chosen
            }


# -- engine ------------------------------------------------------------------------------


def create_store_engine(url: str, *, busy_timeout_ms: int = DEFAULT_BUSY_TIMEOUT_MS) -> Engine:
    """An engine for ``url`` with the store's connection settings; for SQLite, WAL mode,
    foreign keys on, a busy timeout, and the parent folder of the file created."""
    shown = _shown(url)
    try:
        parsed = make_url(url)
    except ArgumentError as exc:
        raise WatchfloorError(
            E.W203, url=shown, detail="give a SQLAlchemy URL such as sqlite:///path/to/db.sqlite"
        ) from exc
    is_sqlite = parsed.get_backend_name() == "sqlite"
    if is_sqlite:
        _make_parent(parsed, shown)
    try:
        engine = create_engine(parsed)
    except (NoSuchModuleError, ImportError) as exc:
        raise WatchfloorError(
            E.W203,
            url=shown,
            detail=f"{exc}; install the database driver (for PostgreSQL: pip install psycopg) "
            "or use a SQLite URL such as sqlite:///path/to/db.sqlite",
        ) from exc
    if is_sqlite:
        _tune_sqlite(engine, busy_timeout_ms)
    return engine


def drop_all_tables(url: str) -> None:
    """Drop every watchfloor table and the migration stamp from the database at ``url``: the
    test suite and the load benchmark wipe a PostgreSQL database they were given with it."""
    engine = create_store_engine(url)
    try:
        with engine.begin() as conn:
            schema.metadata.drop_all(conn)
            conn.execute(sql_text("DROP TABLE IF EXISTS alembic_version"))
    finally:
        engine.dispose()


def _raise_version(conn: Connection, *, events: bool) -> None:
    """Count one more write transaction (and one more that may change the events, if it may):
    the last statement of each, so that on PostgreSQL the row lock it takes is held only
    while the transaction commits."""
    dv = schema.data_version
    values: dict[str, Any] = {"n": dv.c.n + 1}
    if events:
        values["events_n"] = dv.c.events_n + 1
    conn.execute(update(dv).where(dv.c.id == 1).values(**values))


def _events_unchanged(conn: Connection) -> None:
    """Mark the write transaction on ``conn`` as one that changes nothing read of the
    consolidated events (Store._write)."""
    conn.info[_EVENTS_UNCHANGED] = True


@contextmanager
def write_transaction(engine: Engine) -> Iterator[Connection]:
    """A connection in a write transaction (BEGIN IMMEDIATE on SQLite), committed on exit."""
    with engine.connect() as conn:
        conn.execution_options(**{_WRITE: True})
        with conn.begin():
            yield conn


def _make_parent(url: URL, shown: str) -> None:
    database = url.database or ""
    if database in ("", ":memory:") or database.startswith("file:"):
        return
    parent = Path(database).expanduser().parent
    try:
        parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise WatchfloorError(
            E.W401,
            url=shown,
            detail=f"cannot create the folder {parent} ({exc.strerror or exc}); choose a "
            "writable place with --db or WATCHFLOOR_DB",
        ) from exc


def _tune_sqlite(engine: Engine, busy_timeout_ms: int) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # The sqlite3 module's own implicit BEGIN comes only before DML, so reads inside a
        # transaction would not be isolated; take over and BEGIN ourselves (in _on_begin).
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        try:
            cursor.execute(f"PRAGMA busy_timeout = {int(busy_timeout_ms)}")
            cursor.execute("PRAGMA foreign_keys = ON")
            # WAL lets readers (the CLI) run while the pipeline writes; NORMAL sync keeps every
            # commit through a process kill and loses at most the last ones on power loss.
            cursor.execute("PRAGMA journal_mode = WAL")
            cursor.execute("PRAGMA synchronous = NORMAL")
        finally:
            cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Connection) -> None:
        # A write that began as a read cannot wait for the lock (SQLITE_BUSY at once), so
        # writes take it up front and wait up to busy_timeout for it.
        immediate = conn.get_execution_options().get(_WRITE, False)
        conn.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")


def _shown(url: str) -> str:
    """The URL as errors show it: with the password masked."""
    try:
        return make_url(url).render_as_string(hide_password=True)
    except ArgumentError:
        return url


def _cause(exc: SQLAlchemyError) -> str:
    orig = getattr(exc, "orig", None)
    return f"{type(orig or exc).__name__}: {orig or exc}".splitlines()[0]


def _insert_ignore(conn: Connection, table: Table, row: Mapping[str, Any]) -> bool:
    """Insert ``row`` unless its primary key is taken; True if it was inserted."""
    dialect = conn.dialect.name
    if dialect == "sqlite":
        stmt: Any = sqlite.insert(table).values(row).on_conflict_do_nothing()
    elif dialect == "postgresql":
        stmt = postgresql.insert(table).values(row).on_conflict_do_nothing()
    else:
        key = [column == row[column.name] for column in table.primary_key]
        if conn.execute(select(*table.primary_key).where(*key)).first() is not None:
            return False
        stmt = insert(table).values(row)
    # Without preserve_rowcount, SQLAlchemy promises a rowcount only for UPDATE and DELETE
    # (psycopg reports -1 for this INSERT otherwise).
    result = conn.execute(stmt, execution_options={"preserve_rowcount": True})
    return bool(result.rowcount == 1)


@dataclass(slots=True)
class ConsolidationDiff:
    """What one save_consolidation changed."""

    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    unchanged: int = 0


EVENT_SORTS = ("date", "confidence", "sources", "documents", "updated")
TIMELINE_KEYS = ("type", "class", "weapon", "actor", "target", "status", "modality")
TIMELINE_INTERVALS = ("year", "month", "week", "day")
# Pages of events in date order from this offset on start from an anchor (_date_anchors): one
# every ANCHOR_STEP events, for at most MAX_ANCHORED sets of filters at a time.
ANCHOR_FROM, ANCHOR_STEP, MAX_ANCHORED = 2_000, 1_000, 64
# How event_timeline's one query tells the events apart.
UNDATED, LOOSE, PLACED = 0, 1, 2


def _event_order(sort: str) -> list[Any]:
    """ORDER BY for consolidated events; ``sort`` is an EVENT_SORTS name, "-" for descending."""
    ev = schema.events
    name = sort.removeprefix("-")
    if name not in EVENT_SORTS:
        raise ValueError(f"sort {sort!r}: use one of {', '.join(EVENT_SORTS)}, '-' to reverse")
    descending = sort.startswith("-")
    # Spelled out because SQLite sorts NULL first and PostgreSQL last: undated events last.
    undated_last = case((ev.c.date_start.is_(None), 1), else_=0)
    by_date = [undated_last, ev.c.date_start.desc() if descending and name == "date"
               else ev.c.date_start]
    if name == "date":
        return [*by_date, ev.c.id]
    column = {"confidence": ev.c.confidence, "sources": ev.c.sources,
              "documents": ev.c.documents, "updated": ev.c.updated_at}[name]
    return [column.desc() if descending else column, *by_date, ev.c.id]


def _period_label(value: Any, interval: str) -> str:
    """A period's label: "2017", "2017-07", "2017-07-04", or the ISO week "2017-W27"."""
    if interval in ("year", "month"):
        return str(value)
    day = value if isinstance(value, date) else date.fromisoformat(str(value))
    if interval == "day":
        return day.isoformat()
    year, week, _ = day.isocalendar()
    return f"{year}-W{week:02d}"


def _sha256(secret: str) -> str:
    # Tokens are 256 random bits, so a plain hash suffices (no stretching needed).
    return hashlib.sha256(secret.encode()).hexdigest()


def _change(event_id: str, stamp: str, change: str, detail: Mapping[str, Any]) -> dict[str, Any]:
    return {"event_id": event_id, "time": stamp, "change": change,
            "detail": json.dumps(detail, default=str, ensure_ascii=False, sort_keys=True)}


def _chunks(items: Iterable[str], size: int) -> Iterator[list[str]]:
    chunk: list[str] = []
    for item in items:
        chunk.append(item)
        if len(chunk) == size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def _check_extraction(extraction: Extraction, url: str) -> None:
    """Every record must come from the extraction's document: rows are keyed and replaced by
    document, so a stray record would be stored under the wrong one."""
    for records in (
        extraction.actors,
        extraction.weapons,
        extraction.times,
        extraction.events,
        extraction.quotes,
        extraction.claims,
    ):
        for record in records:
            if record.prov.doc_id != extraction.doc_id:
                raise WatchfloorError(
                    E.W401,
                    url=url,
                    detail=f"{type(record).__name__} from document {record.prov.doc_id} is in "
                    f"the extraction of document {extraction.doc_id}; nothing was saved",
                )
