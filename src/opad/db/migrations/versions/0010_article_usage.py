"""Tokens and cost of each reading on its record (`articles.prompt_tokens`, …).

The article's full usage (per step) stays with its content; these columns let the usage
page add up a learner's readings in one query instead of reading every stored object.

Revision ID: 0010
Revises: 0009
Create Date: 2026-11-29
"""

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None

COLUMNS = ("prompt_tokens", "completion_tokens", "cost_usd", "llm_model")


def upgrade() -> None:
    op.add_column("articles", sa.Column("prompt_tokens", sa.Integer(), nullable=True))
    op.add_column("articles", sa.Column("completion_tokens", sa.Integer(), nullable=True))
    op.add_column("articles", sa.Column("cost_usd", sa.Float(), nullable=True))
    op.add_column("articles", sa.Column("llm_model", sa.String(200), nullable=True))


def downgrade() -> None:
    # SQLite drops a column by copying the table: batch mode does that.
    with op.batch_alter_table("articles") as batch:
        for column in COLUMNS:
            batch.drop_column(column)
