"""Answers and grading (no I/O); the questions themselves are `opad.reading.model`'s."""

from __future__ import annotations

from collections.abc import Sequence

from pydantic import BaseModel, Field

from opad.reading.model import Question, QuestionKind


class Answer(BaseModel):
    question_id: str = Field(max_length=100)
    choice: str = Field(max_length=500)


class Grade(BaseModel):
    """Per question: the learner's choice, whether it was right, the answer and its support."""

    question_id: str
    choice: str | None
    correct: bool
    answer: str
    support: str


def grade(questions: Sequence[Question], answers: Sequence[Answer]) -> list[Grade]:
    """Check answers against questions; unanswered questions count as wrong.

    Choices compare without surrounding spaces and case ("True" == "true").
    Raises KeyError naming an answer's question_id that is not a question of the reading.
    """
    by_id = {q.id: q for q in questions}
    chosen: dict[str, str] = {}
    for a in answers:
        if a.question_id not in by_id:
            raise KeyError(a.question_id)
        chosen[a.question_id] = a.choice
    out = []
    for q in questions:
        choice = chosen.get(q.id)
        right = choice is not None and choice.strip().casefold() == q.answer.strip().casefold()
        out.append(
            Grade(
                question_id=q.id, choice=choice, correct=right, answer=q.answer, support=q.support
            )
        )
    return out


__all__ = ["Answer", "Grade", "Question", "QuestionKind", "grade"]
