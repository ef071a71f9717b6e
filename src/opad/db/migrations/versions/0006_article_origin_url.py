"""The page each reading was made from (`articles.origin_url`), whatever chose it.

The leveler uses it not to make the same learner a second reading from an article they
already have one from; `source_url` stays what the learner asked for.

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-29
"""

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("articles", sa.Column("origin_url", sa.String(2000), nullable=True))


def downgrade() -> None:
    # SQLite drops a column by copying the table: batch mode does that.
    with op.batch_alter_table("articles") as batch:
        batch.drop_column("origin_url")
