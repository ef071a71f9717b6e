"""The daily tick: every worker, every OPAD_DAILY_TICK seconds, makes the readings due.

Exactly once per plan and learner-day, whatever the number of workers: the reading's row
in `daily_readings` has a unique (learner, language, day), inserted with INSERT … ON
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
from opad.jobs.records import create_job, job_payload, job_status_document, new_job_id
from opad.metrics import JOBS_ENQUEUED
from opad.states import ArticleStatus, JobStatus

log = logging.getLogger("opad.daily")

BATCH = 100  # readings recorded per transaction


@dataclass(frozen=True)
class TickReport:
    """What one tick did: readings made, failed days given another job."""

    made: list[str]  # the new jobs' article ids
    retried: list[tuple[str, date]]  # (plan id, day)


def _insert_days(session: Session, rows: list[dict[str, Any]]) -> list[Any]:
    """INSERT the days' rows, skipping those that exist; the rows this insert took (id,
    plan_id, day)."""
    dialect = session.get_bind().dialect.name
    if dialect == "postgresql":
        stmt: Any = postgresql.insert(DailyReading).values(rows).on_conflict_do_nothing()
    elif dialect == "sqlite":
        stmt = sqlite.insert(DailyReading).values(rows).on_conflict_do_nothing()
    else:  # pragma: no cover - the two databases OPAD supports are above
        stmt = insert(DailyReading).values(rows)
    returning = stmt.returning(DailyReading.id, DailyReading.plan_id, DailyReading.day)
    return list(session.execute(returning).all())


def _make(services: Services, due: list[tuple[DailyPlan, date]]) -> list[Job]:
    """Record the readings of `due` (rows, articles, queued jobs) in one transaction; the
    jobs of the rows this call took (another worker may have taken some first)."""
    plans = {plan.id: plan for plan, _ in due}
    values = [
        {
            "plan_id": plan.id,
            "user_id": plan.user_id,
            "language": plan.language,
            "day": day,
            "attempts": 1,
            "topic": topic_for(list(plan.topics), day),
        }
        for plan, day in due
    ]
    jobs: list[Job] = []
    with services.db.session() as session:
        taken = _insert_days(session, values)
        links = []
        for row in taken:
            plan = plans[row.plan_id]
            article = Article(
                id=str(uuid.uuid4()),
                owner_id=plan.user_id,
                language=plan.language,
                level=plan.level,
                length=plan.length,
                topic=topic_for(list(plan.topics), row.day),
                status=ArticleStatus.DRAFT,
            )
            session.add(article)
            job = _new_job(session, services, article)
            jobs.append(job)
            links.append({"id": row.id, "article_id": article.id, "job_id": job.id})
        if links:
            session.flush()  # the articles before the rows point at them
            session.execute(update(DailyReading), links)
    return jobs


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
        # The recent days already made, with their newest job's state (one query).
        made_rows = session.execute(
            select(
                DailyReading.user_id,
                DailyReading.language,
                DailyReading.day,
                DailyReading.id,
                DailyReading.job_id,
                DailyReading.attempts,
                Job.status,
            )
            .outerjoin(Job, Job.id == DailyReading.job_id)
            .where(DailyReading.day >= earliest)
        ).all()
    made = {(r.user_id, r.language, r.day): r for r in made_rows}
    limit = 1 + services.settings.daily_retries
    due: list[tuple[DailyPlan, date]] = []
    failed: list[tuple[DailyPlan, date, int, str]] = []
    for plan in plans:
        day = due_day(plan.at_time, plan.time_zone, now, lead)
        if day is None:
            continue
        found = made.get((plan.user_id, plan.language, day))
        if found is None:
            due.append((plan, day))
        elif found.job_id and found.status == JobStatus.FAILED and found.attempts < limit:
            failed.append((plan, day, found.id, found.job_id))
    report = TickReport(made=[], retried=[])
    # Plans in one order in every worker, in short transactions: two workers inserting the
    # same rows wait for one another on PostgreSQL rather than deadlock.
    due.sort(key=lambda item: (item[0].id, item[1]))
    for first in range(0, len(due), BATCH):
        jobs = _make(services, due[first : first + BATCH])
        for job in jobs:
            _push(services, job)
        report.made.extend(job.article_id for job in jobs)
    for plan, day, reading_id, job_id in failed:
        again = _retry(services, reading_id, job_id)
        if again is not None:
            report.retried.append((plan.id, day))
            log.info(
                "daily reading of plan %s for %s failed: job %s tries again", plan.id, day, again.id
            )
            _push(services, again)
    if report.made:
        log.info("daily tick made %d reading(s)", len(report.made))
    return report


def tick_now(services: Services, clock: Callable[[], datetime]) -> TickReport:
    """One tick at the plans' clock's now (the worker's loop calls this)."""
    return tick(services, clock())
