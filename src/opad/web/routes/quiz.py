"""The reader's quiz (issue 13): quiz.js loads the questions and sends the answers here;
these routes relay to the API with the learner's token. The library shows the results."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse, RedirectResponse, Response

from opad.web.api_client import (
    ApiClient,
    ApiError,
    InputRejected,
    NotFound,
    Unauthorized,
    valid_id,
)
from opad.web.deps import Api, Form, page

router = APIRouter()

ANSWER_PREFIX = "answer-"  # the form's radio groups: answer-q1, answer-q2…


def _not_found(detail: str) -> JSONResponse:
    return JSONResponse({"error": "not found", "detail": detail}, 404)


@router.get("/articles/{article_id}/questions.json")
async def questions(article_id: str, api: Api) -> Response:
    """GET /articles/{id}/questions (no answers in it)."""
    if not valid_id(article_id):
        return _not_found("no such reading")
    try:
        response = await api._request("GET", f"/articles/{article_id}/questions")
    except NotFound as exc:
        return _not_found(str(exc))
    return JSONResponse(response.json())


def _answers(form: dict[str, str]) -> dict[str, Any]:
    return {
        "answers": [
            {"question_id": key.removeprefix(ANSWER_PREFIX), "choice": value}
            for key, value in form.items()
            if key.startswith(ANSWER_PREFIX) and value
        ]
    }


async def reader_quiz(api: ApiClient, article_id: str) -> dict[str, Any] | None:
    """The reading's questions (no answers) and the learner's latest result, for the
    reader to render as a plain form; None when there are none or the API cannot say."""
    try:
        response = await api._request("GET", f"/articles/{article_id}/questions")
    except Unauthorized:
        raise
    except (NotFound, ApiError):
        return None  # the reading stands on its own
    data: dict[str, Any] = response.json()
    return data if data.get("questions") else None


@router.post("/articles/{article_id}/quiz")
async def answers_page(request: Request, article_id: str, api: Api, form: Form) -> Response:
    """The quiz without JavaScript: the form's plain post → a page with the score, and for
    each question the right answer and the sentence of the text that gives it."""
    if not valid_id(article_id):
        raise NotFound("no such reading")
    article = await api.article(article_id)
    quiz = await reader_quiz(api, article_id)
    if quiz is None:
        return RedirectResponse(f"/articles/{article_id}", status_code=303)
    try:
        response = await api._request(
            "POST", f"/articles/{article_id}/answers", json=_answers(form)
        )
    except InputRejected:
        # An option that is not one of the question's (a stale page): ask again.
        return RedirectResponse(f"/articles/{article_id}#quiz", status_code=303)
    result = response.json()
    typed = await api.reading(article_id)
    context = {
        "article": article,
        "questions": quiz["questions"],
        "results": {r["question_id"]: r for r in result["results"]},
        "result": result,
        "lang": typed.language if typed is not None else "",
    }
    return page(request, "quiz_result.html", context)


@router.post("/articles/{article_id}/answers.json")
async def answers(article_id: str, api: Api, form: Form) -> Response:
    """The quiz form (radio groups `answer-<question id>`, CSRF-checked) → the score."""
    if not valid_id(article_id):
        return _not_found("no such reading")
    body = _answers(form)
    try:
        response = await api._request("POST", f"/articles/{article_id}/answers", json=body)
    except NotFound as exc:
        return _not_found(str(exc))
    except InputRejected as exc:
        fields = [{"field": k, "message": v} for k, v in exc.fields.items()]
        return JSONResponse({"error": "invalid input", "detail": exc.detail, "fields": fields}, 422)
    return JSONResponse(response.json())


async def latest_results(api: ApiClient) -> dict[str, dict[str, Any]]:
    """{article id: {score, total, taken_at}} for the library; {} from an API without it."""
    try:
        response = await api._request("GET", "/quiz-results")
    except Unauthorized:
        raise  # signed out: the page sends the learner to sign in
    except (NotFound, ApiError):
        return {}  # the library still lists the readings
    return {item["article_id"]: item for item in response.json().get("items", [])}
