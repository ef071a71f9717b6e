"""The usage page: what the learner's readings took in LLM tokens, and what they cost."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response

from opad.web.deps import Api, page

router = APIRouter()


@router.get("/usage")
async def usage_page(request: Request, api: Api) -> Response:
    """Totals, then by month and by model (the API's GET /usage)."""
    return page(request, "usage.html", {"usage": await api.usage()})
