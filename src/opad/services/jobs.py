"""Job records and status writes: every state change goes through `transition`."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

import redis
from sqlalchemy.orm import Session

from opad.bootstrap import Services
from opad.db.models import Article, Job, utcnow
from opad.errors import DependencyUnavailable, NotFound
from opad.jobs import ARTICLE_STATUS_FOR_JOB, JobStatus, can_transition
from opad.queue.protocol import iso, status_document


def new_job_id() -> str:
    """A fresh job id."""
    return str(uuid.uuid4())


def job_status_document(job: Job) -> dict[str, Any]:
    """The protocol status JSON for a job row."""
    return status_document(
        job_id=job.id,
        article_id=job.article_id,
        status=job.status,
        progress=job.progress,
        message=job.message,
        created_at=iso(job.created_at),
        started_at=iso(job.started_at),
        finished_at=iso(job.finished_at),
        error=job.error,
        attempts=job.attempts,
    )


class IllegalTransition(Exception):
    """A status write that the state machine refuses (e.g. after a terminal state)."""


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
    """Move a job row (and its article) to `status`, stamping start and finish times."""
    current = JobStatus(job.status)
    if not can_transition(current, status):
        raise IllegalTransition(f"job {job.id}: {current} → {status} is not allowed")
    now = at or utcnow()
    job.status = status.value
    if progress is not None:
        job.progress = progress
    if message is not None:
        job.message = message
    if error is not None:
        job.error = error
    if status == JobStatus.RUNNING and current != JobStatus.RUNNING:
        job.started_at = now
        job.attempts += 1
    if status.is_terminal:
        job.finished_at = now
    article = session.get(Article, job.article_id)
    if article is not None and article.latest_job_id == job.id:
        article.status = ARTICLE_STATUS_FOR_JOB[status].value


def read_job(services: Services, job_id: str) -> dict[str, Any]:
    """A job's live status from Redis, else its record in the database (after the TTL)."""
    try:
        live = services.queue.read_status(job_id)
    except redis.RedisError as exc:
        raise DependencyUnavailable("queue", f"Redis did not answer: {exc}") from exc
    if live is not None:
        return live
    with services.db.session() as session:
        job = session.get(Job, job_id)
        if job is None:
            raise NotFound(f"no job with id {job_id}")
        return job_status_document(job)
