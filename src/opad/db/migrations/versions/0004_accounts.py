"""Users, personal API tokens, and an owner for every article.

Existing articles were made by a local install: they go to the built-in local user.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-28
"""

from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

SYSTEM_USER_ID = "00000000-0000-0000-0000-000000000001"
LOCAL_USER_ID = "00000000-0000-0000-0000-000000000002"
NOW = datetime.now(UTC)


def upgrade() -> None:
    users = op.create_table(
        "users",
        sa.Column("id", sa.String(36), nullable=False),
        sa.Column("email", sa.String(254), nullable=False),
        sa.Column("password_hash", sa.String(200), nullable=True),
        sa.Column("is_admin", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_users")),
        sa.UniqueConstraint("email", name=op.f("uq_users_email")),
    )
    op.bulk_insert(
        users,
        [
            {
                "id": SYSTEM_USER_ID,
                "email": "system@opad.invalid",
                "password_hash": None,
                "is_admin": False,
                "created_at": NOW,
            },
            {
                "id": LOCAL_USER_ID,
                "email": "local@opad.invalid",
                "password_hash": None,
                "is_admin": True,
                "created_at": NOW,
            },
        ],
    )
    op.create_table(
        "api_tokens",
        sa.Column("id", sa.String(36), nullable=False),
        sa.Column("user_id", sa.String(36), nullable=False),
        sa.Column("name", sa.String(100), nullable=False),
        sa.Column("token_hash", sa.String(64), nullable=False),
        sa.Column("prefix", sa.String(16), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_used_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("revoked_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_api_tokens_user_id_users"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_api_tokens")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_api_tokens_token_hash")),
    )
    op.create_index(op.f("ix_api_tokens_user_id"), "api_tokens", ["user_id"])
    with op.batch_alter_table("articles") as batch:
        batch.add_column(sa.Column("owner_id", sa.String(36), nullable=True))
    op.execute(sa.text(f"UPDATE articles SET owner_id = '{LOCAL_USER_ID}'"))
    with op.batch_alter_table("articles") as batch:
        batch.alter_column("owner_id", existing_type=sa.String(36), nullable=False)
        batch.create_foreign_key(
            op.f("fk_articles_owner_id_users"), "users", ["owner_id"], ["id"], ondelete="CASCADE"
        )
        batch.create_index("ix_articles_owner_id_created_at", ["owner_id", "created_at"])


def downgrade() -> None:
    with op.batch_alter_table("articles") as batch:
        batch.drop_index("ix_articles_owner_id_created_at")
        batch.drop_constraint(op.f("fk_articles_owner_id_users"), type_="foreignkey")
        batch.drop_column("owner_id")
    op.drop_index(op.f("ix_api_tokens_user_id"), table_name="api_tokens")
    op.drop_table("api_tokens")
    op.drop_table("users")
