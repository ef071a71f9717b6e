"""How the word was read where it was saved (`word_contexts.reading`): furigana, pinyin or
romanization from the reading's typed body, for review cards and Anki/CSV exports.

Revision ID: 0011_reading
Revises: 0010
Create Date: 2026-12-07
"""

import sqlalchemy as sa
from alembic import op

revision = "0011_reading"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("word_contexts", sa.Column("reading", sa.String(200), nullable=True))


def downgrade() -> None:
    # SQLite drops a column by copying the table: batch mode does that.
    with op.batch_alter_table("word_contexts") as batch:
        batch.drop_column("reading")
