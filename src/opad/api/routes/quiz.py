"""Comprehension questions: the questions of a reading (no answers), answers → score."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from fastapi import APIRouter
from pydantic import BaseModel, Field

from opad.api.deps import CallerDep, ServicesDep
from opad.api.schemas import ErrorOut
from opad.questions import Answer, QuestionKind
from opad.services import quiz

router = APIRouter(tags=["questions"])

ERRORS: dict[int | str, dict[str, Any]] = {
    404: {"model": ErrorOut, "description": "Unknown article, or no text yet"},
    401: {"model": ErrorOut, "description": "No or bad token (when sign-in is required)"},
    503: {"model": ErrorOut, "description": "The database or the content store is down"},
}


class QuestionOut(BaseModel):
    id: str
    kind: QuestionKind
    prompt: str = Field(description='The question; a cloze has "____" where its word was')
    options: list[str]


class LatestOut(BaseModel):
    score: int
    total: int
    taken_at: datetime


class QuestionsOut(BaseModel):
    article_id: str
    questions: list[QuestionOut]
    latest: LatestOut | None = Field(description="The caller's latest result, if any")


class AnswersIn(BaseModel):
    answers: list[Answer] = Field(max_length=50)


class ResultOut(BaseModel):
    question_id: str
    choice: str | None
    correct: bool
    answer: str
    support: str = Field(description="The sentence of the reading that gives the answer")


class ScoreOut(BaseModel):
    article_id: str
    score: int
    total: int
    results: list[ResultOut]


class QuizResultOut(BaseModel):
    article_id: str
    score: int
    total: int
    taken_at: datetime


class QuizResultsOut(BaseModel):
    items: list[QuizResultOut]


@router.get("/articles/{article_id}/questions", response_model=QuestionsOut, responses=ERRORS)
def get_questions(article_id: str, caller: CallerDep, services: ServicesDep) -> dict[str, Any]:
    """The reading's questions and options, without the answers."""
    return quiz.public_questions(services, article_id, caller.id, caller.scope)


@router.post(
    "/articles/{article_id}/answers",
    response_model=ScoreOut,
    responses={**ERRORS, 422: {"model": ErrorOut, "description": "`fields` names the answer"}},
)
def post_answers(
    article_id: str, body: AnswersIn, caller: CallerDep, services: ServicesDep
) -> dict[str, Any]:
    """Check the caller's answers and keep them: the score, and for every question the
    right answer with the sentence of the text that supports it."""
    return quiz.submit_answers(services, article_id, caller.id, caller.scope, body.answers)


@router.get("/quiz-results", response_model=QuizResultsOut, responses=ERRORS)
def get_quiz_results(caller: CallerDep, services: ServicesDep) -> dict[str, Any]:
    """The caller's latest result for each reading they took the quiz of."""
    return {"items": quiz.latest_results(services, caller.id)}
