"""The learner's side: explanation language, lookup cache, saved words, contexts, reviews.

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-29
"""

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "learner_profiles",
        sa.Column("user_id", sa.String(36), nullable=False),
        sa.Column("explain_in", sa.String(8), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_learner_profiles_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("user_id", name=op.f("pk_learner_profiles")),
    )
    op.create_table(
        "lookup_cache",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("language", sa.String(8), nullable=False),
        sa.Column("explain_in", sa.String(8), nullable=False),
        sa.Column("lemma", sa.String(200), nullable=False),
        sa.Column("context", sa.String(64), nullable=False),
        sa.Column("entry", sa.JSON(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_lookup_cache")),
        sa.UniqueConstraint(
            "language", "explain_in", "lemma", "context", name="uq_lookup_cache_key"
        ),
    )
    op.create_table(
        "saved_words",
        sa.Column("id", sa.String(36), nullable=False),
        sa.Column("user_id", sa.String(36), nullable=False),
        sa.Column("language", sa.String(8), nullable=False),
        sa.Column("lemma", sa.String(200), nullable=False),
        sa.Column("state", sa.String(16), nullable=False),
        sa.Column("stage", sa.Integer(), nullable=False),
        sa.Column("level", sa.String(2), nullable=True),
        sa.Column("meaning", sa.Text(), nullable=True),
        sa.Column("notes", sa.Text(), nullable=True),
        sa.Column("card", sa.JSON(), nullable=True),
        sa.Column("due", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_saved_words_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_saved_words")),
        sa.UniqueConstraint("user_id", "language", "lemma", name="uq_saved_words_user_lemma"),
    )
    op.create_index("ix_saved_words_user_id_due", "saved_words", ["user_id", "due"])
    op.create_index("ix_saved_words_user_id_state", "saved_words", ["user_id", "state"])
    op.create_table(
        "word_contexts",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("word_id", sa.String(36), nullable=False),
        sa.Column("form", sa.String(200), nullable=False),
        sa.Column("sentence", sa.Text(), nullable=False),
        sa.Column("article_id", sa.String(36), nullable=True),
        sa.Column("article_title", sa.String(500), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["word_id"],
            ["saved_words.id"],
            name=op.f("fk_word_contexts_word_id_saved_words"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_word_contexts")),
    )
    op.create_index(op.f("ix_word_contexts_word_id"), "word_contexts", ["word_id"])
    op.create_table(
        "reviews",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("word_id", sa.String(36), nullable=False),
        sa.Column("user_id", sa.String(36), nullable=False),
        sa.Column("rating", sa.Integer(), nullable=False),
        sa.Column("reviewed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("next_due", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_reviews_user_id_users"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["word_id"],
            ["saved_words.id"],
            name=op.f("fk_reviews_word_id_saved_words"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_reviews")),
    )
    op.create_index(op.f("ix_reviews_word_id"), "reviews", ["word_id"])
    op.create_index("ix_reviews_user_id_reviewed_at", "reviews", ["user_id", "reviewed_at"])


def downgrade() -> None:
    op.drop_table("reviews")
    op.drop_table("word_contexts")
    op.drop_table("saved_words")
    op.drop_table("lookup_cache")
    op.drop_table("learner_profiles")
