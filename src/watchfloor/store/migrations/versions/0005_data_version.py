"""The data version: one row whose counters the store's write transactions raise, so that a
reader (the API's response cache) learns with one primary-key read whether anything changed
since it last looked: ``n`` counts every write transaction, ``events_n`` those that may change
what is read of the consolidated events (all but saving a new article, a refusal, a feed's
state or a token's use); ``epoch`` tells this database from any other (or from itself
rebuilt), whose counters may stand at the same numbers.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-07

Written out in full: a migration is a frozen snapshot of its revision.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    table = op.create_table(
        "data_version",
        sa.Column("id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("epoch", sa.String(length=32), nullable=False),
        sa.Column("n", sa.BigInteger(), nullable=False),
        sa.Column("events_n", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_data_version")),
    )
    op.bulk_insert(table, [{"id": 1, "epoch": uuid.uuid4().hex, "n": 0, "events_n": 0}])


def downgrade() -> None:
    op.drop_table("data_version")
