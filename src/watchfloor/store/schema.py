"""The database tables, as SQLAlchemy Core metadata.

Only portable types are used (String, Text, Integer, Double, Date) so that the same Alembic
migrations build the same schema on SQLite and PostgreSQL. Timestamps are stored as ISO 8601
text, not as ``DateTime``: SQLite's ``DateTime`` drops the offset and PostgreSQL's keeps it, so
text is the one form that reads back identically on both. Tuples (weapon classes, participants,
sentence lists) are JSON arrays in ``Text`` columns.

Every extracted row carries its provenance in the same eight columns, and is keyed by
``(doc_id, ordinal)``: its document and its position in the extraction, so records come back
in the order they went in, and re-extracting a document is "delete where doc_id, insert".

This module is the source of truth for the shape of the tables; a migration under
``migrations/versions`` must bring a database to exactly this shape
(``tests/test_store_schema.py`` checks it with Alembic's autogenerate comparison).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import (
    BigInteger,
    Column,
    Date,
    Double,
    ForeignKey,
    ForeignKeyConstraint,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
)

# Named constraints so that later migrations can drop or alter them by name on both backends
# (SQLite's batch mode needs the names to rebuild a table).
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

metadata = MetaData(naming_convention=NAMING_CONVENTION)

# Document ids: Document.make_id gives 32 hex characters; 64 leaves room for a full sha256.
HASH = String(64)


def _provenance() -> list[Column[Any]]:
    """The provenance columns shared by every extracted table (records.Provenance)."""
    return [
        Column(
            "doc_id",
            HASH,
            ForeignKey("documents.id", ondelete="CASCADE"),
            primary_key=True,
        ),
        Column("ordinal", Integer, primary_key=True),  # position in the Extraction list
        Column("sentence", Integer, nullable=False),
        # "end" is reserved in PostgreSQL; prefixed names spare hand-written SQL the quoting.
        Column("span_start", Integer, nullable=False),
        Column("span_end", Integer, nullable=False),
        Column("extractor", String, nullable=False),
        Column("version", String, nullable=False),
        Column("pack_sha256", String, nullable=False),
        Column("confidence", Double, nullable=False),
    ]


documents = Table(
    "documents",
    metadata,
    Column("id", HASH, primary_key=True),
    Column("text", Text, nullable=False),
    Column("source", Text, nullable=False),
    Column("title", Text),
    Column("url", Text),
    Column("outlet", String),
    # As the source gave it (naive or with its own offset), so the round trip is exact ...
    Column("published", String(40)),
    # ... and the same instant in UTC, fixed width, so that text order is time order.
    Column("published_utc", String(32), index=True),
    Column("dateline", String),
    Column("tz", String),
    Column("language", String(16), nullable=False),
    Column("fetched", String(40)),
    Column("ingested_at", String(32), nullable=False),
    Index("ix_documents_ingested_at_id", "ingested_at", "id"),
    Index("ix_documents_url", "url"),  # has this page been fetched already (watch, API)
)

rejections = Table(
    "rejections",
    metadata,
    Column("id", HASH, primary_key=True),  # content_id(source, code, reason)
    Column("source", Text, nullable=False),
    Column("code", String(8), nullable=False),
    Column("reason", Text, nullable=False),
    Column("time", String(32), nullable=False),  # first time it was rejected, UTC
)

sentences = Table(
    "sentences",
    metadata,
    Column("doc_id", HASH, ForeignKey("documents.id", ondelete="CASCADE"), primary_key=True),
    Column("sentence", Integer, primary_key=True),
    Column("span_start", Integer, nullable=False),
    Column("span_end", Integer, nullable=False),
    Column("text", Text, nullable=False),
)

actor_mentions = Table(
    "actor_mentions",
    metadata,
    *_provenance(),
    Column("text", Text, nullable=False),
    Column("code", String, nullable=False, index=True),
    Column("name", String, nullable=False),
    Column("kind", String, nullable=False),
)

weapon_mentions = Table(
    "weapon_mentions",
    metadata,
    *_provenance(),
    Column("text", Text, nullable=False),
    Column("system", String, index=True),
    Column("weapon_class", Text, nullable=False),  # JSON array
    Column("count", Integer),
)

time_expressions = Table(
    "time_expressions",
    metadata,
    *_provenance(),
    Column("text", Text, nullable=False),
    Column("date_start", Date),
    Column("date_end", Date),
    Column("granularity", String(16), nullable=False),
)

event_mentions = Table(
    "event_mentions",
    metadata,
    *_provenance(),
    Column("id", String, nullable=False, index=True),
    Column("type", String, nullable=False, index=True),
    Column("actor", String, index=True),
    Column("target", String, index=True),
    Column("modality", String(16), nullable=False, index=True),
    Column("trigger", Text, nullable=False),
    Column("weapon", String, index=True),
    Column("weapon_class", Text, nullable=False),  # JSON array, in the record's order
    Column("location", String),
    Column("date_start", Date, index=True),
    Column("date_end", Date),
    Column("granularity", String(16), nullable=False),
    Column("date_text", Text),
    Column("time", String(32)),  # ISO 8601 with its offset (records.EventMention.time)
    Column("count", Integer),
    Column("stance", String),
    Column("status", String),
    Column("participants", Text, nullable=False),  # JSON array
    Column("sentences", Text, nullable=False),  # JSON array
    Column("evidence", Text, nullable=False),
    Column("distance_km", Double),
    Column("apogee_km", Double),
)

# One row per (event, weapon class): the JSON column above cannot be indexed portably, and
# "every ICBM event" is a filter the CLI offers.
event_weapon_classes = Table(
    "event_weapon_classes",
    metadata,
    Column("doc_id", HASH, primary_key=True),
    Column("ordinal", Integer, primary_key=True),
    Column("weapon_class", String, primary_key=True),
    ForeignKeyConstraint(
        ["doc_id", "ordinal"],
        ["event_mentions.doc_id", "event_mentions.ordinal"],
        ondelete="CASCADE",
    ),
    Index("ix_event_weapon_classes_weapon_class", "weapon_class"),
)

quotes = Table(
    "quotes",
    metadata,
    *_provenance(),
    Column("id", String, nullable=False, index=True),
    Column("text", Text, nullable=False),
    Column("speaker", Text),
    Column("speaker_actor", String, index=True),
    Column("channel", String),
)

claims = Table(
    "claims",
    metadata,
    *_provenance(),
    Column("id", String, nullable=False, index=True),
    Column("kind", String(16), nullable=False),
    Column("about", String, nullable=False),
    Column("actor", String),
    Column("evidence", Text, nullable=False),
    Column("target", String),
    Column("value", Integer),
    Column("since", String(16)),
    Column("period_start", Date),
    Column("period_end", Date),
)

extraction_runs = Table(
    "extraction_runs",
    metadata,
    Column("doc_id", HASH, ForeignKey("documents.id", ondelete="CASCADE"), primary_key=True),
    Column("version", String, nullable=False),
    Column("pack_sha256", String, nullable=False),
    # sha256 of the stored extraction: saving the identical extraction again writes nothing.
    Column("digest", HASH, nullable=False),
    Column("finished_at", String(32), nullable=False),
    Index("ix_extraction_runs_version_pack", "version", "pack_sha256"),
)

# -- reference data (issue 4): public records, kept apart from what extraction found -------

reference_sets = Table(
    "reference_sets",
    metadata,
    Column("name", String(64), primary_key=True),  # cns-2026, cns-2023, nuclear, or the user's
    Column("format", String(16), nullable=False),
    Column("source", Text, nullable=False),  # the file it was imported from
    Column("sha256", HASH, nullable=False),  # of the file's bytes
    Column("imported_at", String(32), nullable=False),
    Column("rows", Integer, nullable=False),
    Column("refused", Integer, nullable=False),
    Column("warnings", Integer, nullable=False),
)

# One row per row of the file (one missile, or one nuclear test), as reference.ReferenceTest.
reference_rows = Table(
    "reference_rows",
    metadata,
    Column(
        "set_name", String(64), ForeignKey("reference_sets.name", ondelete="CASCADE"),
        primary_key=True,
    ),
    Column("line", Integer, primary_key=True),
    Column("kind", String(16), nullable=False),
    Column("date_start", Date, nullable=False, index=True),
    Column("date_end", Date, nullable=False),
    Column("time_utc", String(8)),
    Column("system", String),
    Column("weapon_class", String),
    Column("facility", String),
    Column("latitude", Double),
    Column("longitude", Double),
    Column("outcome", String(16), nullable=False),
    Column("apogee_km", Double),
    Column("distance_km", Double),
    Column("yield_kt", Double),
)

# -- consolidation (issue 4): one record per real-world event -------------------------------

# A syndicated copy or light reprint and the article it copies (never itself a copy).
document_links = Table(
    "document_links",
    metadata,
    Column("doc_id", HASH, ForeignKey("documents.id", ondelete="CASCADE"), primary_key=True),
    Column(
        "original_id", HASH, ForeignKey("documents.id", ondelete="CASCADE"), nullable=False,
        index=True,
    ),
    Column("similarity", Double, nullable=False),
)

# Near-duplicate detection, kept so that each run only sketches the new articles: one row per
# article sketched, its LSH band keys, and the verified near-duplicate pairs (doc_id < other_id).
document_sketches = Table(
    "document_sketches",
    metadata,
    Column("doc_id", HASH, ForeignKey("documents.id", ondelete="CASCADE"), primary_key=True),
    Column("bands", Integer, nullable=False),  # 0 for a text with no words
)

document_bands = Table(
    "document_bands",
    metadata,
    Column("band_key", String(96), primary_key=True),  # "band:hex of its hash values"
    Column(
        "doc_id", HASH, ForeignKey("documents.id", ondelete="CASCADE"), primary_key=True,
        index=True,
    ),
)

document_pairs = Table(
    "document_pairs",
    metadata,
    Column("doc_id", HASH, ForeignKey("documents.id", ondelete="CASCADE"), primary_key=True),
    Column(
        "other_id", HASH, ForeignKey("documents.id", ondelete="CASCADE"), primary_key=True,
        index=True,
    ),
    Column("similarity", Double, nullable=False),
)

events = Table(
    "events",
    metadata,
    Column("id", String(32), primary_key=True),  # stable: the id of the report that founded it
    Column("type", String, nullable=False),
    Column("actor", String),
    Column("target", String, index=True),
    Column("modality", String(16), nullable=False),
    Column("weapon", String, index=True),
    Column("weapon_class", Text, nullable=False),  # JSON array
    Column("location", String),
    Column("date_start", Date),
    Column("date_end", Date),
    Column("granularity", String(16), nullable=False),
    Column("time", String(32)),
    Column("count", Integer),
    Column("outcome", String(16)),  # failed | succeeded, where the reports say
    Column("distance_km", Double),
    Column("apogee_km", Double),
    Column("status", String(16), nullable=False, index=True),
    Column("confidence", Double, nullable=False),
    Column("documents", Integer, nullable=False),
    Column("sources", Integer, nullable=False),  # independent sources
    Column("first_reported", String(32)),
    Column("last_reported", String(32)),
    Column("disagreements", Text, nullable=False),  # JSON: attribute -> values, sources, rule
    Column("reference", Text, nullable=False),  # JSON array of reference event keys
    Column("updated_at", String(32), nullable=False),
    # Pages in date order read an index in that order, filtered or not; measured on 100,000
    # events (bench/api.py): a page at offset 90,000 68.6 -> 4.9 ms, a first page of one
    # actor's events 19.5 -> 3.4 ms on SQLite. (date_start, type) covers the timeline by type.
    Index("ix_events_date_start_id", "date_start", "id"),
    Index("ix_events_actor_date_start", "actor", "date_start", "id"),
    Index("ix_events_type_date_start", "type", "date_start", "id"),
    Index("ix_events_date_start_type", "date_start", "type"),
)

# Which event each document event (a row of event_mentions) reports.
event_reports = Table(
    "event_reports",
    metadata,
    Column("doc_id", HASH, primary_key=True),
    Column("ordinal", Integer, primary_key=True),
    Column(
        "event_id", String(32), ForeignKey("events.id", ondelete="CASCADE"), nullable=False,
        index=True,
    ),
    ForeignKeyConstraint(
        ["doc_id", "ordinal"],
        ["event_mentions.doc_id", "event_mentions.ordinal"],
        ondelete="CASCADE",
    ),
)

# What each consolidation run changed, event by event; kept when an event goes away.
event_changes = Table(
    "event_changes",
    metadata,
    Column("seq", Integer, primary_key=True, autoincrement=True),
    Column("event_id", String(32), nullable=False, index=True),
    Column("time", String(32), nullable=False),
    Column("change", String(16), nullable=False),  # created, updated, removed
    Column("detail", Text, nullable=False),  # JSON: the fields that changed, old and new
)

# -- the service (issue 5): feeds watched, API tokens, full-text search ---------------------

# One row per feed or URL list that `watchfloor watch` polls: what it answered last, for
# conditional GETs and for backing off a source that keeps failing.
feeds = Table(
    "feeds",
    metadata,
    Column("url", String(2048), primary_key=True),
    Column("etag", Text),
    Column("last_modified", Text),
    Column("last_checked", String(32)),
    Column("last_ok", String(32)),
    Column("next_due", String(32)),
    Column("failures", Integer, nullable=False),
    Column("last_error", Text),
    Column("entries_seen", Integer, nullable=False),
)

# API tokens: only the SHA-256 of the secret is kept; the id is the token's public part.
api_tokens = Table(
    "api_tokens",
    metadata,
    Column("id", String(16), primary_key=True),
    Column("name", String(128), nullable=False),
    Column("secret_sha256", HASH, nullable=False),
    Column("created_at", String(32), nullable=False),
    Column("last_used_at", String(32)),
    Column("revoked_at", String(32)),
)

# One row (id 1): ``n`` is raised by every write transaction of the store (Store._write),
# ``events_n`` by those that may change what is read of the consolidated events, so that a
# reader knows with one read whether anything changed; ``epoch`` names the database.
data_version = Table(
    "data_version",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=False),
    Column("epoch", String(32), nullable=False),
    Column("n", BigInteger, nullable=False),
    Column("events_n", BigInteger, nullable=False),
)

# Full-text search is not in this metadata: on SQLite it is FTS5 tables kept by triggers, on
# PostgreSQL GIN indexes over to_tsvector; migration 0003 builds them, and the schema
# comparison leaves them out by these names.
SEARCH_OBJECTS = (
    "documents_fts", "quotes_fts", "sentences_fts",
    "ix_documents_search", "ix_quotes_search", "ix_sentences_search",
)


def is_search_object(name: str | None) -> bool:
    """Whether ``name`` is one of the full-text search objects (or an FTS5 shadow table)."""
    return name is not None and name.startswith(SEARCH_OBJECTS)


# Extracted tables in the order they are written; deleted in reverse (children first).
EXTRACTED_TABLES: tuple[Table, ...] = (
    sentences,
    actor_mentions,
    weapon_mentions,
    time_expressions,
    event_mentions,
    event_weapon_classes,
    quotes,
    claims,
)

# Every table, in the order counts() reports them.
ALL_TABLES: tuple[Table, ...] = (
    documents,
    rejections,
    *EXTRACTED_TABLES,
    extraction_runs,
    reference_sets,
    reference_rows,
    document_links,
    document_sketches,
    document_bands,
    document_pairs,
    events,
    event_reports,
    event_changes,
    feeds,
    api_tokens,
)
