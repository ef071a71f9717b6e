"""A job as the API and the operator see it: read (Redis, else the record), cancel, retry.

The record itself (create, transition) is jobs/records.py; every change goes through it.
"""

from __future__ import annotations

import json

from pydantic import ValidationError
from sqlalchemy import select

from opad.bootstrap import Services
from opad.db.models import Article, Job
from opad.errors import Conflict, NotFound
from opad.jobs import JobStatus, can_transition
from opad.jobs.records import job_status_document, transition
from opad.jobs.status import LiveStatus
from opad.queue.protocol import status_document


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
        job = transition(session, job_id, JobStatus.CANCELLED, message="Cancelled")
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
                status="queued",
                progress=0,
                message="Job queued again by hand...",
                created_at=payload.get("created_at"),
            )
    services.queue.force_status(status.document())
    services.queue.push(entry["payload"])
    return status
