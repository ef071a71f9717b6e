"""One paragraph a day (issue 31): daily plans, the reading made for each learner,
language and day (unique: exactly once), and the learners' secret feed tokens.

Revision ID: 0013_daily
Revises: 0012_reliability
Create Date: 2026-12-07
"""

import sqlalchemy as sa
from alembic import op

revision = "0013_daily"
down_revision = "0012_reliability"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "daily_plans",
        sa.Column("id", sa.String(36), nullable=False),
        sa.Column("user_id", sa.String(36), nullable=False),
        sa.Column("language", sa.String(40), nullable=False),
        sa.Column("level", sa.String(2), nullable=False),
        sa.Column("length", sa.Integer(), nullable=False),
        sa.Column("topics", sa.JSON(), nullable=False),
        sa.Column("at_time", sa.String(5), nullable=False),
        sa.Column("time_zone", sa.String(64), nullable=False),
        sa.Column("coverage", sa.Float(), nullable=True),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name="fk_daily_plans_user_id_users",
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name="pk_daily_plans"),
        sa.UniqueConstraint("user_id", "language", name="uq_daily_plans_user_language"),
    )
    op.create_index("ix_daily_plans_active", "daily_plans", ["active"])
    op.create_table(
        "daily_readings",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("plan_id", sa.String(36), nullable=True),
        sa.Column("user_id", sa.String(36), nullable=False),
        sa.Column("language", sa.String(40), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("article_id", sa.String(36), nullable=True),
        sa.Column("job_id", sa.String(36), nullable=True),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("topic", sa.String(200), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("read_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["plan_id"],
            ["daily_plans.id"],
            name="fk_daily_readings_plan_id_daily_plans",
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name="fk_daily_readings_user_id_users",
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["article_id"],
            ["articles.id"],
            name="fk_daily_readings_article_id_articles",
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name="pk_daily_readings"),
        sa.UniqueConstraint(
            "user_id", "language", "day", name="uq_daily_readings_user_language_day"
        ),
    )
    op.create_index("ix_daily_readings_article_id", "daily_readings", ["article_id"])
    op.create_index("ix_daily_readings_day", "daily_readings", ["day"])
    op.create_table(
        "daily_feeds",
        sa.Column("user_id", sa.String(36), nullable=False),
        sa.Column("token_hash", sa.String(64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name="fk_daily_feeds_user_id_users",
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("user_id", name="pk_daily_feeds"),
        sa.UniqueConstraint("token_hash", name="uq_daily_feeds_token_hash"),
    )


def downgrade() -> None:
    op.drop_table("daily_feeds")
    op.drop_table("daily_readings")
    op.drop_table("daily_plans")
