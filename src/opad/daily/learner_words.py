"""What a daily reading's engine needs to know of its learner: the plan's coverage target,
the lemmas they know and those due for review (read by the worker when a job starts;
engines/coverage.py uses them)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from opad.db.models import DailyPlan, DailyReading, SavedWord, utcnow
from opad.languages import find_language
from opad.learning.states import WordState

# Saved states that count as known for coverage: learning words are met often enough to be
# read; ignored ones are names and typos (nothing to learn).
COVERED = (WordState.KNOWN.value, WordState.LEARNING.value, WordState.IGNORED.value)
MAX_KNOWN = 50_000  # more lemmas than any learner saves


def coverage_inputs(
    session: Session, article_id: str, now: datetime | None = None
) -> dict[str, Any]:
    """The request fields (`coverage`, `known_words`, `due_words`) for `article_id` when it
    is a daily reading whose plan has a coverage target; {} otherwise."""
    row = session.execute(
        select(DailyPlan.coverage, DailyPlan.language, DailyPlan.user_id)
        .join(
            DailyReading,
            (DailyReading.user_id == DailyPlan.user_id)
            & (DailyReading.language == DailyPlan.language),
        )
        .where(DailyReading.article_id == article_id)
    ).first()
    if row is None or row.coverage is None:
        return {}
    lang = find_language(row.language)
    if lang is None:
        return {}
    mine = select(SavedWord.lemma).where(
        SavedWord.user_id == row.user_id, SavedWord.language == lang.code
    )
    known = session.scalars(mine.where(SavedWord.state.in_(COVERED)).limit(MAX_KNOWN))
    due = session.scalars(
        mine.where(
            SavedWord.due.is_not(None),
            SavedWord.due <= (now or utcnow()),
            SavedWord.state.in_((WordState.NEW.value, WordState.LEARNING.value)),
        ).limit(MAX_KNOWN)
    )
    return {
        "coverage": row.coverage,
        "known_words": sorted({w.lower() for w in known}),
        "due_words": sorted({w.lower() for w in due}),
    }
