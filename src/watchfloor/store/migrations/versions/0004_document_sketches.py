"""Near-duplicate sketches kept between runs: which articles are sketched, their LSH band keys,
and the verified near-duplicate pairs, so that consolidation sketches only new articles.

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


def downgrade() -> None:
    op.drop_index(op.f("ix_document_pairs_other_id"), table_name="document_pairs")
    op.drop_table("document_pairs")
    op.drop_index(op.f("ix_document_bands_doc_id"), table_name="document_bands")
    op.drop_table("document_bands")
    op.drop_table("document_sketches")
