"""What was made on a local install before its learner had an account, and moving it in.

Without required sign-in every caller without a token is the one local user
(`LOCAL_USER_ID`); after `/register` the learner's token makes them someone else, and the
readings and words they made before seemed gone. Moving is offered only where sign-in is
not required: there, that data is anyone's who reaches the install, so giving it to an
account gives nobody anything they could not reach already.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from opad.bootstrap import Services
from opad.db.models import Article, QuizAttempt, Review, SavedWord, WordStateChange
from opad.errors import Conflict
from opad.users import LOCAL_USER_ID


def _count(session: Session, model: Any, where: Any) -> int:
    return int(session.scalar(select(func.count()).select_from(model).where(where)) or 0)


def local_data(services: Services) -> dict[str, int]:
    """{"readings", "words"}: what the local user has (0 and 0 where sign-in is required)."""
    if services.settings.auth_required:
        return {"readings": 0, "words": 0}
    with services.db.session() as session:
        readings = session.scalar(
            select(func.count()).select_from(Article).where(Article.owner_id == LOCAL_USER_ID)
        )
        words = session.scalar(
            select(func.count()).select_from(SavedWord).where(SavedWord.user_id == LOCAL_USER_ID)
        )
    return {"readings": int(readings or 0), "words": int(words or 0)}


def adopt_local_data(services: Services, user_id: str) -> dict[str, Any]:
    """Move the local user's readings, words (with their reviews and history) and quiz
    answers to `user_id`. A word the account has already stays the account's; the local
    one is left where it was (`words_left`). Conflict where sign-in is required."""
    if services.settings.auth_required:
        raise Conflict("sign-in is required here: there is no data made without an account")
    if user_id == LOCAL_USER_ID:
        raise Conflict("this is the local user already")
    with services.db.session() as session:
        readings = _count(session, Article, Article.owner_id == LOCAL_USER_ID)
        session.execute(
            update(Article).where(Article.owner_id == LOCAL_USER_ID).values(owner_id=user_id)
        )
        theirs = set(
            session.execute(
                select(SavedWord.language, SavedWord.lemma).where(SavedWord.user_id == user_id)
            ).all()
        )
        local = session.execute(
            select(SavedWord.id, SavedWord.language, SavedWord.lemma).where(
                SavedWord.user_id == LOCAL_USER_ID
            )
        ).all()
        moving = [word_id for word_id, language, lemma in local if (language, lemma) not in theirs]
        # Chunks keep the IN list under every database's parameter limit.
        for start in range(0, len(moving), 900):
            chunk = moving[start : start + 900]
            session.execute(
                update(SavedWord).where(SavedWord.id.in_(chunk)).values(user_id=user_id)
            )
            for table in (Review, WordStateChange):
                session.execute(
                    update(table).where(table.word_id.in_(chunk)).values(user_id=user_id)
                )
        quizzes = _count(session, QuizAttempt, QuizAttempt.user_id == LOCAL_USER_ID)
        session.execute(
            update(QuizAttempt).where(QuizAttempt.user_id == LOCAL_USER_ID).values(user_id=user_id)
        )
    return {
        "readings": int(readings or 0),
        "words": len(moving),
        "words_left": len(local) - len(moving),
        "quiz_answers": int(quizzes or 0),
    }
