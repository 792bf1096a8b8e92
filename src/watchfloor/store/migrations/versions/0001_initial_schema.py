"""Initial schema: documents, rejections, every extracted record family, extraction runs.

Revision ID: 0001
Revises:
Create Date: 2026-11-25

Written out in full rather than imported from schema.py: a migration is a frozen snapshot, and
must still build this revision's tables after schema.py has moved on.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from alembic import op

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

HASH = sa.String(length=64)
STAMP = sa.String(length=32)


def _provenance(table: str) -> list[Any]:
    return [
        sa.Column("doc_id", HASH, nullable=False),
        sa.Column("ordinal", sa.Integer(), nullable=False),
        sa.Column("sentence", sa.Integer(), nullable=False),
        sa.Column("span_start", sa.Integer(), nullable=False),
        sa.Column("span_end", sa.Integer(), nullable=False),
        sa.Column("extractor", sa.String(), nullable=False),
        sa.Column("version", sa.String(), nullable=False),
        sa.Column("pack_sha256", sa.String(), nullable=False),
        sa.Column("confidence", sa.Double(), nullable=False),
        sa.ForeignKeyConstraint(
            ["doc_id"],
            ["documents.id"],
            name=op.f(f"fk_{table}_doc_id_documents"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("doc_id", "ordinal", name=op.f(f"pk_{table}")),
    ]


def _extracted(table: str, *columns: sa.Column[Any]) -> None:
    op.create_table(table, *_provenance(table), *columns)


def _index(table: str, *columns: str, name: str | None = None) -> None:
    op.create_index(op.f(name or f"ix_{table}_{columns[0]}"), table, list(columns))


def upgrade() -> None:
    op.create_table(
        "documents",
        sa.Column("id", HASH, nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("source", sa.Text(), nullable=False),
        sa.Column("title", sa.Text(), nullable=True),
        sa.Column("url", sa.Text(), nullable=True),
        sa.Column("outlet", sa.String(), nullable=True),
        sa.Column("published", sa.String(length=40), nullable=True),
        sa.Column("published_utc", STAMP, nullable=True),
        sa.Column("dateline", sa.String(), nullable=True),
        sa.Column("tz", sa.String(), nullable=True),
        sa.Column("language", sa.String(length=16), nullable=False),
        sa.Column("fetched", sa.String(length=40), nullable=True),
        sa.Column("ingested_at", STAMP, nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_documents")),
    )
    _index("documents", "ingested_at", "id", name="ix_documents_ingested_at_id")
    _index("documents", "published_utc")

    op.create_table(
        "rejections",
        sa.Column("id", HASH, nullable=False),
        sa.Column("source", sa.Text(), nullable=False),
        sa.Column("code", sa.String(length=8), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("time", STAMP, nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_rejections")),
    )

    op.create_table(
        "sentences",
        sa.Column("doc_id", HASH, nullable=False),
        sa.Column("sentence", sa.Integer(), nullable=False),
        sa.Column("span_start", sa.Integer(), nullable=False),
        sa.Column("span_end", sa.Integer(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["doc_id"],
            ["documents.id"],
            name=op.f("fk_sentences_doc_id_documents"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("doc_id", "sentence", name=op.f("pk_sentences")),
    )

    _extracted(
        "actor_mentions",
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("code", sa.String(), nullable=False),
        sa.Column("name", sa.String(), nullable=False),
        sa.Column("kind", sa.String(), nullable=False),
    )
    _index("actor_mentions", "code")

    _extracted(
        "weapon_mentions",
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("system", sa.String(), nullable=True),
        sa.Column("weapon_class", sa.Text(), nullable=False),
        sa.Column("count", sa.Integer(), nullable=True),
    )
    _index("weapon_mentions", "system")

    _extracted(
        "time_expressions",
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("date_start", sa.Date(), nullable=True),
        sa.Column("date_end", sa.Date(), nullable=True),
        sa.Column("granularity", sa.String(length=16), nullable=False),
    )

    _extracted(
        "event_mentions",
        sa.Column("id", sa.String(), nullable=False),
        sa.Column("type", sa.String(), nullable=False),
        sa.Column("actor", sa.String(), nullable=True),
        sa.Column("target", sa.String(), nullable=True),
        sa.Column("modality", sa.String(length=16), nullable=False),
        sa.Column("trigger", sa.Text(), nullable=False),
        sa.Column("weapon", sa.String(), nullable=True),
        sa.Column("weapon_class", sa.Text(), nullable=False),
        sa.Column("location", sa.String(), nullable=True),
        sa.Column("date_start", sa.Date(), nullable=True),
        sa.Column("date_end", sa.Date(), nullable=True),
        sa.Column("granularity", sa.String(length=16), nullable=False),
        sa.Column("date_text", sa.Text(), nullable=True),
        sa.Column("count", sa.Integer(), nullable=True),
        sa.Column("stance", sa.String(), nullable=True),
        sa.Column("status", sa.String(), nullable=True),
        sa.Column("participants", sa.Text(), nullable=False),
        sa.Column("sentences", sa.Text(), nullable=False),
        sa.Column("evidence", sa.Text(), nullable=False),
    )
    for column in ("id", "type", "actor", "target", "modality", "weapon", "date_start"):
        _index("event_mentions", column)

    op.create_table(
        "event_weapon_classes",
        sa.Column("doc_id", HASH, nullable=False),
        sa.Column("ordinal", sa.Integer(), nullable=False),
        sa.Column("weapon_class", sa.String(), nullable=False),
        sa.ForeignKeyConstraint(
            ["doc_id", "ordinal"],
            ["event_mentions.doc_id", "event_mentions.ordinal"],
            name=op.f("fk_event_weapon_classes_doc_id_event_mentions"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint(
            "doc_id", "ordinal", "weapon_class", name=op.f("pk_event_weapon_classes")
        ),
    )
    _index("event_weapon_classes", "weapon_class")

    _extracted(
        "quotes",
        sa.Column("id", sa.String(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("speaker", sa.Text(), nullable=True),
        sa.Column("speaker_actor", sa.String(), nullable=True),
        sa.Column("channel", sa.String(), nullable=True),
    )
    _index("quotes", "id")
    _index("quotes", "speaker_actor")

    _extracted(
        "claims",
        sa.Column("id", sa.String(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("about", sa.String(), nullable=False),
        sa.Column("actor", sa.String(), nullable=True),
        sa.Column("evidence", sa.Text(), nullable=False),
        sa.Column("target", sa.String(), nullable=True),
        sa.Column("value", sa.Integer(), nullable=True),
        sa.Column("since", sa.String(length=16), nullable=True),
        sa.Column("period_start", sa.Date(), nullable=True),
        sa.Column("period_end", sa.Date(), nullable=True),
    )
    _index("claims", "id")

    op.create_table(
        "extraction_runs",
        sa.Column("doc_id", HASH, nullable=False),
        sa.Column("version", sa.String(), nullable=False),
        sa.Column("pack_sha256", sa.String(), nullable=False),
        sa.Column("digest", HASH, nullable=False),
        sa.Column("finished_at", STAMP, nullable=False),
        sa.ForeignKeyConstraint(
            ["doc_id"],
            ["documents.id"],
            name=op.f("fk_extraction_runs_doc_id_documents"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("doc_id", name=op.f("pk_extraction_runs")),
    )
    _index("extraction_runs", "version", "pack_sha256", name="ix_extraction_runs_version_pack")


def downgrade() -> None:
    # Dropping a table drops its indexes on both backends; children before parents.
    for table in (
        "extraction_runs",
        "claims",
        "quotes",
        "event_weapon_classes",
        "event_mentions",
        "time_expressions",
        "weapon_mentions",
        "actor_mentions",
        "sentences",
        "rejections",
        "documents",
    ):
        op.drop_table(table)
