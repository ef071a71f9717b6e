"""The learner's side, part 2: word state history, and the readings' lemma index for
"known words %" in the library.

Revision ID: 0009
Revises: 0007
Create Date: 2026-11-29
"""

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "word_state_changes",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("word_id", sa.String(36), nullable=False),
        sa.Column("user_id", sa.String(36), nullable=False),
        sa.Column("from_state", sa.String(16), nullable=True),
        sa.Column("to_state", sa.String(16), nullable=False),
        sa.Column("changed_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["word_id"],
            ["saved_words.id"],
            name=op.f("fk_word_state_changes_word_id_saved_words"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_word_state_changes_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_word_state_changes")),
    )
    op.create_index(
        "ix_word_state_changes_user_id_changed_at", "word_state_changes", ["user_id", "changed_at"]
    )
    op.create_index("ix_word_state_changes_word_id", "word_state_changes", ["word_id"])
    # Words saved before this revision: their one known fact is "saved, in this state now".
    op.execute(
        "INSERT INTO word_state_changes (word_id, user_id, from_state, to_state, changed_at) "
        "SELECT id, user_id, NULL, state, created_at FROM saved_words"
    )
    op.create_table(
        "reading_index",
        sa.Column("article_id", sa.String(36), nullable=False),
        sa.Column("language", sa.String(8), nullable=False),
        sa.Column("words", sa.Integer(), nullable=False),
        sa.Column("indexed_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["article_id"],
            ["articles.id"],
            name=op.f("fk_reading_index_article_id_articles"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("article_id", name=op.f("pk_reading_index")),
    )
    op.create_table(
        "reading_lemmas",
        sa.Column("article_id", sa.String(36), nullable=False),
        sa.Column("lemma", sa.String(200), nullable=False),
        sa.Column("count", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["article_id"],
            ["reading_index.article_id"],
            name=op.f("fk_reading_lemmas_article_id_reading_index"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("article_id", "lemma", name=op.f("pk_reading_lemmas")),
    )
    op.create_index("ix_reading_lemmas_lemma", "reading_lemmas", ["lemma"])


def downgrade() -> None:
    op.drop_table("reading_lemmas")
    op.drop_table("reading_index")
    op.drop_table("word_state_changes")
