"""SQLAlchemy 2.0 typed models."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

from opad.db.types import UTCDateTime, str_enum
from opad.levels import Level
from opad.states import ArticleStatus, JobStatus

# Named constraints so migrations can drop and alter them the same way on every database.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def utcnow() -> datetime:
    """Now, timezone-aware UTC."""
    return datetime.now(UTC)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class User(Base):
    __tablename__ = "users"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    # None for the built-in users, which cannot log in.
    password_hash: Mapped[str | None] = mapped_column(String(200))
    is_admin: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    # IANA name ("Asia/Tokyo"); None until set: UTC. Review days and streaks are in it.
    time_zone: Mapped[str | None] = mapped_column(String(64), default=None)


class ApiToken(Base):
    __tablename__ = "api_tokens"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    user_id: Mapped[str] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(100))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    prefix: Mapped[str] = mapped_column(String(16))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    last_used_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # "session": a browser's sign-in, expiring after OPAD_SESSION_IDLE_DAYS unused;
    # "personal": CLI and scripts, expiring at expires_at if one was chosen.
    kind: Mapped[str] = mapped_column(String(16), default="personal", server_default="personal")
    expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class Article(Base):
    __tablename__ = "articles"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    owner_id: Mapped[str] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    language: Mapped[str] = mapped_column(String(40))
    level: Mapped[Level] = mapped_column(str_enum(Level, 2))
    length: Mapped[int] = mapped_column(Integer)
    topic: Mapped[str] = mapped_column(String(200))
    source_text: Mapped[str | None] = mapped_column(Text)
    source_url: Mapped[str | None] = mapped_column(String(2000))
    # The page the reading was made from (news or a library text's URL), once made.
    origin_url: Mapped[str | None] = mapped_column(String(2000))
    status: Mapped[ArticleStatus] = mapped_column(
        str_enum(ArticleStatus, 16), default=ArticleStatus.DRAFT
    )
    title: Mapped[str | None] = mapped_column(String(500))
    word_count: Mapped[int | None] = mapped_column(Integer)
    content_key: Mapped[str | None] = mapped_column(String(300))
    # What making it took (engines without an LLM leave them empty); per step: the content.
    prompt_tokens: Mapped[int | None] = mapped_column(Integer)
    completion_tokens: Mapped[int | None] = mapped_column(Integer)
    cost_usd: Mapped[float | None] = mapped_column(Float)  # at OPAD_LLM_PRICES when made
    llm_model: Mapped[str | None] = mapped_column(String(200))
    latest_job_id: Mapped[str | None] = mapped_column(String(36))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)

    jobs: Mapped[list[Job]] = relationship(
        back_populates="article", cascade="all, delete-orphan", passive_deletes=True
    )

    __table_args__ = (
        # The library lists newest first, filtered by status or by language and level.
        Index("ix_articles_created_at", "created_at"),
        Index("ix_articles_owner_id_created_at", "owner_id", "created_at"),
        Index("ix_articles_language_level_created_at", "language", "level", "created_at"),
        Index("ix_articles_status_created_at", "status", "created_at"),
    )


class Job(Base):
    __tablename__ = "jobs"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    article_id: Mapped[str] = mapped_column(
        ForeignKey("articles.id", ondelete="CASCADE"), index=True
    )
    status: Mapped[JobStatus] = mapped_column(str_enum(JobStatus, 16), default=JobStatus.QUEUED)
    progress: Mapped[int] = mapped_column(Integer, default=0)
    message: Mapped[str] = mapped_column(String(500), default="")
    error: Mapped[str | None] = mapped_column(Text)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    # Run token, +1 at every start and never decreased: completions must carry the newest.
    fence: Mapped[int] = mapped_column(Integer, default=0)
    # Runs put back on the queue because Redis lost them (services/recovery.py): once only.
    recoveries: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    engine: Mapped[str | None] = mapped_column(String(40))
    inputs: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    started_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    article: Mapped[Article] = relationship(back_populates="jobs")


class PendingDeletion(Base):
    """An article's stored objects still to delete (its record is gone already)."""

    __tablename__ = "pending_deletions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    article_id: Mapped[str] = mapped_column(String(36))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    attempts: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    last_error: Mapped[str | None] = mapped_column(Text)


# --- the learner's side: lookups, saved words, reviews (issue 12) ---
# Words are keyed by user + language + lemma and never point at articles with a foreign
# key: deleting a reading must not lose anything about the learner's words.


