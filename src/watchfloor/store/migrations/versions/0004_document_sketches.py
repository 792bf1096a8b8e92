"""Near-duplicate sketches kept between runs: which articles are sketched, their LSH band keys,
and the verified near-duplicate pairs, so that consolidation sketches only new articles; and
indexes on events in date order (alone, by actor, by type) for the API's pages and timeline.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-07

Written out in full: a migration is a frozen snapshot of its revision. The tables start empty:
the first consolidation after this migration sketches every article once.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

HASH = sa.String(length=64)
INDEXES = (
    ("ix_events_date_start_id", ["date_start", "id"]),
    ("ix_events_actor_date_start", ["actor", "date_start", "id"]),
    ("ix_events_type_date_start", ["type", "date_start", "id"]),
    ("ix_events_date_start_type", ["date_start", "type"]),
)
REPLACED = (("ix_events_date_start", "date_start"), ("ix_events_actor", "actor"),
            ("ix_events_type", "type"))


def upgrade() -> None:
    op.create_table(
        "document_sketches",
        sa.Column("doc_id", HASH, nullable=False),
        sa.Column("bands", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["doc_id"], ["documents.id"], ondelete="CASCADE",
                                name=op.f("fk_document_sketches_doc_id_documents")),
        sa.PrimaryKeyConstraint("doc_id", name=op.f("pk_document_sketches")),
    )
    op.create_table(
        "document_bands",
        sa.Column("band_key", sa.String(length=96), nullable=False),
        sa.Column("doc_id", HASH, nullable=False),
        sa.ForeignKeyConstraint(["doc_id"], ["documents.id"], ondelete="CASCADE",
                                name=op.f("fk_document_bands_doc_id_documents")),
        sa.PrimaryKeyConstraint("band_key", "doc_id", name=op.f("pk_document_bands")),
    )
    op.create_index(op.f("ix_document_bands_doc_id"), "document_bands", ["doc_id"])
    op.create_table(
        "document_pairs",
        sa.Column("doc_id", HASH, nullable=False),
        sa.Column("other_id", HASH, nullable=False),
        sa.Column("similarity", sa.Double(), nullable=False),
        sa.ForeignKeyConstraint(["doc_id"], ["documents.id"], ondelete="CASCADE",
                                name=op.f("fk_document_pairs_doc_id_documents")),
        sa.ForeignKeyConstraint(["other_id"], ["documents.id"], ondelete="CASCADE",
                                name=op.f("fk_document_pairs_other_id_documents")),
        sa.PrimaryKeyConstraint("doc_id", "other_id", name=op.f("pk_document_pairs")),
    )
    op.create_index(op.f("ix_document_pairs_other_id"), "document_pairs", ["other_id"])
    for name, columns in INDEXES:
        op.create_index(name, "events", columns)
    for name, _column in REPLACED:
        op.drop_index(name, table_name="events")


def downgrade() -> None:
    for name, column in REPLACED:
        op.create_index(name, "events", [column])
    for name, _columns in INDEXES:
        op.drop_index(name, table_name="events")
    op.drop_index(op.f("ix_document_pairs_other_id"), table_name="document_pairs")
    op.drop_table("document_pairs")
    op.drop_index(op.f("ix_document_bands_doc_id"), table_name="document_bands")
    op.drop_table("document_bands")
    op.drop_table("document_sketches")
