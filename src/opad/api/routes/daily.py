"""Daily plans, today's readings, and the learner's Atom feed (issue 31; docs/daily.md)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Path, Request, Response, status

from opad.api.deps import Caller, CallerDep, ServicesDep
from opad.api.routes import audio as audio_routes
from opad.api.routes.words import COMMON, ONE, WITH_BODY
from opad.api.schemas import ErrorOut
from opad.daily import feed, plans
from opad.daily.clock import parse_clock
from opad.daily.today import mark_read, today
from opad.errors import NotFound

router = APIRouter(tags=["daily"])
BINARY = {"type": "string", "format": "binary"}  # OpenAPI: a file body
Language = Annotated[str, Path(max_length=40, description="Language name or ISO 639-1 code")]


@router.get("/daily/plans", responses=COMMON)
def list_plans(caller: CallerDep, services: ServicesDep) -> dict[str, Any]:
    """The learner's daily plans, one per language."""
    return {"items": plans.list_plans(services, caller.id)}


@router.put("/daily/plans/{language}", responses={**WITH_BODY, **ONE})
def put_plan(
    language: Language, body: plans.PlanIn, caller: CallerDep, services: ServicesDep
) -> dict[str, Any]:
    """Create or replace the plan for `language` (a reading every day, ready by `at_time`
    in `time_zone`; `active: false` pauses it)."""
    return plans.put_plan(services, caller.id, language, body)


@router.delete("/daily/plans/{language}", status_code=status.HTTP_204_NO_CONTENT, responses=ONE)
def delete_plan(language: Language, caller: CallerDep, services: ServicesDep) -> Response:
    """Delete the plan for `language` (its readings stay in your library)."""
    plans.delete_plan(services, caller.id, language)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.get("/daily/today", responses=COMMON)
def get_today(caller: CallerDep, services: ServicesDep) -> dict[str, Any]:
    """Today's reading of each plan (ready, being made, or could not be made), yesterday's
    if not read yet, the plans whose reading comes later, and the streak."""
    now = parse_clock(services.settings.daily_clock)()
    return today(services, caller.id, now)


@router.post("/daily/read/{article_id}", responses=ONE)
def post_read(article_id: str, caller: CallerDep, services: ServicesDep) -> dict[str, Any]:
    """Record that you opened this daily reading (it counts for the streak)."""
    now = parse_clock(services.settings.daily_clock)()
    first = mark_read(services, caller.id, article_id, now)
    return {"article_id": article_id, "first_time": first}


@router.get("/daily/feed", responses=COMMON)
def get_feed(caller: CallerDep, services: ServicesDep) -> dict[str, Any]:
    """Whether you have a feed address (it is shown only when made)."""
    return feed.feed_state(services, caller.id)


@router.post("/daily/feed", status_code=status.HTTP_201_CREATED, responses=COMMON)
def post_feed(caller: CallerDep, services: ServicesDep) -> dict[str, Any]:
    """A new secret feed address (the previous one stops working). Keep it: it is not
    shown again."""
    token = feed.new_token(services, caller.id)
    url = f"{services.settings.api_url.rstrip('/')}/feeds/{token}.atom"
    return {"token": token, "url": url}


@router.delete("/daily/feed", status_code=status.HTTP_204_NO_CONTENT, responses=ONE)
def delete_feed(caller: CallerDep, services: ServicesDep) -> Response:
    """Turn your feed off (its address stops working)."""
    if not feed.revoke(services, caller.id):
        raise NotFound("you have no feed")
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.get(
    "/feeds/{token}.atom",
    response_class=Response,
    responses={
        200: {"content": {"application/atom+xml": {"schema": {"type": "string"}}}},
        **ONE,
    },
)
def get_atom(token: str, services: ServicesDep) -> Response:
    """Your daily readings as an Atom feed (no sign-in: the address is the secret)."""
    user_id = feed.user_for_token(services, token)
    return Response(
        feed.atom(services, user_id, token),
        media_type="application/atom+xml; charset=utf-8",
        headers={"Cache-Control": "private, max-age=300"},
    )


@router.get(
    "/feeds/{token}/audio/{article_id}",
    response_class=Response,
    responses={
        200: {"content": {"audio/ogg": {"schema": BINARY}}, "description": "The whole audio"},
        206: {"content": {"audio/ogg": {"schema": BINARY}}, "description": "A byte range"},
        416: {"model": ErrorOut, "description": "The range starts past the end"},
        **ONE,
    },
)
def get_feed_audio(
    token: str, article_id: str, request: Request, services: ServicesDep
) -> Response:
    """A daily reading's audio for a feed reader or podcast app (ranges as the reader's)."""
    user_id = feed.user_for_token(services, token)
    if not feed.is_daily_reading(services, user_id, article_id):
        raise NotFound(f"article {article_id} is not in this feed")
    caller = Caller(id=user_id, email="", is_admin=False, ip="-", scope=user_id)
    return audio_routes.get_audio(article_id, request, caller, services)