class LearnerProfile(Base):
    __tablename__ = "learner_profiles"

    user_id: Mapped[str] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    explain_in: Mapped[str] = mapped_column(String(8), default="en")  # ISO 639-1
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)


class LookupCache(Base):
    __tablename__ = "lookup_cache"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    language: Mapped[str] = mapped_column(String(8))
    explain_in: Mapped[str] = mapped_column(String(8))
    lemma: Mapped[str] = mapped_column(String(200))
    # "" for an installed dictionary's entry; a hash of the sentence for an LLM's.
    context: Mapped[str] = mapped_column(String(64), default="")
    entry: Mapped[dict[str, Any]] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    __table_args__ = (
        UniqueConstraint("language", "explain_in", "lemma", "context", name="uq_lookup_cache_key"),
    )


class SavedWord(Base):
    __tablename__ = "saved_words"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    user_id: Mapped[str] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    language: Mapped[str] = mapped_column(String(8))  # ISO 639-1
    lemma: Mapped[str] = mapped_column(String(200))
    state: Mapped[str] = mapped_column(String(16), default="new")
    stage: Mapped[int] = mapped_column(Integer, default=0)  # 1–4 while learning
    level: Mapped[str | None] = mapped_column(String(2))
    meaning: Mapped[str | None] = mapped_column(Text)
    notes: Mapped[str | None] = mapped_column(Text)
    # The FSRS card, field by field (fsrs.Card.to_dict()).
    card: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    due: Mapped[datetime | None] = mapped_column(UTCDateTime())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)
    # The bulk change that saved the word ("Mark all remaining words known"), so that
    # change can be undone; None for a word saved on its own.
    batch_id: Mapped[str | None] = mapped_column(String(36))

    contexts: Mapped[list[WordContext]] = relationship(
        back_populates="word",
        cascade="all, delete-orphan",
        passive_deletes=True,
        order_by="WordContext.created_at",
    )

    __table_args__ = (
        UniqueConstraint("user_id", "language", "lemma", name="uq_saved_words_user_lemma"),
        Index("ix_saved_words_user_id_due", "user_id", "due"),
        Index("ix_saved_words_user_id_state", "user_id", "state"),
        Index("ix_saved_words_user_id_batch_id", "user_id", "batch_id"),
    )


class WordContext(Base):
    __tablename__ = "word_contexts"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    word_id: Mapped[str] = mapped_column(
        ForeignKey("saved_words.id", ondelete="CASCADE"), index=True
    )
    form: Mapped[str] = mapped_column(String(200))
    sentence: Mapped[str] = mapped_column(Text)
    # How `form` is read (furigana, pinyin, romanization; None in other languages).
    reading: Mapped[str | None] = mapped_column(String(200))
    # Plain copies, no foreign key: the reading may be deleted, the sentence stays.
    article_id: Mapped[str | None] = mapped_column(String(36))
    article_title: Mapped[str | None] = mapped_column(String(500))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    word: Mapped[SavedWord] = relationship(back_populates="contexts")


class Review(Base):
    __tablename__ = "reviews"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    word_id: Mapped[str] = mapped_column(
        ForeignKey("saved_words.id", ondelete="CASCADE"), index=True
    )
    user_id: Mapped[str] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    rating: Mapped[int] = mapped_column(Integer)  # 1 again, 2 hard, 3 good, 4 easy
    reviewed_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    next_due: Mapped[datetime] = mapped_column(UTCDateTime())

    __table_args__ = (Index("ix_reviews_user_id_reviewed_at", "user_id", "reviewed_at"),)


class QuizAttempt(Base):
    """One learner's answers to a reading's questions (the questions live with the reading
    in the content store; here only what the learner chose and how it went)."""

    __tablename__ = "quiz_attempts"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    user_id: Mapped[str] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    article_id: Mapped[str] = mapped_column(ForeignKey("articles.id", ondelete="CASCADE"))
    score: Mapped[int] = mapped_column(Integer)  # right answers
    total: Mapped[int] = mapped_column(Integer)  # questions asked
    # [{"question_id", "choice", "correct"}], in the questions' order.
    answers: Mapped[list[dict[str, Any]]] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    __table_args__ = (
        # The library shows each reading's latest result for one learner.
        Index(
            "ix_quiz_attempts_user_id_article_id_created_at", "user_id", "article_id", "created_at"
        ),
        Index("ix_quiz_attempts_article_id", "article_id"),
    )


