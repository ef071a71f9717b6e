"""The reader: one reading, its stored words laid onto the page, its vocabulary listed."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response
from markupsafe import Markup

from opad.learning.reading_words import known_share as share_of
from opad.reading.layout import parse
from opad.web import learning_client as learning
from opad.web.api_client import ApiError, NotFound
from opad.web.deps import Api, page
from opad.web.reader import lay, plain_html
from opad.web.routes.audio import audio_context
from opad.web.routes.quiz import reader_quiz

router = APIRouter()

IN_PROGRESS = frozenset({"queued", "running"})


@router.get("/articles/{article_id}")
async def reader(request: Request, article_id: str, api: Api) -> Response:
    """The reader page (or, for an article not ready yet, where to follow it)."""
    article = await api.article(article_id)
    vocabulary = article.get("vocabulary") or []
    body = title = None
    codes = {lang["name"]: lang["code"] for lang in await api.languages()}
    code = codes.get(article.get("language", ""), "")
    sentences: list[str] = []
    known_share = None
    analyzing = False
    if article["status"] == "ready":
        typed = await api.reading(article_id)
        if typed is not None:
            # The worker's analysis laid onto the page: nothing is tokenized here.
            try:
                states = await learning.states(api, typed.language, typed.lemmas())
            except (ApiError, NotFound):
                states = {}  # an API without saved words: every word still selectable
            laid = lay(typed, states)
            html, title, sentences, code = laid.html, typed.title, laid.sentences, typed.language
            # The API's figure when it has one: the same the library shows.
            known_share = article.get("known_share")
            if known_share is None:
                flat = {lemma: str(s.get("state")) for lemma, s in states.items()}
                known_share = share_of(typed.lemma_counts(), flat)
            body = Markup(html)  # sanitized by nh3, every piece of text re-escaped
        else:
            markdown = await api.content(article_id)
            if markdown is not None:
                # Stored before readings were analyzed: the text now, its words shortly.
                parsed = parse(markdown)
                title, analyzing = parsed.title, True
                body = Markup(plain_html(parsed.body))
    context = {
        "article": article,
        "title": article.get("title") or title or article.get("topic") or "Untitled",
        "body": body,
        "vocabulary": vocabulary,
        "lang": code,
        "sentences": sentences,
        "known_share": known_share,
        "analyzing": analyzing,
        "marked_known": _count(request.query_params.get("known", "")),
        "known_batch": request.query_params.get("batch", "")[:36],
        "unmarked": _count(request.query_params.get("unmarked", "")),
        "in_progress": article["status"] in IN_PROGRESS,
        "usage": article.get("usage"),
        "audio": await audio_context(api, article, request.query_params) if body else None,
        "quiz": await reader_quiz(api, article_id) if body else None,
    }
    return page(request, "article.html", context)


def _count(value: str) -> int | None:
    """A count from the query string ("?known=57"), None when absent or not a number."""
    return int(value) if value.isdigit() and len(value) < 7 else None
