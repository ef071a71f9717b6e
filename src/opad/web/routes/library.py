"""The library: every article, newest first, with filters, paging and delete."""

from __future__ import annotations

from typing import Annotated
from urllib.parse import quote, urlencode

from fastapi import APIRouter, Query, Request
from fastapi.responses import RedirectResponse, Response

from opad.levels import Level
from opad.web.deps import Api, Form, page

router = APIRouter()

PAGE_SIZE = 20
STATUSES = ("ready", "queued", "running", "failed", "cancelled", "draft")


def safe_next(value: str | None) -> str:
    """Where to go after a delete: a library address only, never another site."""
    if value and value.startswith("/library") and "\\" not in value:
        return value
    return "/library"


def _page_number(value: str | None) -> int:
    return int(value) if value and value.isdigit() and int(value) > 0 else 1


@router.get("/library")
async def library(
    request: Request,
    api: Api,
    language: str = "",
    level: str = "",
    status: str = "",
    page_param: Annotated[str, Query(alias="page")] = "1",
) -> Response:
    """The list of articles, newest first."""
    number = _page_number(page_param)
    filters = {"language": language, "level": level, "status": status}
    result = await api.articles({**filters, "limit": PAGE_SIZE, "offset": (number - 1) * PAGE_SIZE})
    total = int(result.get("total", 0))
    pages = max(1, -(-total // PAGE_SIZE))
    active = {key: value for key, value in filters.items() if value}

    def page_url(n: int) -> str:
        return "/library?" + urlencode({**active, "page": n})

    context = {
        "items": result.get("items", []),
        "total": total,
        "page": number,
        "pages": pages,
        "prev_url": page_url(number - 1) if number > 1 else None,
        "next_url": page_url(number + 1) if number < pages else None,
        "filters": filters,
        "languages": await api.languages(),
        "levels": [level.value for level in Level],
        "statuses": STATUSES,
        "here": str(request.url.path) + (f"?{request.url.query}" if request.url.query else ""),
    }
    return page(request, "library.html", context)


@router.get("/articles/{article_id}/delete")
async def confirm_delete(request: Request, article_id: str, api: Api) -> Response:
    """The confirmation page, for browsers without JavaScript."""
    article = await api.article(article_id)
    context = {"article": article, "next": safe_next(request.query_params.get("next"))}
    return page(request, "confirm_delete.html", context)


@router.post("/articles/{article_id}/delete")
async def delete(article_id: str, api: Api, form: Form) -> Response:
    """Delete once confirmed (by the script's dialog or the confirmation page)."""
    target = safe_next(form.get("next"))
    if form.get("confirmed") != "yes":
        query = urlencode({"next": target})
        return RedirectResponse(
            f"/articles/{quote(article_id, safe='')}/delete?{query}", status_code=303
        )
    await api.delete(article_id)
    return RedirectResponse(target, status_code=303)
