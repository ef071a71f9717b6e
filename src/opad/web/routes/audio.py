"""A reading's audio in the reader: the file relayed from the API (ranges included, so the
player can seek), its state for the page's script, and "make the audio" from the page."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote, urlencode

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse, RedirectResponse, Response

from opad.web.api_client import ApiClient, ApiUnavailable
from opad.web.deps import Api, Form

router = APIRouter()

# Response headers of the API's audio that the browser needs to play and seek.
_PASSED = ("content-type", "content-range", "accept-ranges", "etag", "cache-control")
# A HEAD answer has no body to measure: its length is the API's.
_PASSED_HEAD = (*_PASSED, "content-length")


async def audio_context(api: ApiClient, article: dict[str, Any], query: Any) -> dict[str, Any]:
    """What the reader's audio partial shows: the audio block of the article's JSON, its
    timings when ready, and the outcome of a "make the audio" click (from the query)."""
    audio = dict(article.get("audio") or {"status": "none"})
    if audio.get("status") == "ready":
        timings = await api.audio_timings(article["id"])
        audio["timings"] = (timings or {}).get("sentences") or []
    audio["notice"] = query.get("audio_error") or ""
    return audio


@router.get("/articles/{article_id}/audio")
async def audio_file(request: Request, article_id: str, api: Api) -> Response:
    """The audio, relayed from the API with the player's Range/If-Range headers."""
    wanted = {k: v for k, v in request.headers.items() if k.lower() in ("range", "if-range")}
    upstream = await api.audio(article_id, wanted)
    headers = {k: v for k, v in upstream.headers.items() if k.lower() in _PASSED}
    return Response(upstream.content, status_code=upstream.status_code, headers=headers)


@router.head("/articles/{article_id}/audio")
async def audio_head(request: Request, article_id: str, api: Api) -> Response:
    """What GET would answer, without the body (the API's HEAD, relayed)."""
    wanted = {k: v for k, v in request.headers.items() if k.lower() in ("range", "if-range")}
    upstream = await api.audio(article_id, wanted, method="HEAD")
    headers = {k: v for k, v in upstream.headers.items() if k.lower() in _PASSED_HEAD}
    return Response(status_code=upstream.status_code, headers=headers)


@router.get("/articles/{article_id}/audio/state.json")
async def audio_state(article_id: str, api: Api) -> JSONResponse:
    """The reading's audio block ({status, duration, size, error, detail}), for polling."""
    article = await api.article(article_id)
    return JSONResponse(article.get("audio") or {"status": "none"})


@router.post("/articles/{article_id}/audio")
async def make_audio(article_id: str, api: Api, form: Form) -> Response:
    """Ask for the reading's audio, then back to the reading (its player says how it goes)."""
    target = f"/articles/{quote(article_id, safe='')}"
    try:
        await api.request_audio(article_id)
    except ApiUnavailable as exc:
        # The API's 503 names what is missing (the speech engine, or Redis): say it there.
        return RedirectResponse(
            f"{target}?{urlencode({'audio_error': exc.reason})}#audio", status_code=303
        )
    return RedirectResponse(f"{target}#audio", status_code=303)
