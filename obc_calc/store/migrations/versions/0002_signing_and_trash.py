"""Signed versions and amendments (versions.signed_at, versions.amends) and the trash (deals.deleted_at).

Revision ID: 0002
Revises: 0001
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("versions", sa.Column("signed_at", sa.DateTime(timezone=True), nullable=True))
    op.add_column("versions", sa.Column("amends", sa.Integer, nullable=True))
    op.add_column("deals", sa.Column("deleted_at", sa.DateTime(timezone=True), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("deals") as batch:
        batch.drop_column("deleted_at")
    with op.batch_alter_table("versions") as batch:
        batch.drop_column("amends")
        batch.drop_column("signed_at")
