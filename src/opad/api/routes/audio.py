"""A reading's audio: the file (with HTTP range requests, so a player can seek), its
sentence timings, and a request to make or remake it."""

from __future__ import annotations

import re
from typing import Any

from fastapi import APIRouter, Request, Response, status
from fastapi.responses import JSONResponse

from opad.api.deps import CallerDep, ServicesDep
from opad.api.schemas import AudioOut, AudioTimingsOut, ErrorOut
from opad.services import audio

_BINARY = {"type": "string", "format": "binary"}  # OpenAPI: a file body
router = APIRouter(tags=["audio"])

_RANGE = re.compile(r"^bytes=(\d*)-(\d*)$")
MAX_CHUNK = 1 << 20  # an open-ended range gets at most 1 MiB: the player asks for more
ERRORS: dict[int | str, dict[str, Any]] = {
    404: {"model": ErrorOut, "description": "Unknown article, or it has no audio"},
    401: {"model": ErrorOut, "description": "No or bad token"},
    503: {"model": ErrorOut, "description": "The store or Redis is down"},
}


def parse_range(header: str | None, size: int) -> tuple[int, int] | None | str:
    """The one byte range (first, last inclusive) a Range header asks for (RFC 9110 §14).

    None: serve the whole file (no header, a syntax we ignore, or several ranges, which
    a server may answer whole). "unsatisfiable": the range starts past the end.
    """
    if not header:
        return None
    match = _RANGE.match(header.strip().replace(" ", ""))
    if not match or match.group(1) == match.group(2) == "":
        return None
    first_s, last_s = match.groups()
    if first_s == "":  # the last N bytes
        n = int(last_s)
        if n == 0 or size == 0:
            return "unsatisfiable"
        return max(0, size - n), size - 1
    first = int(first_s)
    if first >= size:
        return "unsatisfiable"
    last = min(int(last_s), size - 1) if last_s else min(size - 1, first + MAX_CHUNK - 1)
    if last < first:
        return None  # an invalid range is ignored, not refused
    return first, last


_FILE_RESPONSES: dict[int | str, dict[str, Any]] = {
    200: {"content": {"audio/ogg": {"schema": _BINARY}}, "description": "The whole audio"},
    206: {
        "content": {"audio/ogg": {"schema": _BINARY}},
        "description": "The requested byte range",
    },
    416: {"model": ErrorOut, "description": "The range starts past the end (Content-Range)"},
    **ERRORS,
}


@router.get("/articles/{article_id}/audio", response_class=Response, responses=_FILE_RESPONSES)
def get_audio(
    article_id: str, request: Request, caller: CallerDep, services: ServicesDep
) -> Response:
    """The reading's audio (Opus in Ogg), whole or one byte range."""
    return _audio(article_id, request, caller.scope, services, with_body=True)


@router.head("/articles/{article_id}/audio", response_class=Response, responses=_FILE_RESPONSES)
def head_audio(
    article_id: str, request: Request, caller: CallerDep, services: ServicesDep
) -> Response:
    """What GET would answer (status, Content-Length, Content-Range, Accept-Ranges, ETag),
    without the body and without reading the file (RFC 9110 §9.3.2)."""
    return _audio(article_id, request, caller.scope, services, with_body=False)


def _audio(
    article_id: str, request: Request, scope: str | None, services: Any, *, with_body: bool
) -> Response:
    stored = audio.stored_audio(services, article_id, scope)
    headers = {
        "Accept-Ranges": "bytes",
        # The file's name is its content's hash: a new audio gets a new ETag.
        "ETag": f'"{stored.file}"',
        "Cache-Control": "private, max-age=3600",
    }
    wanted = parse_range(request.headers.get("range"), stored.size)
    if request.headers.get("if-range") not in (None, headers["ETag"]):
        wanted = None  # the client's copy is of another audio: send it all
    if wanted == "unsatisfiable":
        headers["Content-Range"] = f"bytes */{stored.size}"
        if not with_body:
            return Response(status_code=416, headers=headers)
        return JSONResponse(
            {
                "error": "range not satisfiable",
                "detail": f"the audio has {stored.size} bytes; the range starts past its end",
                "fields": [{"field": "Range", "message": "starts past the end of the audio"}],
            },
            status_code=416,
            headers=headers,
        )
    if wanted is None:
        first, last = 0, stored.size - 1
    else:
        assert isinstance(wanted, tuple)
        first, last = wanted
    code = status.HTTP_200_OK if wanted is None else status.HTTP_206_PARTIAL_CONTENT
    if wanted is not None:
        headers["Content-Range"] = f"bytes {first}-{last}/{stored.size}"
    if not with_body:
        headers["Content-Length"] = str(max(0, last - first + 1))
        return Response(status_code=code, media_type=stored.mime, headers=headers)
    body = audio.read_range(services, stored, first, last) if stored.size else b""
    if wanted is not None:
        headers["Content-Range"] = f"bytes {first}-{first + len(body) - 1}/{stored.size}"
    return Response(body, status_code=code, media_type=stored.mime, headers=headers)


@router.get(
    "/articles/{article_id}/audio/timings", response_model=AudioTimingsOut, responses=ERRORS
)
def get_timings(article_id: str, caller: CallerDep, services: ServicesDep) -> dict[str, Any]:
    """When each sentence is spoken: `sentences[i].sentence` is the reader's sentence
    number, `start`/`end` are seconds from the start of the audio."""
    return audio.timings(services, article_id, caller.scope)


@router.post(
    "/articles/{article_id}/audio",
    status_code=status.HTTP_202_ACCEPTED,
    response_model=AudioOut,
    responses={409: {"model": ErrorOut, "description": "The reading has no text yet"}, **ERRORS},
)
def request_audio(article_id: str, caller: CallerDep, services: ServicesDep) -> dict[str, Any]:
    """Make (or remake) the reading's audio: a worker takes the request within seconds.

    503 names the speech engine when no running worker has one. Follow the audio's
    `status` in `GET /articles/{id}` (pending → making → ready, or failed with `error`).
    """
    return audio.request_audio(services, article_id, caller.scope)
