"""Saved words remember the bulk change that made them ("Mark all remaining words known"),
so the learner can undo that change (`saved_words.batch_id`).

Revision ID: 0014_firsthour
Revises: 0013_daily
Create Date: 2026-12-07
"""

import sqlalchemy as sa
from alembic import op

revision = "0014_firsthour"
down_revision = "0013_daily"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("saved_words", sa.Column("batch_id", sa.String(36), nullable=True))
    op.create_index("ix_saved_words_user_id_batch_id", "saved_words", ["user_id", "batch_id"])


def downgrade() -> None:
    op.drop_index("ix_saved_words_user_id_batch_id", table_name="saved_words")
    # SQLite drops a column by copying the table: batch mode does that.
    with op.batch_alter_table("saved_words") as batch:
        batch.drop_column("batch_id")
