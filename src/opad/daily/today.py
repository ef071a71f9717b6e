"""The learner's daily readings as they find them: today's (and yesterday's if unread),
whether each is ready, still being made or could not be made, and the reading streak.

Days are the learner's: a plan's day is in the plan's time zone, the streak in the
account's (else the first plan's, else UTC).
"""

from __future__ import annotations

import json
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import select, update

from opad.bootstrap import Services
from opad.daily.schedule import topic_for
from opad.db.models import Article, DailyPlan, DailyReading, Job, User
from opad.errors import DependencyUnavailable, NotFound
from opad.learner_time import local_date, zone
from opad.states import JobStatus

STREAK_WINDOW = 400  # reads looked at for the streak: more than a year of daily reading


def _state(job: Job | None, attempts: int, retries: int) -> tuple[str, str]:
    """(status, what to tell the learner) of a day's reading from its newest job."""
    if job is None:
        return "failed", "This reading was deleted."
    if job.status == JobStatus.SUCCEEDED:
        return "ready", ""
    if job.status == JobStatus.FAILED:
        if attempts <= retries:
            return "making", "It did not work the first time; trying again."
        return "failed", f"Today's reading could not be made: {job.error or job.message}"
    if job.status == JobStatus.CANCELLED:
        return "failed", "This reading was cancelled."
    if job.status == JobStatus.QUEUED:
        return "making", "Waiting for its turn…"
    return "making", job.message or "Being prepared…"


def _item(
    plan: DailyPlan,
    reading: DailyReading,
    article: Article | None,
    job: Job | None,
    retries: int,
) -> dict[str, Any]:
    status, note = _state(job if article is not None else None, reading.attempts, retries)
    return {
        "plan_id": plan.id,
        "language": plan.language,
        "level": plan.level,
        "day": reading.day.isoformat(),
        "topic": reading.topic,
        "article_id": reading.article_id,
        "title": article.title if article is not None else None,
        "word_count": article.word_count if article is not None else None,
        "job_id": reading.job_id,
        "status": status,
        "message": note,
        "attempts": reading.attempts,
        "read": reading.read_at is not None,
    }


def today(services: Services, user_id: str, now: datetime) -> dict[str, Any]:
    """Today's reading of each of the learner's plans, yesterday's where unread, the plans
    whose reading is not due yet, and the streak.

    Shape: {"readings": [item…] (today's first, then yesterday's), "upcoming": [{"language",
    "day", "at_time", "time_zone", "topic"}], "streak": {"days", "today"}}; an item has
    plan_id, language, level, day (ISO date), topic, article_id, title, word_count,
    job_id, status ("ready" | "making" | "failed"), message, attempts, read, and
    `coverage` (0–1, the share of its words the learner knew when it was made; None when
    made by level only or the store cannot say now).
    """
    retries = services.settings.daily_retries
    with services.db.session() as session:
        plans = list(
            session.scalars(
                select(DailyPlan).where(DailyPlan.user_id == user_id).order_by(DailyPlan.language)
            )
        )
        since = (now - timedelta(days=3)).date()
        rows = session.execute(
            select(DailyReading, Article, Job)
            .outerjoin(Article, Article.id == DailyReading.article_id)
            .outerjoin(Job, Job.id == DailyReading.job_id)
            .where(DailyReading.user_id == user_id, DailyReading.day >= since)
        ).all()
        todays: list[dict[str, Any]] = []
        yesterdays: list[dict[str, Any]] = []
        upcoming: list[dict[str, Any]] = []
        made = {(r.DailyReading.language, r.DailyReading.day): r for r in rows}
        for plan in plans:
            local = now.astimezone(zone(plan.time_zone)).date()
            for day, into in ((local, todays), (local - timedelta(days=1), yesterdays)):
                row = made.get((plan.language, day))
                if row is None:
                    continue
                item = _item(plan, row.DailyReading, row.Article, row.Job, retries)
                if into is todays or not item["read"]:
                    into.append(item)
            if plan.active and (plan.language, local) not in made:
                # Not made yet: it comes today (due, it is on its way; else by its time).
                upcoming_day = local
                upcoming.append(
                    {
                        "language": plan.language,
                        "day": upcoming_day.isoformat(),
                        "at_time": plan.at_time,
                        "time_zone": plan.time_zone,
                        "topic": topic_for(list(plan.topics), upcoming_day),
                    }
                )
        streak_zone = _streak_zone(session, user_id, plans)
        reads = list(
            session.scalars(
                select(DailyReading.read_at)
                .where(DailyReading.user_id == user_id, DailyReading.read_at.is_not(None))
                .order_by(DailyReading.read_at.desc())
                .limit(STREAK_WINDOW)
            )
        )
    days = {local_date(r, zone(streak_zone)) for r in reads if r is not None}
    return {
        "readings": [_with_coverage(services, item) for item in todays + yesterdays],
        "upcoming": upcoming,
        "streak": streak(days, local_date(now, zone(streak_zone))),
    }


def _with_coverage(services: Services, item: dict[str, Any]) -> dict[str, Any]:
    """The item with the coverage its reading reached (from its stored result)."""
    item["coverage"] = None
    if item["status"] == "ready" and item["article_id"]:
        try:
            raw = services.store.get_result(item["article_id"])
        except (DependencyUnavailable, OSError):
            return item  # the block still shows; the figure comes back with the store
        found = (json.loads(raw) if raw else {}).get("coverage") or {}
        item["coverage"] = found.get("reached")
    return item


def _streak_zone(session: Any, user_id: str, plans: list[DailyPlan]) -> str | None:
    user = session.get(User, user_id)
    if user is not None and user.time_zone:
        return str(user.time_zone)
    return plans[0].time_zone if plans else None


def streak(days: set[date], today_date: date) -> dict[str, Any]:
    """Days in a row with a daily reading read, ending today (or yesterday while today's
    is not read yet: the streak is not lost before the day is over).

    Shape: {"days": n, "today": whether today counts yet}.
    """
    read_today = today_date in days
    day = today_date if read_today else today_date - timedelta(days=1)
    n = 0
    while day in days:
        n += 1
        day -= timedelta(days=1)
    return {"days": n, "today": read_today}


def mark_read(services: Services, user_id: str, article_id: str, now: datetime) -> bool:
    """Record that the learner opened this daily reading (first time only); NotFound when
    it is not one of their daily readings. Returns whether this was the first time."""
    with services.db.session() as session:
        exists = session.scalar(
            select(DailyReading.id).where(
                DailyReading.user_id == user_id, DailyReading.article_id == article_id
            )
        )
        if exists is None:
            raise NotFound(f"article {article_id} is not one of your daily readings")
        changed = session.execute(
            update(DailyReading)
            .where(DailyReading.id == exists, DailyReading.read_at.is_(None))
            .values(read_at=now)
            .returning(DailyReading.id)
        ).first()
    return changed is not None
