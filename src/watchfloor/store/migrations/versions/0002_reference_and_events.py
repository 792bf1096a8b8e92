"""Reference data and consolidated events: reference sets and their rows, near-duplicate
document links, canonical events with their reports, the log of what each consolidation
changed, and the time of day and flight figures of an event mention (issue 4).

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-07

Written out in full, as 0001 is: a migration is a frozen snapshot of its revision.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

HASH = sa.String(length=64)
STAMP = sa.String(length=32)
EVENT_ID = sa.String(length=32)


def upgrade() -> None:
    # the moment of an act, where the text gives a time of day (ISO 8601 with its offset)
    with op.batch_alter_table("event_mentions") as batch:
        batch.add_column(sa.Column("time", sa.String(length=32), nullable=True))
        batch.add_column(sa.Column("distance_km", sa.Double(), nullable=True))
        batch.add_column(sa.Column("apogee_km", sa.Double(), nullable=True))

    op.create_table(
        "reference_sets",
        sa.Column("name", sa.String(length=64), nullable=False),
        sa.Column("format", sa.String(length=16), nullable=False),
        sa.Column("source", sa.Text(), nullable=False),
        sa.Column("sha256", HASH, nullable=False),
        sa.Column("imported_at", STAMP, nullable=False),
        sa.Column("rows", sa.Integer(), nullable=False),
        sa.Column("refused", sa.Integer(), nullable=False),
        sa.Column("warnings", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("name", name=op.f("pk_reference_sets")),
    )
    op.create_table(
        "reference_rows",
        sa.Column("set_name", sa.String(length=64), nullable=False),
        sa.Column("line", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("date_start", sa.Date(), nullable=False),
        sa.Column("date_end", sa.Date(), nullable=False),
        sa.Column("time_utc", sa.String(length=8), nullable=True),
        sa.Column("system", sa.String(), nullable=True),
        sa.Column("weapon_class", sa.String(), nullable=True),
        sa.Column("facility", sa.String(), nullable=True),
        sa.Column("latitude", sa.Double(), nullable=True),
        sa.Column("longitude", sa.Double(), nullable=True),
        sa.Column("outcome", sa.String(length=16), nullable=False),
        sa.Column("apogee_km", sa.Double(), nullable=True),
        sa.Column("distance_km", sa.Double(), nullable=True),
        sa.Column("yield_kt", sa.Double(), nullable=True),
        sa.ForeignKeyConstraint(
            ["set_name"],
            ["reference_sets.name"],
            name=op.f("fk_reference_rows_set_name_reference_sets"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("set_name", "line", name=op.f("pk_reference_rows")),
    )
    op.create_index(op.f("ix_reference_rows_date_start"), "reference_rows", ["date_start"])

    op.create_table(
        "document_links",
        sa.Column("doc_id", HASH, nullable=False),
        sa.Column("original_id", HASH, nullable=False),
        sa.Column("similarity", sa.Double(), nullable=False),
        sa.ForeignKeyConstraint(
            ["doc_id"], ["documents.id"],
            name=op.f("fk_document_links_doc_id_documents"), ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["original_id"], ["documents.id"],
            name=op.f("fk_document_links_original_id_documents"), ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("doc_id", name=op.f("pk_document_links")),
    )
    op.create_index(op.f("ix_document_links_original_id"), "document_links", ["original_id"])

    op.create_table(
        "events",
        sa.Column("id", EVENT_ID, nullable=False),
        sa.Column("type", sa.String(), nullable=False),
        sa.Column("actor", sa.String(), nullable=True),
        sa.Column("target", sa.String(), nullable=True),
        sa.Column("modality", sa.String(length=16), nullable=False),
        sa.Column("weapon", sa.String(), nullable=True),
        sa.Column("weapon_class", sa.Text(), nullable=False),
        sa.Column("location", sa.String(), nullable=True),
        sa.Column("date_start", sa.Date(), nullable=True),
        sa.Column("date_end", sa.Date(), nullable=True),
        sa.Column("granularity", sa.String(length=16), nullable=False),
        sa.Column("time", sa.String(length=32), nullable=True),
        sa.Column("count", sa.Integer(), nullable=True),
        sa.Column("outcome", sa.String(length=16), nullable=True),
        sa.Column("distance_km", sa.Double(), nullable=True),
        sa.Column("apogee_km", sa.Double(), nullable=True),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("confidence", sa.Double(), nullable=False),
        sa.Column("documents", sa.Integer(), nullable=False),
        sa.Column("sources", sa.Integer(), nullable=False),
        sa.Column("first_reported", STAMP, nullable=True),
        sa.Column("last_reported", STAMP, nullable=True),
        sa.Column("disagreements", sa.Text(), nullable=False),
        sa.Column("reference", sa.Text(), nullable=False),
        sa.Column("updated_at", STAMP, nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_events")),
    )
    for column in ("type", "actor", "target", "weapon", "date_start", "status"):
        op.create_index(op.f(f"ix_events_{column}"), "events", [column])

    op.create_table(
        "event_reports",
        sa.Column("doc_id", HASH, nullable=False),
        sa.Column("ordinal", sa.Integer(), nullable=False),
        sa.Column("event_id", EVENT_ID, nullable=False),
        sa.ForeignKeyConstraint(
            ["doc_id", "ordinal"],
            ["event_mentions.doc_id", "event_mentions.ordinal"],
            name=op.f("fk_event_reports_doc_id_event_mentions"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["event_id"], ["events.id"],
            name=op.f("fk_event_reports_event_id_events"), ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("doc_id", "ordinal", name=op.f("pk_event_reports")),
    )
    op.create_index(op.f("ix_event_reports_event_id"), "event_reports", ["event_id"])

    op.create_table(
        "event_changes",
        sa.Column("seq", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("event_id", EVENT_ID, nullable=False),
        sa.Column("time", STAMP, nullable=False),
        sa.Column("change", sa.String(length=16), nullable=False),
        sa.Column("detail", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("seq", name=op.f("pk_event_changes")),
    )
    op.create_index(op.f("ix_event_changes_event_id"), "event_changes", ["event_id"])


def downgrade() -> None:
    for table in (
        "event_changes",
        "event_reports",
        "events",
        "document_links",
        "reference_rows",
        "reference_sets",
    ):
        op.drop_table(table)
    with op.batch_alter_table("event_mentions") as batch:
        for column in ("apogee_km", "distance_km", "time"):
            batch.drop_column(column)
