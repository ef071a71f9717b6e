"""What the caller's readings took: LLM tokens and cost."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter

from opad.api.deps import CallerDep, ServicesDep
from opad.api.schemas import ErrorOut, UsageOut
from opad.services.usage import usage_summary

router = APIRouter(tags=["usage"])


@router.get("/usage", response_model=UsageOut, responses={503: {"model": ErrorOut}})
def usage(caller: CallerDep, services: ServicesDep) -> dict[str, Any]:
    """Tokens and cost (at OPAD_LLM_PRICES) of the caller's readings, by month and model."""
    return usage_summary(services, caller.scope)
