"""The learner's statistics: words by state, words saved and reviews per day, the streak."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from sqlalchemy import func, select

from opad.bootstrap import Services
from opad.db.models import Review, SavedWord, utcnow
from opad.learning.states import WordState


def _per_day(values: list[Any]) -> dict[date, int]:
    counts: dict[date, int] = {}
    for moment in values:
        day = moment.date()
        counts[day] = counts.get(day, 0) + 1
    return counts


def streak(days_with_reviews: set[date], today: date) -> int:
    """Consecutive days with at least one review, ending today (or yesterday: today's
    reviews may not be done yet)."""
    day = today if today in days_with_reviews else today - timedelta(days=1)
    count = 0
    while day in days_with_reviews:
        count += 1
        day -= timedelta(days=1)
    return count


def stats(services: Services, user_id: str, days: int = 30) -> dict[str, Any]:
    """{by_state, days: [{date, saved: {state: n}, reviews}], streak, reviews_total} over the
    last `days` days (UTC). Words are counted by the day they were saved and their state now
    (OPAD keeps no history of state changes)."""
    today = utcnow().date()
    since = today - timedelta(days=days - 1)
    with services.db.session() as session:
        by_state = dict(
            session.execute(
                select(SavedWord.state, func.count())
                .where(SavedWord.user_id == user_id)
                .group_by(SavedWord.state)
            ).all()
        )
        saved = session.execute(
            select(SavedWord.state, SavedWord.created_at).where(SavedWord.user_id == user_id)
        ).all()
        reviews = session.scalars(select(Review.reviewed_at).where(Review.user_id == user_id)).all()
    review_days = _per_day(list(reviews))
    running = {state.value: 0 for state in WordState}
    for state, created in saved:
        if created.date() < since:
            running[state] = running.get(state, 0) + 1
    series = []
    for offset in range(days):
        day = since + timedelta(days=offset)
        for state, created in saved:
            if created.date() == day:
                running[state] = running.get(state, 0) + 1
        series.append({"date": day.isoformat(), "words": dict(running),
                       "reviews": review_days.get(day, 0)})  # fmt: skip
    return {
        "by_state": {state.value: int(by_state.get(state.value, 0)) for state in WordState},
        "days": series,
        "streak": streak(set(review_days), today),
        "reviews_total": len(reviews),
    }
