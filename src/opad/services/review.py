"""Review sessions: the user's due cards, graded with FSRS; each review is recorded."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from opad.bootstrap import Services
from opad.db.models import Review, SavedWord, utcnow
from opad.errors import Conflict
from opad.learning import review as fsrs_review
from opad.learning.states import REVIEWED, WordState
from opad.services.words import due_before, owned_word, record_change


def card_dict(word: SavedWord, now: datetime) -> dict[str, Any]:
    """A review card: the cloze of the newest saved sentence, the meaning on the back."""
    context = word.contexts[-1] if word.contexts else None
    sentence = context.sentence if context else ""
    parts = fsrs_review.cloze_parts(sentence, context.form if context else "", word.lemma)
    return {
        "id": word.id,
        "language": word.language,
        "lemma": word.lemma,
        "state": word.state,
        "stage": word.stage,
        "meaning": word.meaning,
        "notes": word.notes,
        "sentence": sentence,
        # How the hidden word is read (furigana, pinyin, romanization), where it was saved:
        # the reading of `form` (行きました), which is not the lemma's (行く) when they differ.
        "form": context.form if context else word.lemma,
        "reading": (context.reading if context else None) or "",
        # No saved sentence, or the word not in it: the card asks for the lemma itself.
        "cloze": {"before": parts[0], "answer": parts[1], "after": parts[2]} if parts else None,
        "article_id": context.article_id if context else None,
        "article_title": context.article_title if context else None,
        "due": word.due.isoformat() if word.due else None,
        "intervals": fsrs_review.previews(word.card or fsrs_review.new_card(now), now),
    }


def due_cards(
    services: Services, user_id: str, *, language: str | None = None, limit: int = 20
) -> dict[str, Any]:
    """The user's cards due now (oldest due first) and how many are due in all."""
    now = utcnow()
    where = [SavedWord.user_id == user_id, due_before(now)]
    if language:
        where.append(SavedWord.language == language)
    with services.db.session() as session:
        total = session.scalar(select(func.count()).select_from(SavedWord).where(*where)) or 0
        words = session.scalars(
            select(SavedWord)
            .where(*where)
            .order_by(SavedWord.due, SavedWord.id)
            .limit(limit)
            .options(selectinload(SavedWord.contexts))
        ).all()
        return {"items": [card_dict(w, now) for w in words], "due": total}


def grade(services: Services, user_id: str, word_id: str, rating: str) -> dict[str, Any]:
    """Record a review (again/hard/good/easy); returns the next due time and interval.

    A new word becomes "learning 1" at its first review. Known and ignored words are not
    in review: 409.
    """
    now = utcnow()
    with services.db.session() as session:
        word = owned_word(session, user_id, word_id)
        if word.state not in REVIEWED:
            raise Conflict(f"{word.lemma!r} is {word.state}: it is not being reviewed")
        card, due = fsrs_review.review(word.card or fsrs_review.new_card(now), rating, now)
        word.card, word.due = card, due
        if word.state == WordState.NEW:
            record_change(session, word, word.state, WordState.LEARNING.value)
            word.state, word.stage = WordState.LEARNING.value, 1
        session.add(
            Review(
                word_id=word.id,
                user_id=user_id,
                rating=fsrs_review.RATINGS[rating],
                reviewed_at=now,
                next_due=due,
            )
        )
        return {
            "id": word.id,
            "due": due.isoformat(),
            "interval": fsrs_review.describe_interval(due - now),
            "state": word.state,
            "stage": word.stage,
        }
