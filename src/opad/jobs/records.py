"""A job's database record: the one way a job is created and the one way it changes.

- `create_job`: a new `queued` job for an article (the API's POST /generate, and the
  worker for a job that arrived by the Redis protocol alone); the article follows it.
- `transition`: every later change — a worker's start, progress-free ends, retries and
  hand-backs, a learner's cancel, an operator's retry (`operator=True`, the declared edge
  of states.OPERATOR_RETRY) — as one conditional UPDATE that the state machine allows.
- `job_status_document` / `job_payload`: the live status and the protocol message of a row.

Imports the models and the states only (no Redis, no services), so every caller passes
the session it works in.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from functools import cache
from typing import Any, cast

from sqlalchemy import Executable, Table, bindparam, insert, update
from sqlalchemy.orm import Session

from opad.db.models import Article, Job, utcnow
from opad.queue.status import LiveStatus, iso
from opad.states import ARTICLE_STATUS_FOR_JOB, ArticleStatus, JobStatus, sources_of

QUEUED_MESSAGE = "Job queued..."


def new_job_id() -> str:
    """A fresh job id (a UUID with dashes, 36 characters)."""
    return str(uuid.uuid4())


def create_job(
    session: Session,
    article: Article,
    *,
    inputs: dict[str, Any],
    engine: str | None = None,
    job_id: str | None = None,
    created_at: datetime | None = None,
) -> Job:
    """Add a `queued` job for `article` to the session (the caller commits) and make it the
    article's latest job, the article `queued` with it. `job_id`: a producer's id (else a
    new one); `created_at`: a producer's time (else now)."""
    job = Job(
        id=job_id or new_job_id(),
        article_id=article.id,
        status=JobStatus.QUEUED,
        progress=0,
        message=QUEUED_MESSAGE,
        attempts=0,
        fence=0,
        engine=engine,
        inputs=inputs,
        created_at=created_at or utcnow(),
    )
    session.add(job)
    article.latest_job_id = job.id
    article.status = ArticleStatus.QUEUED
    return job


ARTICLE_COLUMNS = ("id", "owner_id", "language", "level", "length", "topic", "source_text",
                   "source_url", "status", "latest_job_id", "created_at", "updated_at")  # fmt: skip
JOB_COLUMNS = ("id", "article_id", "status", "progress", "message", "error", "attempts",
               "fence", "recoveries", "engine", "inputs", "created_at")  # fmt: skip
Step = tuple[Executable, dict[str, Any]]


@cache
def _inserts(one_statement: bool) -> tuple[Executable, ...]:
    # Built once: compiling a new statement per request was a tenth of POST /generate's CPU.
    articles, jobs = cast(Table, Article.__table__), cast(Table, Job.__table__)
    first = insert(articles).values(
        {c: bindparam(f"a_{c}", type_=articles.c[c].type) for c in ARTICLE_COLUMNS}
    )
    second = insert(jobs).values(
        {c: bindparam(f"j_{c}", type_=jobs.c[c].type) for c in JOB_COLUMNS}
    )
    if one_statement:
        return (second.add_cte(first.returning(articles.c.id).cte("new_article")),)
    return first, second


def new_article_and_job(
    article: dict[str, Any], *, inputs: dict[str, Any], engine: str | None, one_statement: bool
) -> tuple[list[Step], dict[str, Any]]:
    """Core INSERTs for a new `queued` article and its `queued` job (POST /generate's
    record, without the ORM's unit of work): ((statement, parameters) for
    `Database.run_one`, the job's columns). `article`: the article's own columns (id,
    owner_id, language, level, length, topic, source_text, source_url). `one_statement`:
    one INSERT … with the article's INSERT as a data-modifying CTE (PostgreSQL: one round
    trip; the job's foreign key is checked at the end of the statement, when both rows
    exist), else two INSERTs, article first (SQLite).

    The rows are what `create_job` makes through the ORM: the same states, message and
    counters, the article's `latest_job_id` pointing at the job.
    """
    now = utcnow()
    job = {
        "id": new_job_id(),
        "article_id": article["id"],
        "status": JobStatus.QUEUED,
        "progress": 0,
        "message": QUEUED_MESSAGE,
        "error": None,
        "attempts": 0,
        "fence": 0,
        "recoveries": 0,
        "engine": engine,
        "inputs": inputs,
        "created_at": now,
    }
    row = {
        **article,
        "status": ArticleStatus.QUEUED,
        "latest_job_id": job["id"],
        "created_at": now,
        "updated_at": now,
    }
    article_params = {f"a_{c}": row[c] for c in ARTICLE_COLUMNS}
    job_params = {f"j_{c}": job[c] for c in JOB_COLUMNS}
    statements = _inserts(one_statement)
    if one_statement:
        return [(statements[0], {**article_params, **job_params})], job
    return [(statements[0], article_params), (statements[1], job_params)], job


def transition(
    session: Session,
    job_id: str,
    status: JobStatus,
    *,
    token: int | None = None,
    operator: bool = False,
    where: Any = None,
    **values: Any,
) -> Job | None:
    """Move job `job_id` to `status`, setting the columns in `values`; returns the updated
    row, or None when refused (no such job, or a state that may not move to `status`).

    One conditional UPDATE … RETURNING: only from a state that may move to `status`
    (states.can_transition; `operator` also allows the manual retry), with `token` only
    while it is the job's newest run (`jobs.fence`), and with `where` (a SQL condition)
    only when that holds too. A terminal `status` stamps `finished_at` (unless given). The
    article follows while this job is its latest. The UPDATE takes the row's write lock,
    so a concurrent start or completion waits for this transaction and then sees the new
    state.
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


def job_payload(job: Job) -> dict[str, Any]:
    """The protocol message that runs a recorded job (what `POST /generate` pushes):
    `{"job_id", "article_id", "inputs", "created_at"}`."""
    return {
        "job_id": job.id,
        "article_id": job.article_id,
        "inputs": job.inputs,
        "created_at": iso(job.created_at),
    }
