"""The service (issue 5): the state of watched feeds, API tokens (hashed), an index on
document URLs, and full-text search over articles, quotes and sentences.

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-07

Full-text search differs by backend, so it is written as SQL here and left out of schema.py:

- SQLite: FTS5 tables ``documents_fts`` (title, text), ``quotes_fts`` (text, speaker) and
  ``sentences_fts`` (text: an event is found by the sentences that report it), with
  external content (they hold the index only, the text stays in its table), kept in step by
  triggers on insert, update and delete. The porter stemmer makes "launches" find "launch".
  A later migration that rebuilds ``documents`` or ``quotes`` in batch mode drops these
  triggers and renumbers rowids: it must recreate both and run the FTS5 'rebuild' command.
- PostgreSQL: GIN indexes over ``to_tsvector('english', ...)`` of the same columns; the store's
  search query repeats the indexed expression exactly, so the planner uses the index.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

STAMP = sa.String(length=32)

SQLITE_SEARCH = (
    "CREATE VIRTUAL TABLE documents_fts USING fts5(title, text, content='documents', "
    "content_rowid='rowid', tokenize='porter unicode61')",
    "CREATE TRIGGER documents_fts_insert AFTER INSERT ON documents BEGIN "
    "INSERT INTO documents_fts(rowid, title, text) VALUES (new.rowid, new.title, new.text); END",
    "CREATE TRIGGER documents_fts_delete AFTER DELETE ON documents BEGIN "
    "INSERT INTO documents_fts(documents_fts, rowid, title, text) "
    "VALUES ('delete', old.rowid, old.title, old.text); END",
    "CREATE TRIGGER documents_fts_update AFTER UPDATE ON documents BEGIN "
    "INSERT INTO documents_fts(documents_fts, rowid, title, text) "
    "VALUES ('delete', old.rowid, old.title, old.text); "
    "INSERT INTO documents_fts(rowid, title, text) VALUES (new.rowid, new.title, new.text); END",
    "INSERT INTO documents_fts(documents_fts) VALUES ('rebuild')",
    "CREATE VIRTUAL TABLE quotes_fts USING fts5(text, speaker, content='quotes', "
    "content_rowid='rowid', tokenize='porter unicode61')",
    "CREATE TRIGGER quotes_fts_insert AFTER INSERT ON quotes BEGIN "
    "INSERT INTO quotes_fts(rowid, text, speaker) VALUES (new.rowid, new.text, new.speaker); END",
    "CREATE TRIGGER quotes_fts_delete AFTER DELETE ON quotes BEGIN "
    "INSERT INTO quotes_fts(quotes_fts, rowid, text, speaker) "
    "VALUES ('delete', old.rowid, old.text, old.speaker); END",
    "CREATE TRIGGER quotes_fts_update AFTER UPDATE ON quotes BEGIN "
    "INSERT INTO quotes_fts(quotes_fts, rowid, text, speaker) "
    "VALUES ('delete', old.rowid, old.text, old.speaker); "
    "INSERT INTO quotes_fts(rowid, text, speaker) VALUES (new.rowid, new.text, new.speaker); END",
    "INSERT INTO quotes_fts(quotes_fts) VALUES ('rebuild')",
    "CREATE VIRTUAL TABLE sentences_fts USING fts5(text, content='sentences', "
    "content_rowid='rowid', tokenize='porter unicode61')",
    "CREATE TRIGGER sentences_fts_insert AFTER INSERT ON sentences BEGIN "
    "INSERT INTO sentences_fts(rowid, text) VALUES (new.rowid, new.text); END",
    "CREATE TRIGGER sentences_fts_delete AFTER DELETE ON sentences BEGIN "
    "INSERT INTO sentences_fts(sentences_fts, rowid, text) VALUES ('delete', old.rowid, old.text); "
    "END",
    "CREATE TRIGGER sentences_fts_update AFTER UPDATE ON sentences BEGIN "
    "INSERT INTO sentences_fts(sentences_fts, rowid, text) VALUES ('delete', old.rowid, old.text); "
    "INSERT INTO sentences_fts(rowid, text) VALUES (new.rowid, new.text); END",
    "INSERT INTO sentences_fts(sentences_fts) VALUES ('rebuild')",
)

POSTGRES_SEARCH = (
    "CREATE INDEX ix_documents_search ON documents USING gin "
    "(to_tsvector('english', coalesce(title, '') || ' ' || text))",
    "CREATE INDEX ix_quotes_search ON quotes USING gin "
    "(to_tsvector('english', coalesce(speaker, '') || ' ' || text))",
    "CREATE INDEX ix_sentences_search ON sentences USING gin (to_tsvector('english', text))",
)


def upgrade() -> None:
    op.create_table(
        "feeds",
        sa.Column("url", sa.String(length=2048), nullable=False),
        sa.Column("etag", sa.Text(), nullable=True),
        sa.Column("last_modified", sa.Text(), nullable=True),
        sa.Column("last_checked", STAMP, nullable=True),
        sa.Column("last_ok", STAMP, nullable=True),
        sa.Column("next_due", STAMP, nullable=True),
        sa.Column("failures", sa.Integer(), nullable=False),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.Column("entries_seen", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("url", name=op.f("pk_feeds")),
    )
    op.create_table(
        "api_tokens",
        sa.Column("id", sa.String(length=16), nullable=False),
        sa.Column("name", sa.String(length=128), nullable=False),
        sa.Column("secret_sha256", sa.String(length=64), nullable=False),
        sa.Column("created_at", STAMP, nullable=False),
        sa.Column("last_used_at", STAMP, nullable=True),
        sa.Column("revoked_at", STAMP, nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_api_tokens")),
    )
    op.create_index("ix_documents_url", "documents", ["url"], unique=False)
    statements = SQLITE_SEARCH if op.get_context().dialect.name == "sqlite" else POSTGRES_SEARCH
    for statement in statements:
        op.execute(statement)


def downgrade() -> None:
    if op.get_context().dialect.name == "sqlite":
        for name in ("documents_fts", "quotes_fts", "sentences_fts"):
            for event in ("insert", "delete", "update"):
                op.execute(f"DROP TRIGGER {name}_{event}")
            op.execute(f"DROP TABLE {name}")
    else:
        op.drop_index("ix_sentences_search", table_name="sentences")
        op.drop_index("ix_quotes_search", table_name="quotes")
        op.drop_index("ix_documents_search", table_name="documents")
    op.drop_index("ix_documents_url", table_name="documents")
    op.drop_table("api_tokens")
    op.drop_table("feeds")
