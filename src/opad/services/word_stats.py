"""The learner's statistics: words by state now and over time, reviews per day, the streak."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, tzinfo
from typing import Any

from sqlalchemy import func, select

from opad.bootstrap import Services
from opad.db.models import Review, SavedWord, WordStateChange
from opad.learner_time import local_date, today_in, zone, zone_of
from opad.learning.states import WordState


def _per_day(values: list[Any], where: tzinfo = UTC) -> dict[date, int]:
    counts: dict[date, int] = {}
    for moment in values:
        day = local_date(moment, where)
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


def words_by_state(
    changes: list[tuple[str, str, datetime]], since: date, days: int, where: tzinfo = UTC
) -> list[dict[str, int]]:
    """{state: words} at the end of each of `days` days from `since` (days of the zone
    `where`), replaying the state changes (word id, new state, when), oldest first."""
    current: dict[str, str] = {}
    series: list[dict[str, int]] = []
    ordered = sorted(changes, key=lambda change: change[2])
    position = 0
    for offset in range(days):
        end = since + timedelta(days=offset + 1)
        while position < len(ordered) and local_date(ordered[position][2], where) < end:
            word_id, state, _ = ordered[position]
            current[word_id] = state
            position += 1
        counts = {state.value: 0 for state in WordState}
        for state in current.values():
            counts[state] = counts.get(state, 0) + 1
        series.append(counts)
    return series


def stats(
    services: Services, user_id: str, days: int = 30, language: str | None = None
) -> dict[str, Any]:
    """{by_state, days: [{date, words: {state: n}, reviews}], streak, reviews_total} over
    the last `days` days, each a day of the learner's time zone (`learner_time`). `words`
    counts the user's words by the state each was in at the end of that day (from the
    recorded state changes). With `language` (ISO 639-1), that language's words only."""
    zone_name = zone_of(services, user_id)
    where = zone(zone_name)
    today = today_in(zone_name)
    since = today - timedelta(days=days - 1)
    with services.db.session() as session:
        mine = [SavedWord.user_id == user_id]
        if language:
            mine.append(SavedWord.language == language)
        by_state = dict(
            session.execute(
                select(SavedWord.state, func.count()).where(*mine).group_by(SavedWord.state)
            ).all()
        )
        changes_query = select(
            WordStateChange.word_id, WordStateChange.to_state, WordStateChange.changed_at
        ).where(WordStateChange.user_id == user_id)
        reviews_query = select(Review.reviewed_at).where(Review.user_id == user_id)
        if language:
            # A change or a review belongs to a word: the word says its language.
            words = select(SavedWord.id).where(*mine)
            changes_query = changes_query.where(WordStateChange.word_id.in_(words))
            reviews_query = reviews_query.where(Review.word_id.in_(words))
        changes = session.execute(
            changes_query.order_by(WordStateChange.changed_at, WordStateChange.id)
        ).all()
        reviews = session.scalars(reviews_query).all()
    review_days = _per_day(list(reviews), where)
    history = words_by_state([(w, s, t) for w, s, t in changes], since, days, where)
    series = [
        {
            "date": (since + timedelta(days=offset)).isoformat(),
            "words": history[offset],
            "reviews": review_days.get(since + timedelta(days=offset), 0),
        }
        for offset in range(days)
    ]
    return {
        "by_state": {state.value: int(by_state.get(state.value, 0)) for state in WordState},
        "days": series,
        "streak": streak(set(review_days), today),
        "reviews_total": len(reviews),
        "time_zone": zone_name or "UTC",
    }
