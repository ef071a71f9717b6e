"""The library: every article, newest first, with filters, paging and delete."""

from __future__ import annotations

from typing import Annotated, Any
from urllib.parse import quote, urlencode

from fastapi import APIRouter, Query, Request
from fastapi.responses import RedirectResponse, Response

from opad.levels import Level
from opad.web.api_client import InputRejected
from opad.web.deps import Api, Form, page
from opad.web.routes.quiz import latest_results as quiz_results

router = APIRouter()

PAGE_SIZE = 20
# The statuses the filter offers, in a learner's words. "draft" (an article created and
# never sent to be made: only API clients make those) is still accepted, not offered.
STATUS_LABELS = {
    "ready": "Ready",
    "queued": "in progress",
    "running": "in progress",
    "failed": "Failed",
    "cancelled": "Cancelled",
}
STATUSES = (*STATUS_LABELS, "draft")
# The filter's choices, one per label: "in progress" is either of the two statuses a
# reading has while it is made (waiting for a worker, being made).
STATUS_FILTERS = {
    "ready": ("ready",),
    "in_progress": ("queued", "running"),
    "failed": ("failed",),
    "cancelled": ("cancelled",),
}
FILTER_LABELS = {"in_progress": "in progress"}
SORTS = {
    "newest": "Newest first",
    "oldest": "Oldest first",
    "title": "Title (A–Z)",
    "level": "Level (A1 → C2)",
}
# The "known words at least" choices, in percent (issue 12: readings that fit what you know).
KNOWN_MINIMUMS = (50, 70, 80, 90, 95)


def safe_next(value: str | None) -> str:
    """Where to go after a delete: a library address only, never another site."""
    if value and value.startswith("/library") and "\\" not in value:
        return value
    return "/library"


# Beyond this the API's offset limit would refuse the page; no library is that long.
MAX_PAGE = 1_000_000


def _page_number(value: str | None) -> int:
    return min(int(value), MAX_PAGE) if value and value.isdigit() and int(value) > 0 else 1


def _known_filters(
    asked: dict[str, str], languages: list[dict[str, Any]]
) -> tuple[dict[str, str], list[str]]:
    """The filters as the API names them, and a sentence for each one that means nothing.

    Case and codes are forgiven (`status=Ready`, `level=b1`, `language=de`); an unknown
    value is dropped so the page still lists readings, and the learner is told why.
    """
    known: dict[str, str] = {}
    problems: list[str] = []
    language = asked["language"].strip()
    if language:
        wanted = language.casefold()
        match = next(
            (
                lang["name"]
                for lang in languages
                if wanted in {str(lang.get(k, "")).casefold() for k in ("name", "code", "native")}
            ),
            None,
        )
        if match:
            known["language"] = match
        else:
            problems.append(_unknown("language", language))
    level = asked["level"].strip().upper()
    if level:
        if level in Level.__members__:
            known["level"] = level
        else:
            problems.append(_unknown("level", asked["level"]))
    status = asked["status"].strip().lower().replace(" ", "_")
    if status:
        if status in STATUSES or status in STATUS_FILTERS:
            known["status"] = status
        else:
            problems.append(_unknown("status", asked["status"]))
    known_min = asked["known_min"].strip().rstrip("%")
    if known_min:
        if known_min.isdigit() and int(known_min) <= 100:
            known["known_min"] = str(int(known_min))
        else:
            problems.append(_unknown("known_min", asked["known_min"]))
    return known, problems


def _api_filters(filters: dict[str, str]) -> dict[str, Any]:
    """The filters as the API takes them: a filter's status is one or several of the
    API's ("in_progress": queued or running, sent as status=queued&status=running)."""
    status = filters.get("status")
    if status in STATUS_FILTERS:
        return {**filters, "status": list(STATUS_FILTERS[status])}
    return dict(filters)


def _unknown(name: str, value: str) -> str:
    shown = value if len(value) <= 40 else value[:39] + "…"
    return {
        "language": f"OPAD has no language called “{shown}”, so readings in every "
        "language are shown.",
        "level": f"“{shown}” is not a level (levels go from A1 to C2), so readings at "
        "every level are shown.",
        "status": f"“{shown}” is not a reading status, so readings with any status are shown.",
        "known_min": f"“{shown}” is not a share of known words (0 to 100%), so readings are "
        "shown whatever share of their words you know.",
    }.get(name, f"The filter {name} “{shown}” is not understood and was left out.")


@router.get("/library")
async def library(
    request: Request,
    api: Api,
    language: str = "",
    level: str = "",
    status: str = "",
    known_min: str = "",
    sort: str = "",
    page_param: Annotated[str, Query(alias="page")] = "1",
) -> Response:
    """The list of articles (newest first, or in the order asked), with the share of their
    words the learner knows; one text at several levels is one entry."""
    number = _page_number(page_param)
    languages = await api.languages()
    asked = {"language": language, "level": level, "status": status, "known_min": known_min}
    filters, problems = _known_filters(asked, languages)
    if sort in SORTS and sort != "newest":
        filters["sort"] = sort
    paging = {"limit": PAGE_SIZE, "offset": (number - 1) * PAGE_SIZE}
    try:
        result = await api.articles({**_api_filters(filters), **paging})
    except InputRejected as exc:
        # The API knows a value we took for valid (a newer API): drop it, say so, go on.
        for name in exc.fields or filters:
            if filters.pop(name, None) is not None:
                problems.append(_unknown(name, asked.get(name, "")))
        result = await api.articles({**_api_filters(filters), **paging})
    total = int(result.get("total", 0))
    pages = max(1, -(-total // PAGE_SIZE))

    def page_url(n: int) -> str:
        return "/library?" + urlencode({**filters, "page": n})

    context = {
        "items": result.get("items", []),
        "groups": _groups(result.get("items", [])),
        "quizzes": await quiz_results(api),  # issue 13: "quiz 4/5" on taken readings
        "total": total,
        "page": number,
        "pages": pages,
        "beyond_last": total > 0 and number > pages,
        "last_url": page_url(pages),
        "prev_url": page_url(number - 1) if number > 1 else None,
        "next_url": page_url(number + 1) if number < pages else None,
        "filters": {
            "language": "",
            "level": "",
            "status": "",
            "known_min": "",
            "sort": "",
            **filters,
        },  # fmt: skip
        "filtered": bool({k for k in filters if k != "sort"}),
        "problems": problems,
        "languages": languages,
        "levels": [level.value for level in Level],
        "statuses": list(STATUS_FILTERS),
        # The option shown chosen: the one whose statuses hold the filter's (status=queued,
        # from an older link, is "in progress").
        "status_choice": next(
            (key for key, kinds in STATUS_FILTERS.items() if filters.get("status") in kinds),
            filters.get("status", ""),
        ),
        "status_labels": {**STATUS_LABELS, **FILTER_LABELS},
        "sorts": SORTS,
        "known_minimums": KNOWN_MINIMUMS,
        "here": str(request.url.path) + (f"?{request.url.query}" if request.url.query else ""),
    }
    return page(request, "library.html", context)


def _groups(items: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The page's readings, those of one text (same title and language) together, in the
    order the first of each came; within a group by level (A1 → C2)."""
    groups: dict[tuple[str, str], dict[str, Any]] = {}
    for item in items:
        title = item.get("title") or item.get("topic") or "Untitled"
        key = (str(item.get("language", "")), title.casefold())
        group = groups.setdefault(
            key, {"title": title, "language": item.get("language", ""), "items": []}
        )
        group["items"].append(item)
    for group in groups.values():
        group["items"].sort(key=lambda i: str(i.get("level", "")))
    return list(groups.values())


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
