"""The reader: one article, sanitized, with its vocabulary highlighted and listed."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response
from markupsafe import Markup

from opad.web.deps import Api, page
from opad.web.render import render_article

router = APIRouter()

IN_PROGRESS = frozenset({"queued", "running"})


@router.get("/articles/{article_id}")
async def reader(request: Request, article_id: str, api: Api) -> Response:
    """The reader page (or, for an article not ready yet, where to follow it)."""
    article = await api.article(article_id)
    vocabulary = article.get("vocabulary") or []
    body = title = None
    if article["status"] == "ready":
        markdown = await api.content(article_id)
        if markdown is not None:
            rendered = render_article(markdown, [item.get("word", "") for item in vocabulary])
            # Safe to mark: render_article's output is nh3-sanitized and re-escaped.
            body, title = Markup(rendered.html), rendered.title
    codes = {lang["name"]: lang["code"] for lang in await api.languages()}
    context = {
        "article": article,
        "title": article.get("title") or title or article.get("topic") or "Untitled",
        "body": body,
        "vocabulary": vocabulary,
        "lang": codes.get(article.get("language", ""), ""),
        "in_progress": article["status"] in IN_PROGRESS,
        "usage": article.get("usage"),
    }
    return page(request, "article.html", context)
