"""Runs recovered after Redis lost them (`jobs.recoveries`): a job is put back once.

Revision ID: 0012_reliability
Revises: 0011_security
Create Date: 2026-12-07
"""

import sqlalchemy as sa
from alembic import op

revision = "0012_reliability"
down_revision = "0011_security"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("jobs", sa.Column("recoveries", sa.Integer(), nullable=False, server_default="0"))


def downgrade() -> None:
    # SQLite drops a column by copying the table: batch mode does that.
    with op.batch_alter_table("jobs") as batch:
        batch.drop_column("recoveries")
