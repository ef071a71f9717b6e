"""The reader: one article, sanitized, with its vocabulary highlighted and listed."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response
from markupsafe import Markup

from opad.markup.render import render_article
from opad.markup.word_markup import mark_words
from opad.web import learning_client as learning
from opad.web.api_client import ApiError, NotFound
from opad.web.deps import Api, page
from opad.web.routes.audio import audio_context

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
    if article["status"] == "ready":
        markdown = await api.content(article_id)
        if markdown is not None:
            words_of = [item.get("word", "") for item in vocabulary]
            rendered = render_article(markdown, words_of, code)
            html, title = rendered.html, rendered.title
            if code:
                # Every word selectable and coloured by the learner's state (issue 12):
                # the states of all the page's lemmas come in one API call.
                words = mark_words(html, code)
                try:
                    states = await learning.states(api, code, words.lemmas)
                except (ApiError, NotFound):
                    states = {}  # an API without saved words: every word still selectable
                html, sentences = words.html(states), words.sentences
                # The API's figure when it has one: the same the library shows.
                known_share = article.get("known_share")
                if known_share is None:
                    known_share = words.known_share(states)
            # Safe to mark: render_article's output is nh3-sanitized and re-escaped, and
            # mark_words re-escapes every piece of text it emits.
            body = Markup(html)
    context = {
        "article": article,
        "title": article.get("title") or title or article.get("topic") or "Untitled",
        "body": body,
        "vocabulary": vocabulary,
        "lang": code,
        "sentences": sentences,
        "known_share": known_share,
        "marked_known": request.query_params.get("known", ""),
        "in_progress": article["status"] in IN_PROGRESS,
        "usage": article.get("usage"),
        "audio": await audio_context(api, article, request.query_params) if body else None,
    }
    return page(request, "article.html", context)
