"""Tokens that expire, and an outbox of stored objects still to delete.

- api_tokens.kind: "session" (a browser's sign-in: expires after OPAD_SESSION_IDLE_DAYS
  without use) or "personal" (CLI, scripts); the web's earlier sign-ins become sessions,
  so the ones nobody uses any more expire instead of living forever.
- api_tokens.expires_at: an optional fixed expiry of a personal token.
- pending_deletions: an article's stored objects that must still go (the record is gone
  already); the worker's maintenance loop retries them while the object store is down.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-29
"""

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("api_tokens") as batch:
        batch.add_column(
            sa.Column("kind", sa.String(16), nullable=False, server_default="personal")
        )
        batch.add_column(sa.Column("expires_at", sa.DateTime(timezone=True), nullable=True))
    op.execute(sa.text("UPDATE api_tokens SET kind = 'session' WHERE name = 'web sign-in'"))
    op.create_table(
        "pending_deletions",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("article_id", sa.String(36), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False, server_default="0"),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_pending_deletions")),
    )


def downgrade() -> None:
    op.drop_table("pending_deletions")
    with op.batch_alter_table("api_tokens") as batch:
        batch.drop_column("expires_at")
        batch.drop_column("kind")
