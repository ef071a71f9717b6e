"""The Generate page: ask the API for a new reading, show its input errors by the fields."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response

from opad.web.api_client import ApiError, InputRejected, TooManyRequests
from opad.web.deps import Api, Form, auth_required, login_url, page, sentence
from opad.web.routes.daily import today_block
from opad.wording import WEB, for_learner

router = APIRouter()

FIELDS = ("language", "level", "length", "topic", "source_text", "source_url")
DEFAULTS = {"language": "English", "level": "B1", "length": "300", "topic": ""}


def request_body(form: dict[str, str]) -> dict[str, Any]:
    """The API's POST /generate body from the form: blanks left out, digits as a number."""
    body: dict[str, Any] = {}
    for name in FIELDS:
        value = form.get(name, "").strip()
        if value:
            body[name] = value
    if "source_text" in body:
        # Keep the learner's own line breaks; only surrounding blank space is noise.
        body["source_text"] = form["source_text"].strip("\n\r ")
    if str(body.get("length", "")).isdigit():
        body["length"] = int(body["length"])
    return body


def engine_kind(meta: dict[str, Any]) -> str:
    """How the home page describes the API's engine: "news" (an LLM rewrites the news),
    "leveling-news" (news levelled without an LLM), "leveling", "test" or "unknown".

    Keyed on what the engine does as the API reports it, not on its name (names change).
    """
    if not meta:
        return "unknown"
    if meta.get("finds_news"):
        return "news" if meta.get("uses_llm", True) else "leveling-news"
    if meta.get("engine") == "noop":
        return "test"
    return "leveling"


async def _form_page(
    request: Request,
    api: Api,
    values: dict[str, str],
    errors: dict[str, str] | None = None,
    status_code: int = 200,
    notice: str | None = None,
) -> Response:
    languages, levels, meta = await api.languages(), await api.levels(), await api.meta()
    errors = errors or {}
    # Errors the form has no field for (the model-level "body" one) go on top.
    general = [msg for name, msg in errors.items() if name not in FIELDS]
    own_text_open = bool(
        values.get("source_text") or values.get("source_url")
        or errors.get("source_text") or errors.get("source_url")
    )  # fmt: skip
    context = {
        "languages": languages,
        "levels": levels,
        "values": values,
        "errors": errors,
        "general_errors": general,
        "own_text_open": own_text_open,
        "notice": notice,
        "engine": engine_kind(meta),
        "today": await today_block(api),  # issue 31: "Today's paragraph"
    }
    return page(request, "generate.html", context, status_code=status_code)


@router.get("/")
async def generate_form(request: Request, api: Api) -> Response:
    """The Generate form (behind sign-in when the API wants one)."""
    if not api.signed_in:
        if auth_required(request):
            return RedirectResponse(login_url("/"), status_code=303)
        # Languages and levels are public, so ask the API who we are: a 401 here sends a
        # stranger to sign in before filling in a form they could not send.
        await api.me()
    return await _form_page(request, api, dict(DEFAULTS))


@router.get("/generate")
async def generate_get() -> Response:
    """A reload or bookmark of the form's target: back to the form."""
    return RedirectResponse("/", status_code=303)


@router.post("/generate")
async def generate(request: Request, api: Api, form: Form) -> Response:
    """Ask the API for a reading and go to its job page, or show the form again with errors."""
    values = {name: form.get(name, "") for name in FIELDS}
    try:
        accepted = await api.generate(request_body(form))
    except InputRejected as exc:
        errors = {name: for_learner(name, message, WEB) for name, message in exc.fields.items()}
        errors = errors or {"body": exc.detail}
        return await _form_page(request, api, values, errors, status_code=422)
    except TooManyRequests as exc:
        # The API's detail says which limit and when the next reading is possible.
        response = await _form_page(
            request, api, values, status_code=429, notice=sentence(exc.detail)
        )
        if exc.retry_after:
            response.headers["Retry-After"] = str(exc.retry_after)
        return response
    except ApiError as exc:
        if exc.status_code != 413:
            raise
        errors = {"source_text": "This text is too long to send; paste a shorter part of it."}
        return await _form_page(request, api, values, errors, status_code=413)
    return RedirectResponse(f"/jobs/{quote(str(accepted['job_id']), safe='')}", status_code=303)
