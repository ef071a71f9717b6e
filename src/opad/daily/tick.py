"""The daily tick: every worker, every OPAD_DAILY_TICK seconds, makes the readings due.

Exactly once per plan and learner-day, whatever the number of workers: the reading's row
in `daily_readings` has a unique (plan_id, day), and it is inserted with INSERT … ON
CONFLICT DO NOTHING in the same transaction as the reading's article and queued job. The
worker whose insert took the row commits the three together; every other worker's insert
does nothing (on PostgreSQL it waits for the first transaction, then sees the row), so
no second job is ever recorded. The job is then pushed like any other (the enqueue outbox
pushes it if Redis fails right then) and runs through the normal pipeline and engine.

A day whose job failed gets another job, up to OPAD_DAILY_RETRIES more, while the day is
still the newest due: the row's job id is swapped by a compare-and-set UPDATE, so two
workers seeing the same failure make one new job. Only the newest due day is ever made:
days that passed while everything was down are not made up.
"""

from __future__ import annotations

import logging
import random
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

import redis
from sqlalchemy import insert, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from opad.bootstrap import Services
from opad.daily.schedule import due_day, topic_for
from opad.db.models import Article, DailyPlan, DailyReading, Job
from opad.jobs import ArticleStatus, JobStatus
from opad.jobs.records import create_job, job_payload, job_status_document, new_job_id
from opad.metrics import JOBS_ENQUEUED

log = logging.getLogger("opad.daily")


@dataclass(frozen=True)
class TickReport:
    """What one tick did: readings made, failed days given another job."""

    made: list[tuple[str, date]]  # (plan id, day)
    retried: list[tuple[str, date]]


def _insert_day(session: Session, values: dict[str, Any]) -> int | None:
    """INSERT the day's row unless one exists; its id, or None when another had it."""
    dialect = session.get_bind().dialect.name
    if dialect == "postgresql":
        stmt: Any = postgresql.insert(DailyReading).values(**values).on_conflict_do_nothing()
    elif dialect == "sqlite":
        stmt = sqlite.insert(DailyReading).values(**values).on_conflict_do_nothing()
    else:  # pragma: no cover - the two databases OPAD supports are above
        stmt = insert(DailyReading).values(**values)
    row = session.execute(stmt.returning(DailyReading.id)).first()
    return None if row is None else int(row[0])


def _make(services: Services, plan: DailyPlan, day: date) -> Job | None:
    """Record the plan's reading for `day` (row, article, queued job) in one transaction;
    None when another worker recorded it first."""
    topic = topic_for(list(plan.topics), day)
    with services.db.session() as session:
        reading_id = _insert_day(
            session,
            {
                "plan_id": plan.id,
                "user_id": plan.user_id,
                "day": day,
                "attempts": 1,
                "topic": topic,
            },
        )
        if reading_id is None:
            return None
        article = Article(
            id=str(uuid.uuid4()),
            owner_id=plan.user_id,
            language=plan.language,
            level=plan.level,
            length=plan.length,
            topic=topic,
            status=ArticleStatus.DRAFT,
        )
        session.add(article)
        session.flush()
        job = _new_job(session, services, article)
        session.execute(
            update(DailyReading)
            .where(DailyReading.id == reading_id)
            .values(article_id=article.id, job_id=job.id)
        )
    return job


def _new_job(
    session: Session, services: Services, article: Article, job_id: str | None = None
) -> Job:
    inputs = {
        "language": article.language,
        "level": article.level,
        "length": article.length,
        "topic": article.topic,
    }
    return create_job(
        session, article, inputs=inputs, engine=services.settings.engine, job_id=job_id
    )


def _push(services: Services, job: Job) -> None:
    """LPUSH after the commit; if Redis fails now the outbox pushes the recorded job."""
    try:
        services.queue.enqueue(job_payload(job), job_status_document(job).document())
    except redis.RedisError as exc:
        log.warning("daily job %s recorded, not pushed (%s): the outbox will", job.id, exc)
    else:
        JOBS_ENQUEUED.inc()


