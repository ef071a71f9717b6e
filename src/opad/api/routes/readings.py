"""A reading's typed body: paragraphs → sentences → tokens, as the worker analyzed it."""

from __future__ import annotations

from typing import Any, Literal

from fastapi import APIRouter, Response, status
from fastapi.responses import JSONResponse
from pydantic import BaseModel

from opad.api.deps import CallerDep, ServicesDep
from opad.api.schemas import ErrorOut
from opad.reading.model import ReadingBody
from opad.services import readings

router = APIRouter(tags=["articles"])


class AnalysisPending(BaseModel):
    """A reading stored before typed bodies: its one-time analysis was asked for."""

    status: Literal["analyzing"] = "analyzing"
    detail: str = "this reading was stored before it was analyzed; a worker is analyzing it now"


PENDING = AnalysisPending().model_dump()
RESPONSES: dict[int | str, dict[str, Any]] = {
    200: {"model": ReadingBody, "description": "The typed body"},
    202: {
        "model": AnalysisPending,
        "description": "Not analyzed yet (stored before): asked for; try again shortly",
    },
    404: {"model": ErrorOut, "description": "Unknown article, or no text yet"},
    401: {"model": ErrorOut, "description": "No or bad token"},
    503: {"model": ErrorOut, "description": "The database or the store is down"},
}


@router.get("/articles/{article_id}/reading", responses=RESPONSES, response_class=Response)
def get_reading(article_id: str, caller: CallerDep, services: ServicesDep) -> Response:
    """The reading's typed body (title and source apart; sentences numbered as the reader,
    the audio and the questions use them; each token with its lemma, reading, kind, level,
    part of speech and offsets). 202 while a reading stored before is being analyzed."""
    raw = readings.stored_json(services, article_id, caller.scope)
    if raw is None:
        return JSONResponse(PENDING, status_code=status.HTTP_202_ACCEPTED)
    return Response(raw, media_type="application/json")
