"""Job records and status: every state change goes through this module."""

from __future__ import annotations

import json
import uuid
from datetime import datetime
from typing import Any

from pydantic import ValidationError
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from opad.bootstrap import Services
from opad.db.models import Article, Job, utcnow
from opad.errors import Conflict, NotFound
from opad.jobs import ARTICLE_STATUS_FOR_JOB, JobStatus, can_transition, sources_of
from opad.jobs.status import LiveStatus
from opad.queue.protocol import iso, status_document


def new_job_id() -> str:
    """A fresh job id."""
    return str(uuid.uuid4())


def job_status_document(job: Job) -> LiveStatus:
    """The live status of a job row (what opad:job:{id} holds while it lives)."""
    return LiveStatus(
        id=job.id,
        article_id=job.article_id,
        status=job.status,
        progress=job.progress,
        message=job.message,
        created_at=job.created_at,
        started_at=job.started_at,
        finished_at=job.finished_at,
        error=job.error,
        attempts=job.attempts,
    )


def read_live(services: Services, job_id: str) -> LiveStatus | None:
    """The live status at opad:job:{id}, or None when there is none (expired, never
    written) or what is there is not a status document (a producer's broken write).
    A RedisError passes through."""
    raw = services.queue.read_status(job_id)
    if raw is None:
        return None
    try:
        return LiveStatus.parse(raw)
    except ValidationError:
        return None


def job_payload(job: Job) -> dict[str, Any]:
    """The protocol message that runs a recorded job (what `POST /generate` pushes)."""
    return {
        "job_id": job.id,
        "article_id": job.article_id,
        "inputs": job.inputs,
        "created_at": iso(job.created_at),
    }


class IllegalTransition(Exception):
    """A status write that the state machine refuses (e.g. after a terminal state)."""


def _sync_article(session: Session, job: Job, status: JobStatus) -> None:
    article = session.get(Article, job.article_id)
    if article is not None and article.latest_job_id == job.id:
        article.status = ARTICLE_STATUS_FOR_JOB[status]


def apply_transition(
    session: Session,
    job: Job,
    status: JobStatus,
    *,
    progress: int | None = None,
    message: str | None = None,
    error: str | None = None,
    at: datetime | None = None,
) -> None:
    """Move a loaded job row (and its article) to `status`, stamping the finish time."""
    current = job.status
    if not can_transition(current, status):
        raise IllegalTransition(f"job {job.id}: {current} → {status} is not allowed")
    job.status = status
    if progress is not None:
        job.progress = progress
    if message is not None:
        job.message = message
    if error is not None:
        job.error = error
    if status.is_terminal:
        job.finished_at = at or utcnow()
    _sync_article(session, job, status)


def fenced_transition(
    session: Session,
    job_id: str,
    token: int | None,
    status: JobStatus,
    *,
    where: Any = None,
    operator: bool = False,
    **values: Any,
) -> Job | None:
    """Conditional UPDATE: only from a state that may move to `status`, and (with a token)
    only while `token` is the job's newest run; `operator` also allows the declared manual
    retry (jobs/states.OPERATOR_RETRY). Returns the updated row, or None if refused.

    The UPDATE takes the row's write lock, so a concurrent start or completion waits for
    this transaction and then sees the new state.
    """
    query = update(Job).where(
        Job.id == job_id, Job.status.in_(sources_of(status, operator=operator))
    )
    if token is not None:
        query = query.where(Job.fence == token)
    if where is not None:
        query = query.where(where)
    if status.is_terminal:
        values.setdefault("finished_at", utcnow())
    # One statement: UPDATE … RETURNING (SQLite ≥ 3.35, PostgreSQL); no read-back.
    job = session.execute(
        query.values(status=status, **values).returning(Job),
        # The row may be in the session already (just created): refresh it from RETURNING.
        execution_options={"synchronize_session": False, "populate_existing": True},
    ).scalar_one_or_none()
    if job is None:
        return None
    session.execute(
        update(Article)
        .where(Article.id == job.article_id, Article.latest_job_id == job.id)
        .values(status=ARTICLE_STATUS_FOR_JOB[status]),
        execution_options={"synchronize_session": False},
    )
    return job


def job_owner(services: Services, job_id: str) -> str | None:
    """Who owns a job (through its article), or None when the database has no record."""
    with services.db.session() as session:
        return session.scalar(
            select(Article.owner_id).join(Job, Job.article_id == Article.id).where(Job.id == job_id)
        )


def check_job_owner(services: Services, job_id: str, owner_id: str | None) -> None:
    """404 unless the job belongs to `owner_id` (None: no check) — no existence leak."""
    if owner_id is not None and job_owner(services, job_id) != owner_id:
        raise NotFound(f"no job with id {job_id}")


def read_job(services: Services, job_id: str, owner_id: str | None = None) -> LiveStatus:
    """A job's live status from Redis, else its record in the database (after the TTL)."""
    check_job_owner(services, job_id, owner_id)
    live = read_live(services, job_id)  # a RedisError is the API's one 503
    if live is not None:
        return live
    with services.db.session() as session:
        job = session.get(Job, job_id)
        if job is None:
            raise NotFound(f"no job with id {job_id}")
        return job_status_document(job)


def cancel_job(services: Services, job_id: str, owner_id: str | None = None) -> LiveStatus:
    """Cancel a queued or running job: a queued one never runs, a running one stops at its
    next step (its progress writes are refused from now on)."""
    check_job_owner(services, job_id, owner_id)
    services.queue.ping()  # before the record changes: a RedisError is the API's one 503
    with services.db.session() as session:
        job = fenced_transition(session, job_id, None, JobStatus.CANCELLED, message="Cancelled")
        if job is None:
            existing = session.get(Job, job_id)
            if existing is None:
                raise NotFound(f"no job with id {job_id}")
            raise Conflict(f"job {job_id} already {existing.status}")
        status = job_status_document(job)
    services.queue.write_if_live(status.document())
    return status


def retry_dead(services: Services, job_id: str) -> LiveStatus:
    """Re-enqueue a dead-lettered job with a fresh retry budget (`opad jobs retry`)."""
    with services.db.session() as session:
        recorded = session.scalar(select(Job.status).where(Job.id == job_id))
    if recorded is not None and not can_transition(recorded, JobStatus.QUEUED, operator=True):
        # Live or ended well (a refused duplicate's letter names another article's job):
        # that job is left as it is, and so is the dead letter.
        raise Conflict(f"job {job_id} is {recorded}: only a failed job can be retried")
    entry = services.queue.take_dead_letter(job_id)
    if entry is None:
        raise NotFound(f"no dead letter for job {job_id}")
    with services.db.session() as session:
        # The operator's retry: the declared edge out of `failed`, with a new budget.
        job = fenced_transition(
            session,
            job_id,
            None,
            JobStatus.QUEUED,
            operator=True,
            attempts=0,
            progress=0,
            error=None,
            finished_at=None,
            message="Job queued again by hand...",
        )
        if job is not None:
            status = job_status_document(job)
        else:
            payload = json.loads(entry["payload"])
            status = status_document(
                job_id=job_id,
                article_id=payload.get("article_id", ""),
                status="queued",
                progress=0,
                message="Job queued again by hand...",
                created_at=payload.get("created_at"),
            )
    services.queue.force_status(status.document())
    services.queue.push(entry["payload"])
    return status
