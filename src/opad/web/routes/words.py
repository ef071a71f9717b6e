"""The learner's pages: word lookups for the reader, My words, review, export."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse, RedirectResponse, Response

from opad.learning.states import WordState
from opad.levels import Level
from opad.web import learning_client as learning
from opad.web.api_client import ApiClient, InputRejected, NotFound, valid_id
from opad.web.deps import Api, Form, page

router = APIRouter()

RATINGS = (("again", "Again", "1"), ("hard", "Hard", "2"), ("good", "Good", "3"),
           ("easy", "Easy", "4"))  # fmt: skip
STATE_LABELS = {"new": "New", "learning": "Learning", "known": "Known", "ignored": "Ignored"}


def _invalid(exc: InputRejected) -> JSONResponse:
    fields = [{"field": k, "message": v} for k, v in exc.fields.items()]
    return JSONResponse({"error": "invalid input", "detail": exc.detail, "fields": fields}, 422)


@router.get("/lookup.json")
async def lookup(
    api: Api,
    language: str = "",
    word: str = "",
    sentence: str = "",
    explain_in: str = "",
    lemma: str = "",
    pos: str = "",
    article_id: str = "",
    sentence_index: str = "",
) -> Response:
    """The reader's popover: relays GET /lookup (JSON, errors too), with the word's lemma
    and part of speech as the reading's analysis gave them, and where it was clicked (the
    reading and the sentence's number: the API then answers from the stored analysis)."""
    params = {"language": language, "word": word, "sentence": sentence, "explain_in": explain_in}
    where = (("article_id", article_id), ("sentence_index", sentence_index))
    params.update({k: v for k, v in (("lemma", lemma), ("pos", pos), *where) if v})
    try:
        return JSONResponse(await learning.lookup(api, params))
    except InputRejected as exc:
        return _invalid(exc)


@router.post("/words/save.json")
async def save(api: Api, form: Form) -> Response:
    """Save a word from the popover (a form post with the CSRF token, sent by app.js)."""
    body: dict[str, Any] = {
        key: form[key].strip()
        for key in (
            "language",
            "word",
            "lemma",
            "sentence",
            "article_id",
            "state",
            "meaning",
            "level",
            "reading",
        )
        if form.get(key, "").strip()
    }
    if form.get("stage", "").isdigit():
        body["stage"] = int(form["stage"])
    try:
        return JSONResponse(await learning.save_word(api, body))
    except InputRejected as exc:
        return _invalid(exc)


async def _remaining(api: ApiClient, article_id: str) -> tuple[str, list[str]]:
    """The reading's language and its words the learner has not saved yet (the reading's
    own words in its language: no names, numbers, title or source line), from the stored
    analysis; never sent by the browser."""
    typed = await api.reading(article_id)
    if typed is None:
        return "", []
    lemmas = typed.learnable_lemmas()
    saved = {lemma.casefold() for lemma in await learning.states(api, typed.language, lemmas)}
    return typed.language, [lemma for lemma in lemmas if lemma.casefold() not in saved]


@router.get("/articles/{article_id}/known")
async def confirm_rest_known(request: Request, article_id: str, api: Api) -> Response:
    """ "Mark all remaining words known?": the words it would save, and one button."""
    article = await api.article(article_id)
    language, remaining = await _remaining(api, article_id)
    context = {"article": article, "words": remaining, "lang": language}
    return page(request, "confirm_known.html", context)


@router.post("/articles/{article_id}/known")
async def mark_rest_known(article_id: str, api: Api, form: Form) -> Response:
    """Mark the remaining words known once confirmed (unconfirmed: the confirmation page);
    back to the reading, which offers to undo it."""
    if form.get("confirmed") != "yes":
        return RedirectResponse(f"/articles/{article_id}/known", status_code=303)
    language, remaining = await _remaining(api, article_id)
    result: dict[str, Any] = {"added": 0, "batch": None}
    if remaining:
        result = await learning.mark_known(api, language, remaining)
    query = {"known": result["added"], **({"batch": result["batch"]} if result["batch"] else {})}
    return RedirectResponse(f"/articles/{article_id}?{urlencode(query)}", status_code=303)


@router.post("/articles/{article_id}/known/undo")
async def undo_rest_known(article_id: str, api: Api, form: Form) -> Response:
    """Undo the last "Mark all remaining words known" (the words it saved and the learner
    has not changed since)."""
    removed = await learning.undo_known(api, form.get("batch", ""))
    return RedirectResponse(f"/articles/{article_id}?unmarked={removed}", status_code=303)


def _filters(language: str, state: str, level: str, q: str) -> dict[str, str]:
    return {
        "language": language,
        "state": state if state in STATE_LABELS else "",
        "level": level if level in Level.__members__ else "",
        "q": q.strip()[:100],
    }


