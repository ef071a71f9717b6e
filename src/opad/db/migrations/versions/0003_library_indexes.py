"""Indexes for the library's queries: each filter, newest first.

`GET /articles` filters by status, or by language (and level), and orders by created_at:
a composite index per filter serves both the WHERE and the ORDER BY … LIMIT, and makes
the single-column indexes it starts with redundant.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-28
"""

from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_articles_status_created_at", "articles", ["status", "created_at"])
    op.create_index(
        "ix_articles_language_level_created_at", "articles", ["language", "level", "created_at"]
    )
    op.drop_index("ix_articles_status", table_name="articles")
    op.drop_index("ix_articles_language_level", table_name="articles")


def downgrade() -> None:
    op.create_index("ix_articles_language_level", "articles", ["language", "level"])
    op.create_index("ix_articles_status", "articles", ["status"])
    op.drop_index("ix_articles_language_level_created_at", table_name="articles")
    op.drop_index("ix_articles_status_created_at", table_name="articles")
