"""A job as the API and the operator see it: read (Redis, else the record), cancel, retry.

The record itself (create, transition) is jobs/records.py; every change goes through it.
Each function takes what it touches: the database, the queue. A `redis.RedisError`
passes through (the API answers it with its one 503, api/errors.py).
"""

from __future__ import annotations

import json

from pydantic import ValidationError
from sqlalchemy import select

from opad.db.models import Article, Job
from opad.db.session import Database
from opad.errors import Conflict, NotFound
from opad.jobs.records import job_status_document, transition
from opad.queue.protocol import status_document
from opad.queue.redis_queue import JobQueue
from opad.queue.status import LiveStatus
from opad.states import JobStatus, can_transition


def read_live(queue: JobQueue, job_id: str) -> LiveStatus | None:
    """The live status at opad:job:{id}, or None when there is none (expired, never
    written) or what is there is not a status document (a producer's broken write).
    A RedisError passes through."""
    raw = queue.read_status(job_id)
    if raw is None:
        return None
    try:
        return LiveStatus.parse(raw)
    except ValidationError:
        return None


def job_owner(db: Database, job_id: str) -> str | None:
    """Who owns a job (through its article), or None when the database has no record."""
    with db.session() as session:
        return session.scalar(
            select(Article.owner_id).join(Job, Job.article_id == Article.id).where(Job.id == job_id)
        )


def check_job_owner(db: Database, job_id: str, owner_id: str | None) -> None:
    """404 unless the job belongs to `owner_id` (None: no check) — no existence leak."""
    if owner_id is not None and job_owner(db, job_id) != owner_id:
        raise NotFound(f"no job with id {job_id}")


def read_job(db: Database, queue: JobQueue, job_id: str, owner_id: str | None = None) -> LiveStatus:
    """A job's live status from Redis, else its record in the database (after the TTL);
    NotFound when neither has it, or it is not `owner_id`'s (None: anyone's)."""
    check_job_owner(db, job_id, owner_id)
    live = read_live(queue, job_id)
    if live is not None:
        return live
    with db.session() as session:
        job = session.get(Job, job_id)
        if job is None:
            raise NotFound(f"no job with id {job_id}")
        return job_status_document(job)


def cancel_job(
    db: Database, queue: JobQueue, job_id: str, owner_id: str | None = None
) -> LiveStatus:
    """Cancel a queued or running job: a queued one never runs, a running one stops at its
    next step (its progress writes are refused from now on). NotFound, or Conflict when
    the job has already ended."""
    check_job_owner(db, job_id, owner_id)
    queue.ping()  # before the record changes: Redis down changes nothing
    with db.session() as session:
        job = transition(session, job_id, JobStatus.CANCELLED, message="Cancelled")
        if job is None:
            existing = session.get(Job, job_id)
            if existing is None:
                raise NotFound(f"no job with id {job_id}")
            raise Conflict(f"job {job_id} already {existing.status}")
        status = job_status_document(job)
    queue.write_if_live(status.document())
    return status


def retry_dead(db: Database, queue: JobQueue, job_id: str) -> LiveStatus:
    """Re-enqueue a dead-lettered job with a fresh retry budget (`opad jobs retry`): the
    operator's edge failed → queued. NotFound without a dead letter; Conflict when the
    recorded job is not failed."""
    with db.session() as session:
        recorded = session.scalar(select(Job.status).where(Job.id == job_id))
    if recorded is not None and not can_transition(recorded, JobStatus.QUEUED, operator=True):
        # Live or ended well (a refused duplicate's letter names another article's job):
        # that job is left as it is, and so is the dead letter.
        raise Conflict(f"job {job_id} is {recorded}: only a failed job can be retried")
    entry = queue.take_dead_letter(job_id)
    if entry is None:
        raise NotFound(f"no dead letter for job {job_id}")
    with db.session() as session:
        # The operator's retry: the declared edge out of `failed`, with a new budget.
        job = transition(
            session,
            job_id,
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
                status=JobStatus.QUEUED,
                progress=0,
                message="Job queued again by hand...",
                created_at=payload.get("created_at"),
            )
    queue.force_status(status.document())
    queue.push(entry["payload"])
    return status