@router.get("/words")
async def my_words(
    request: Request,
    api: Api,
    language: str = "",
    state: str = "",
    level: str = "",
    q: str = "",
    page_param: str = "1",
) -> Response:
    """My words: one row per lemma with its sentences and readings; filters and search."""
    filters = _filters(language, state, level, q)
    result = await learning.words(api, {**filters, "limit": 200})
    languages = await api.languages()
    query = urlencode({k: v for k, v in filters.items() if v and k in ("language", "state")})
    every = urlencode(
        {"language": filters["language"], "all": "1"} if filters["language"] else {"all": "1"}
    )
    context = {
        "nav": "words",
        "items": result["items"],
        "total": result["total"],
        "filters": filters,
        "languages": languages,
        "names": {lang["code"]: lang["name"] for lang in languages},
        "levels": [lvl.value for lvl in Level],
        "states": STATE_LABELS,
        "explain_in": (await learning.learner_settings(api))["explain_in"],
        "export_query": f"?{query}" if query else "",
        "export_all_query": "" if filters["state"] else f"?{every}",
        # Where an edit or a delete comes back to: this list, its filters kept.
        "here": "/words"
        + (f"?{urlencode(kept)}" if (kept := {k: v for k, v in filters.items() if v}) else ""),
    }
    return page(request, "words.html", context)


@router.post("/words/settings")
async def settings(api: Api, form: Form) -> Response:
    """Choose the explanation language."""
    try:
        await learning.set_explain_in(api, form.get("explain_in", ""))
    except InputRejected:
        return RedirectResponse("/words?error=explain_in", status_code=303)
    return RedirectResponse("/words", status_code=303)


@router.post("/words/{word_id}/edit")
async def edit(word_id: str, api: Api, form: Form) -> Response:
    """Change a word's state, meaning or notes."""
    body: dict[str, Any] = {"meaning": form.get("meaning", ""), "notes": form.get("notes", "")}
    state, _, stage = form.get("state", "").partition("-")
    if state in STATE_LABELS:
        body["state"] = state
        if stage.isdigit():
            body["stage"] = int(stage)
    await learning.change_word(api, word_id, body)
    return RedirectResponse(_back(form.get("next")), status_code=303)


@router.post("/words/{word_id}/delete")
async def delete(word_id: str, api: Api, form: Form) -> Response:
    """Delete a saved word."""
    await learning.delete_word(api, word_id)
    return RedirectResponse(_back(form.get("next")), status_code=303)


def _back(value: str | None) -> str:
    return value if value and value.startswith("/words") and "\\" not in value else "/words"


@router.get("/review")
async def review_page(request: Request, api: Api, last: str = "") -> Response:
    """The next due card: the cloze first, the answer and the grades behind "Show"."""
    cards = await learning.due(api)
    context = {
        "nav": "review",
        "card": cards["items"][0] if cards["items"] else None,
        "due": cards["due"],
        "ratings": RATINGS,
        "last": last[:40],
    }
    return page(request, "review.html", context)


@router.post("/review/{word_id}")
async def grade(word_id: str, api: Api, form: Form) -> Response:
    """Grade the card; back to the next one, saying when this one returns."""
    rating = form.get("rating", "")
    if rating not in {r[0] for r in RATINGS} or not valid_id(word_id):
        raise NotFound("no such card")
    result = await learning.grade(api, word_id, rating)
    return RedirectResponse("/review?" + urlencode({"last": result["interval"]}), status_code=303)


@router.get("/words/export.{kind}")
async def export(
    request: Request, kind: str, api: Api, language: str = "", state: str = "", all: str = ""
) -> Response:
    """The learner's words as an Anki deck (.apkg) or CSV, linked to this site's reader
    pages: the new and learning ones, one state (`state`), or every word (`all=1`)."""
    if kind not in ("apkg", "csv") or (state and state not in {s.value for s in WordState}):
        raise NotFound("no such export")
    states = [state] if state else [s.value for s in WordState] if all == "1" else []
    params: dict[str, Any] = {"language": language, "state": states}
    params["link_base"] = str(request.base_url).rstrip("/")
    data = await learning.export(api, kind, params)
    media = "text/csv; charset=utf-8" if kind == "csv" else "application/octet-stream"
    return Response(
        data,
        media_type=media,
        headers={"Content-Disposition": f'attachment; filename="opad-words.{kind}"'},
    )


@router.get("/stats")
async def stats_page(request: Request, api: Api, language: str = "") -> Response:
    """Statistics: words by state, words over the last 30 days, reviews per day, streak;
    all languages or one (`language`), with the figures as a table too."""
    from opad.web.charts import STATE_COLOURS, stacked_bars

    languages = await api.languages()
    codes = {lang["code"] for lang in languages}
    language = language if language in codes else ""
    data = await learning.stats(api, 30, language)
    days = data["days"]
    words_chart = stacked_bars([(d["date"], d["words"]) for d in days], STATE_COLOURS, 600, 160)
    reviews_chart = stacked_bars(
        [(d["date"], {"reviews": d["reviews"]}) for d in days], {"reviews": "#6366f1"}, 600, 100
    )
    context = {
        "nav": "stats",
        "data": data,
        "states": STATE_LABELS,
        "colours": STATE_COLOURS,
        "words_chart": words_chart,
        "reviews_chart": reviews_chart,
        "first_day": days[0]["date"] if days else "",
        "last_day": days[-1]["date"] if days else "",
        # The scale's top, written on each chart: bars without numbers said nothing.
        "words_top": max((sum(d["words"].values()) for d in days), default=0),
        "reviews_top": max((d["reviews"] for d in days), default=0),
        "languages": languages,
        "language": language,
        "language_name": next((x["name"] for x in languages if x["code"] == language), ""),
    }
    return page(request, "stats.html", context)
