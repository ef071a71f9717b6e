"""A reading's comprehension questions, a learner's answers, and their results.

The questions are stored with the reading (result.json in the content store); a reading
made before questions existed gets cloze and matching questions made from its text on
request (deterministic: the same questions at every request). Each submission is kept as
one `QuizAttempt` row of the learner who answered.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from sqlalchemy import func, select

from opad.bootstrap import Services
from opad.db.models import QuizAttempt
from opad.errors import NotFound, OpadError
from opad.questions import Answer, Question, grade
from opad.reading.model import VocabularyItem
from opad.services.ownership import owned_article
from opad.services.readings import typed_body


class InvalidAnswer(OpadError):
    """422 naming the answer that is wrong in form (not merely a wrong choice)."""

    status_code = 422
    error = "invalid input"

    def __init__(self, field: str, problem: str) -> None:
        super().__init__(f"{field}: {problem}")
        self.field = field


def reading_questions(services: Services, article_id: str, owner_id: str | None) -> list[Question]:
    """The reading's questions with their answers; 404 if not the caller's or not made yet.

    Raises NotFound naming the article when it does not exist for the caller or has no
    text yet.
    """
    with services.db.session() as session:
        article = owned_article(session, article_id, owner_id)
        made = article.content_key is not None
    raw = services.store.get_result(article_id) if made else None
    if raw is None:
        raise NotFound(f"article {article_id} has no text yet, so no questions")
    result = json.loads(raw)
    stored = result.get("questions")
    if stored:
        return [Question.model_validate(q) for q in stored]
    # An older reading: the worker's questions step, from the stored typed body (made by
    # a worker: the API analyzes no text).
    body = typed_body(services, article_id)
    if body is None:
        raise NotFound(f"article {article_id}: its questions are being prepared; try again")
    from opad.questions.step import questions_for

    vocabulary = [VocabularyItem.model_validate(v) for v in result.get("vocabulary") or []]
    folders = services.settings.dictionary_folders
    return questions_for(body, vocabulary, dictionary_folders=folders)


def _latest(services: Services, user_id: str, article_id: str) -> QuizAttempt | None:
    with services.db.session() as session:
        attempt = session.scalars(
            select(QuizAttempt)
            .where(QuizAttempt.user_id == user_id, QuizAttempt.article_id == article_id)
            .order_by(QuizAttempt.id.desc())
            .limit(1)
        ).first()
        if attempt is not None:
            session.expunge(attempt)
        return attempt


def public_questions(
    services: Services, article_id: str, user_id: str, owner_id: str | None
) -> dict[str, Any]:
    """The questions without their answers, and the learner's latest result (or None)."""
    questions = reading_questions(services, article_id, owner_id)
    latest = _latest(services, user_id, article_id)
    return {
        "article_id": article_id,
        "questions": [q.model_dump(include={"id", "kind", "prompt", "options"}) for q in questions],
        "latest": None
        if latest is None
        else {"score": latest.score, "total": latest.total, "taken_at": latest.created_at},
    }


def _check(questions: Sequence[Question], answers: Sequence[Answer]) -> None:
    """Each answer names a question of the reading, once, with one of its options."""
    by_id = {q.id: q for q in questions}
    seen: set[str] = set()
    for i, a in enumerate(answers):
        q = by_id.get(a.question_id)
        if q is None:
            raise InvalidAnswer(f"answers.{i}.question_id", f"no question {a.question_id!r}")
        if a.question_id in seen:
            raise InvalidAnswer(f"answers.{i}.question_id", f"{a.question_id} answered twice")
        seen.add(a.question_id)
        if a.choice.strip().casefold() not in {o.strip().casefold() for o in q.options}:
            raise InvalidAnswer(f"answers.{i}.choice", f"not one of the options of {q.id}")


def submit_answers(
    services: Services,
    article_id: str,
    user_id: str,
    owner_id: str | None,
    answers: Sequence[Answer],
) -> dict[str, Any]:
    """Grade and keep one attempt; unanswered questions count as wrong.

    Returns {"article_id", "score", "total", "results": [Grade…]} where each result has
    the right answer and the sentence of the text that supports it.
    Raises InvalidAnswer (422) naming the answer at fault, NotFound (404).
    """
    questions = reading_questions(services, article_id, owner_id)
    if not questions:
        raise NotFound(f"article {article_id} has no questions (its text is too short)")
    _check(questions, answers)
    grades = grade(questions, answers)
    score = sum(g.correct for g in grades)
    with services.db.session() as session:
        owned_article(session, article_id, owner_id)  # deleted meanwhile: 404, no orphan
        session.add(
            QuizAttempt(
                user_id=user_id,
                article_id=article_id,
                score=score,
                total=len(grades),
                answers=[
                    {"question_id": g.question_id, "choice": g.choice, "correct": g.correct}
                    for g in grades
                ],
            )
        )
    return {
        "article_id": article_id,
        "score": score,
        "total": len(grades),
        "results": [g.model_dump() for g in grades],
    }


def latest_results(services: Services, user_id: str) -> list[dict[str, Any]]:
    """The learner's latest result per reading, newest first (for the library)."""
    newest = (
        select(QuizAttempt.article_id, func.max(QuizAttempt.id).label("id"))
        .where(QuizAttempt.user_id == user_id)
        .group_by(QuizAttempt.article_id)
        .subquery()
    )
    with services.db.session() as session:
        rows = session.scalars(
            select(QuizAttempt)
            .join(newest, QuizAttempt.id == newest.c.id)
            .order_by(QuizAttempt.created_at.desc())
        ).all()
        return [
            {
                "article_id": r.article_id,
                "score": r.score,
                "total": r.total,
                "taken_at": r.created_at,
            }
            for r in rows
        ]
