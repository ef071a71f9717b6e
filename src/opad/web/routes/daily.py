"""Daily readings in the web: the plan form (/daily), the feed address, and opening a
daily reading from the home page (which counts it as read for the streak)."""

from __future__ import annotations

import contextlib
from typing import Any
from urllib.parse import quote

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response

from opad.levels import Level
from opad.web import daily_client
from opad.web.api_client import ApiClient, ApiError, ApiUnavailable, InputRejected, NotFound
from opad.web.deps import Api, Form, page

router = APIRouter()

FIELDS = ("language", "level", "length", "topics", "at_time", "time_zone", "coverage", "active")
DEFAULTS = {
    "language": "",
    "level": "B1",
    "length": "150",
    "topics": "everyday life",
    "at_time": "07:00",
    "time_zone": "",
    "coverage": "95",
    "active": "on",
}
# The API's field names as the form's labels say them.
LABELS = {
    "language": "Language",
    "level": "Level",
    "length": "Length",
    "topics": "Topics",
    "at_time": "Ready by",
    "time_zone": "Time zone",
    "coverage": "Known words",
}


async def today_block(api: ApiClient) -> dict[str, Any] | None:
    """The home page's "Today's paragraph" block: the API's today, or None when it has
    nothing to say (no plan) or cannot say it now (the page works without it)."""
    with contextlib.suppress(ApiError, ApiUnavailable, NotFound):
        view = await daily_client.today(api)
        if view["readings"] or view["upcoming"]:
            return view
    return None


def takes_topic(lang: dict[str, Any]) -> bool:
    """Whether OPAD has texts in this language (news or library) to make a daily reading
    from: a daily reading is made on a topic, never from the learner's own text."""
    kinds = lang.get("sources") or []
    return "news" in kinds or "library" in kinds


async def default_language(api: ApiClient, languages: list[dict[str, Any]]) -> str:
    """The language a new plan's form starts with: the one of the learner's newest reading,
    else English, else the first with texts — never one with no texts to choose from (a
    plan in it would be refused), and not merely the first alphabetically."""
    usable = [lang["name"] for lang in languages if takes_topic(lang)]
    last = None
    with contextlib.suppress(ApiError, ApiUnavailable, NotFound, KeyError, TypeError):
        items = (await api.articles({"limit": 1}))["items"]
        last = items[0]["language"] if items else None
    for name in (last, "English"):
        if name in usable:
            return str(name)
    return usable[0] if usable else ""


def plan_body(form: dict[str, str]) -> dict[str, Any]:
    """The API's plan from the form's fields (topics one per line or comma-separated;
    known words in percent, empty for "by level only")."""
    raw_topics = form.get("topics", "").replace("\n", ",")
    coverage = form.get("coverage", "").strip().rstrip("%")
    body: dict[str, Any] = {
        "level": form.get("level", ""),
        "length": form.get("length", ""),
        "topics": [t.strip() for t in raw_topics.split(",") if t.strip()],
        "at_time": form.get("at_time", ""),
        "time_zone": form.get("time_zone", "").strip() or None,
        "coverage": coverage or None,
        "active": form.get("active") == "on",
    }
    if coverage:
        try:
            body["coverage"] = float(coverage) / 100
        except ValueError:
            body["coverage"] = coverage  # the API names the field
    return body


async def _page(
    request: Request,
    api: ApiClient,
    values: dict[str, str],
    errors: dict[str, str] | None = None,
    feed_url: str | None = None,
    status_code: int = 200,
) -> Response:
    plans = await daily_client.plans(api)
    context = {
        "plans": plans,
        # The heading says "Your plan in …" only for a plan that exists.
        "editing": any(plan["language"] == values.get("language") for plan in plans),
        "languages": await api.languages(),
        "levels": [level.value for level in Level],
        "values": values,
        "errors": errors or {},
        "feed": await daily_client.feed_state(api),
        "feed_url": feed_url,
    }
    return page(request, "daily.html", context, status_code=status_code)


@router.get("/daily")
async def daily_page(request: Request, api: Api, language: str = "") -> Response:
    """The learner's daily plans, a form to make or change one, and the feed address."""
    values = dict(DEFAULTS)
    values["language"] = await default_language(api, await api.languages())
    for plan in await daily_client.plans(api):
        if plan["language"] == language:
            values.update(
                language=plan["language"],
                level=plan["level"],
                length=str(plan["length"]),
                topics=", ".join(plan["topics"]),
                at_time=plan["at_time"],
                time_zone=plan["time_zone"],
                coverage=str(round(plan["coverage"] * 100)) if plan["coverage"] else "",
                active="on" if plan["active"] else "",
            )
    return await _page(request, api, values)


@router.post("/daily/plans")
async def save_plan(request: Request, api: Api, form: Form) -> Response:
    """Make or change the plan for the form's language."""
    values = {name: form.get(name, "") for name in FIELDS}
    language = values["language"].strip()
    if not language:
        return await _page(request, api, values, {"language": "Choose a language."}, None, 422)
    try:
        await daily_client.put_plan(api, language, plan_body(form))
    except InputRejected as exc:
        errors = {
            name: f"{LABELS.get(name, name)}: {message}" for name, message in exc.fields.items()
        }
        return await _page(request, api, values, errors or {"body": exc.detail}, None, 422)
    return RedirectResponse("/daily", status_code=303)


@router.post("/daily/plans/{language}/delete")
async def delete_plan(language: str, api: Api) -> Response:
    """Delete a plan (its readings stay in the library)."""
    with contextlib.suppress(NotFound):
        await daily_client.delete_plan(api, language)
    return RedirectResponse("/daily", status_code=303)


@router.post("/daily/feed")
async def new_feed(request: Request, api: Api) -> Response:
    """A new feed address, shown once on the page."""
    made = await daily_client.new_feed(api)
    values = dict(DEFAULTS)
    values["language"] = await default_language(api, await api.languages())
    return await _page(request, api, values, feed_url=str(made["url"]))


@router.post("/daily/feed/revoke")
async def revoke_feed(api: Api) -> Response:
    """Turn the feed off."""
    await daily_client.revoke_feed(api)
    return RedirectResponse("/daily", status_code=303)


@router.get("/daily/open/{article_id}")
async def open_reading(article_id: str, api: Api) -> Response:
    """Open a daily reading from the home page: counted as read, then the reader."""
    await daily_client.mark_read(api, article_id)
    return RedirectResponse(f"/articles/{quote(article_id, safe='')}", status_code=303)