class WordStateChange(Base):
    """One change of a saved word's state, so statistics can show words by state over time."""

    __tablename__ = "word_state_changes"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    word_id: Mapped[str] = mapped_column(ForeignKey("saved_words.id", ondelete="CASCADE"))
    user_id: Mapped[str] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    from_state: Mapped[str | None] = mapped_column(String(16))  # None: the word was saved
    to_state: Mapped[str] = mapped_column(String(16))
    changed_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    __table_args__ = (
        Index("ix_word_state_changes_user_id_changed_at", "user_id", "changed_at"),
        Index("ix_word_state_changes_word_id", "word_id"),
    )


class ReadingIndex(Base):
    """A ready reading's running-word total, made from its stored text once (and again
    when the reading changes), so the library computes "known words %" in SQL."""

    __tablename__ = "reading_index"

    article_id: Mapped[str] = mapped_column(
        ForeignKey("articles.id", ondelete="CASCADE"), primary_key=True
    )
    language: Mapped[str] = mapped_column(String(8))  # ISO 639-1, as saved_words.language
    words: Mapped[int] = mapped_column(Integer)
    indexed_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class ReadingLemma(Base):
    """How many running words of a reading have this lemma."""

    __tablename__ = "reading_lemmas"

    article_id: Mapped[str] = mapped_column(
        ForeignKey("reading_index.article_id", ondelete="CASCADE"), primary_key=True
    )
    lemma: Mapped[str] = mapped_column(String(200), primary_key=True)
    count: Mapped[int] = mapped_column(Integer)

    # A learner's known words → the readings that hold them (the library's filter).
    __table_args__ = (Index("ix_reading_lemmas_lemma", "lemma"),)


# --- one paragraph a day (issue 31): plans, the readings made for them, feed tokens ---


class DailyPlan(Base):
    """A learner's standing order: a reading in `language` every day, ready by `at_time`
    in `time_zone`. One plan per learner and language."""

    __tablename__ = "daily_plans"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    user_id: Mapped[str] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    language: Mapped[str] = mapped_column(String(40))  # canonical name, as articles.language
    level: Mapped[Level] = mapped_column(str_enum(Level, 2))
    length: Mapped[int] = mapped_column(Integer)
    # One topic a day, in turn (by the day's ordinal, so a missed day skips its topic).
    topics: Mapped[list[str]] = mapped_column(JSON, default=list)
    at_time: Mapped[str] = mapped_column(String(5))  # "HH:MM", the learner's local time
    time_zone: Mapped[str] = mapped_column(String(64), default="UTC")  # IANA name
    # Share of running words the learner should know (0.5–1.0); None: level only.
    coverage: Mapped[float | None] = mapped_column(Float)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)

    __table_args__ = (
        UniqueConstraint("user_id", "language", name="uq_daily_plans_user_language"),
        Index("ix_daily_plans_active", "active"),
    )


class DailyReading(Base):
    """The one reading of a learner's language for one of their days: the row's unique
    (user_id, language, day) is what makes it exactly once, whatever the number of workers
    (and whatever happens to the plan: deleted and made again, the day stays made)."""

    __tablename__ = "daily_readings"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    plan_id: Mapped[str | None] = mapped_column(ForeignKey("daily_plans.id", ondelete="SET NULL"))
    user_id: Mapped[str] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    language: Mapped[str] = mapped_column(String(40))  # the plan's, canonical name
    day: Mapped[date] = mapped_column(Date)  # the learner's calendar day (plan's zone)
    # The reading (SET NULL: a learner may delete it; the day stays made).
    article_id: Mapped[str | None] = mapped_column(
        ForeignKey("articles.id", ondelete="SET NULL"), index=True
    )
    job_id: Mapped[str | None] = mapped_column(String(36))  # the newest attempt's job
    attempts: Mapped[int] = mapped_column(Integer, default=1)  # jobs made for this day
    topic: Mapped[str] = mapped_column(String(200), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    read_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    __table_args__ = (
        UniqueConstraint("user_id", "language", "day", name="uq_daily_readings_user_language_day"),
        Index("ix_daily_readings_day", "day"),
    )


class DailyFeed(Base):
    """A learner's secret Atom feed address (only its hash is kept); revoked by deleting."""

    __tablename__ = "daily_feeds"

    user_id: Mapped[str] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