def _retry(services: Services, reading_id: int, old_job_id: str) -> Job | None:
    """A new job for a day whose job failed, if this worker's compare-and-set wins."""
    with services.db.session() as session:
        reading = session.get(DailyReading, reading_id)
        if reading is None or reading.article_id is None:
            return None
        article = session.get(Article, reading.article_id)
        if article is None:
            return None
        job_id = new_job_id()
        swapped = session.execute(
            update(DailyReading)
            .where(DailyReading.id == reading_id, DailyReading.job_id == old_job_id)
            .values(attempts=DailyReading.attempts + 1, job_id=job_id)
            .returning(DailyReading.id)
        ).first()
        if swapped is None:
            return None
        return _new_job(session, services, article, job_id)


def tick(services: Services, now: datetime) -> TickReport:
    """Make every reading due at `now` (aware) that no one has made yet, and give failed
    days of the newest due day another job. Safe to run in any number of processes at
    once. Raises what the database or Redis raise (the worker's loop logs it and ticks
    again)."""
    lead = timedelta(minutes=services.settings.daily_lead_minutes)
    earliest = (now - timedelta(days=2)).date()
    with services.db.session() as session:
        plans = list(session.scalars(select(DailyPlan).where(DailyPlan.active.is_(True))))
        made_rows = session.execute(
            select(
                DailyReading.plan_id, DailyReading.day, DailyReading.id, DailyReading.job_id
            ).where(DailyReading.day >= earliest)
        ).all()
    made = {(r.plan_id, r.day): (r.id, r.job_id) for r in made_rows}
    due: list[tuple[DailyPlan, date]] = []
    failed_candidates: list[tuple[DailyPlan, date, int, str]] = []
    for plan in plans:
        day = due_day(plan.at_time, plan.time_zone, now, lead)
        if day is None:
            continue
        found = made.get((plan.id, day))
        if found is None:
            due.append((plan, day))
        elif found[1]:
            failed_candidates.append((plan, day, found[0], found[1]))
    # Workers ticking together start at different plans: fewer inserts that find the row.
    random.shuffle(due)
    report = TickReport(made=[], retried=[])
    for plan, day in due:
        job = _make(services, plan, day)
        if job is not None:
            report.made.append((plan.id, day))
            _push(services, job)
    for plan, day, reading_id, job_id in _failed(services, failed_candidates):
        job = _retry(services, reading_id, job_id)
        if job is not None:
            report.retried.append((plan.id, day))
            log.info(
                "daily reading of plan %s for %s failed: job %s tries again", plan.id, day, job.id
            )
            _push(services, job)
    if report.made:
        log.info("daily tick made %d reading(s)", len(report.made))
    return report


def _failed(
    services: Services, candidates: list[tuple[DailyPlan, date, int, str]]
) -> list[tuple[DailyPlan, date, int, str]]:
    """The candidates whose newest job failed and that have retries left."""
    if not candidates:
        return []
    limit = 1 + services.settings.daily_retries
    with services.db.session() as session:
        ids = [c[3] for c in candidates]
        failed = set(
            session.scalars(select(Job.id).where(Job.id.in_(ids), Job.status == JobStatus.FAILED))
        )
        if not failed:
            return []
        attempts: dict[int, int] = {
            row.id: row.attempts
            for row in session.execute(
                select(DailyReading.id, DailyReading.attempts).where(
                    DailyReading.id.in_([c[2] for c in candidates if c[3] in failed])
                )
            )
        }
    return [c for c in candidates if c[3] in failed and attempts.get(c[2], limit) < limit]


def tick_now(services: Services, clock: Callable[[], datetime]) -> TickReport:
    """One tick at the plans' clock's now (the worker's loop calls this)."""
    return tick(services, clock())
