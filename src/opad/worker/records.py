"""The worker's records beyond a job's transitions: the rows of jobs that arrive by the
Redis protocol alone (no API call made them), the end of a message that cannot run, a
run's result on its article, and what an engine reads about the learner."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from opad.db.models import Article, Job, SavedWord, User, utcnow
from opad.db.session import Database
from opad.engines.base import GenerationRequest, GenerationResult, Usage
from opad.engines.origins import canonical_url
from opad.jobs.records import create_job, job_status_document, transition
from opad.languages import find_language
from opad.learning.states import REVIEWED
from opad.queue.protocol import MAX_ID_LENGTH, JobPayload, status_document
from opad.queue.redis_queue import JobQueue
from opad.queue.status import LiveStatus
from opad.services.jobs import read_live
from opad.states import ArticleStatus, JobStatus
from opad.users import SYSTEM_USER_ID
from opad.worker.messages import BadMessage


def _parse_time(value: str | None) -> datetime:
    if value:
        try:
            parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
            if parsed.tzinfo is not None:
                # In UTC now: a time near year 1 or 9999 would overflow later, at every read.
                return parsed.astimezone(UTC)
        except (ValueError, OverflowError):
            pass
    return utcnow()


def owner_of(session: Session, payload: JobPayload, system_user: str | None) -> str:
    """A protocol job's owner: the `user_id` it carries if that user exists, else the
    configured system user (OPAD_SYSTEM_USER), else the built-in one."""
    wanted = (payload.model_extra or {}).get("user_id")
    if isinstance(wanted, str) and session.get(User, wanted) is not None:
        return wanted
    if system_user:
        user = session.scalar(select(User).where(User.email == system_user.strip().lower()))
        if user is not None:
            return str(user.id)
    return SYSTEM_USER_ID


def ensure_records(
    session: Session, payload: JobPayload, request: GenerationRequest, system_user: str | None
) -> None:
    """Make the article and job rows a protocol-only producer did not make."""
    article = session.get(Article, payload.article_id)
    if article is None:
        article = Article(
            id=payload.article_id,
            owner_id=owner_of(session, payload, system_user),
            language=request.language,
            level=request.level,
            length=request.length,
            topic=request.topic,
            source_text=request.source_text,
            source_url=request.source_url,
            status=ArticleStatus.QUEUED,
        )
        session.add(article)
    if session.get(Job, payload.job_id) is None:
        create_job(
            session,
            article,
            inputs=payload.inputs,
            job_id=payload.job_id,
            created_at=_parse_time(payload.created_at),
        )
    session.flush()


def unrecorded_failure(
    job_id: str, article_id: str | None, error: str, created_at: Any = None
) -> LiveStatus:
    """The failed status of a job whose message is too broken to make an article of.

    `article_id` and `created_at` are the producer's (as sent, when they are text): the
    status must still read as a job status, so a missing one becomes "" / now.
    """
    when = _parse_time(created_at if isinstance(created_at, str) else None)
    return status_document(
        job_id=job_id,
        article_id=article_id or "",
        status="failed",
        progress=0,
        message=f"Failed: {error}"[:500],
        created_at=when,
        finished_at=utcnow(),
        error=error,
    )


def recorded_article(db: Database, job_id: str) -> str | None:
    """The article of the recorded job `job_id`, or None (also for an id no row has)."""
    if len(job_id) > MAX_ID_LENGTH:
        return None
    with db.session() as session:
        return session.scalar(select(Job.article_id).where(Job.id == job_id))


def refuse_message(db: Database, queue: JobQueue, bad: BadMessage) -> None:
    """End the job of a message that cannot run: `failed` with the reason (recorded, or
    only the live status when there is no record) — unless its job_id is another
    article's job, which is left exactly as it is."""
    if bad.job_id is None:
        return  # nothing to hang a status on: the dead letter is all there is
    error = str(bad)
    recorded = recorded_article(db, bad.job_id)
    live = read_live(queue, bad.job_id)
    owner = recorded or (live.article_id if live else None)
    if owner and owner != bad.article_id:
        return
    if recorded:
        with db.session() as session:
            job = transition(
                session, bad.job_id, JobStatus.FAILED, message=f"Failed: {error}"[:500], error=error
            )
            status = job_status_document(job) if job is not None else None
        if status is not None:
            queue.write_if_live(status.document())
        return
    failure = unrecorded_failure(bad.job_id, bad.article_id, error, bad.created_at)
    queue.write_if_live(failure.document())


def save_result(session: Session, article_id: str, key: str, result: GenerationResult) -> bool:
    """Put a made reading's stored `key`, title, counts and usage on its article; False
    when the article is gone (deleted while it was being made)."""
    saved = session.execute(
        update(Article)
        .where(Article.id == article_id)
        .values(
            content_key=key,
            title=result.title[:500],
            word_count=result.word_count,
            origin_url=stored_origin(result),
            **usage_columns(result.usage),
        )
        .returning(Article.id),
        execution_options={"synchronize_session": False},
    ).first()
    return saved is not None


def stored_origin(result: GenerationResult) -> str | None:
    """What a reading is recorded as made from, for "already read": its source's
    canonical URL, else the id of a text without one ("library:en/city-parks")."""
    if result.source.url:
        return canonical_url(result.source.url)[:2000]
    return result.source.origin[:2000] if result.source.origin else None


USED_SOURCES_LIMIT = 500  # the learner's most recent readings in that language


def used_sources(session: Session, article_id: str) -> list[str]:
    """The pages the article's owner already has readings from in its language, newest
    first (so an engine can avoid a second reading from the same article)."""
    row = session.execute(
        select(Article.owner_id, Article.language).where(Article.id == article_id)
    ).first()
    if row is None:
        return []
    urls = session.scalars(
        select(Article.origin_url)
        .where(
            Article.owner_id == row.owner_id,
            Article.language == row.language,
            Article.origin_url.is_not(None),
            Article.id != article_id,
        )
        .order_by(Article.created_at.desc())
        .limit(USED_SOURCES_LIMIT)
    )
    return [u for u in urls if u]


REUSE_LIMIT = 50  # the learner's most recently touched words: the ones being learned now


def reuse_words(session: Session, article_id: str) -> list[str]:
    """Lemmas the article's owner is learning (saved as new or learning) in its language,
    most recently changed first, for the engine to reuse (the crew) or prefer (leveler)."""
    row = session.execute(
        select(Article.owner_id, Article.language).where(Article.id == article_id)
    ).first()
    lang = find_language(row.language) if row else None
    if row is None or lang is None:
        return []
    return list(
        session.scalars(
            select(SavedWord.lemma)
            .where(
                SavedWord.user_id == row.owner_id,
                SavedWord.language == lang.code,
                SavedWord.state.in_([state.value for state in REVIEWED]),
            )
            .order_by(SavedWord.updated_at.desc(), SavedWord.lemma)
            .limit(REUSE_LIMIT)
        )
    )


def usage_columns(usage: Usage | None) -> dict[str, Any]:
    """The article columns of a result's usage (none for an engine without an LLM)."""
    if usage is None or not (usage.prompt_tokens or usage.completion_tokens):
        return {}
    return {
        "prompt_tokens": usage.prompt_tokens,
        "completion_tokens": usage.completion_tokens,
        "cost_usd": usage.cost_usd,
        "llm_model": (usage.model or "")[:200] or None,
    }
