"""Readings and words made before the learner had an account (a local install without
required sign-in): how many, and moving them into the caller's account."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter

from opad.api.deps import CallerDep, ServicesDep
from opad.api.schemas import ErrorOut
from opad.errors import Conflict
from opad.services.local_data import adopt_local_data, local_data

router = APIRouter(prefix="/account", tags=["auth"])


@router.get("/local-data")
def get_local_data(caller: CallerDep, services: ServicesDep) -> dict[str, Any]:
    """What was made without an account on this install: `{"readings", "words",
    "can_move"}`; `can_move` is true for a signed-in caller where sign-in is not required."""
    found = local_data(services)
    signed_in = caller.token_id is not None
    return {**found, "can_move": signed_in and any(found.values())}


@router.post("/local-data/move", responses={409: {"model": ErrorOut}})
def move_local_data(caller: CallerDep, services: ServicesDep) -> dict[str, Any]:
    """Move them into the caller's account: `{"readings", "words", "words_left",
    "quiz_answers"}` moved (a word the account has already stays the account's). 409
    without a signed-in caller, or where sign-in is required."""
    if caller.token_id is None:
        raise Conflict("sign in first: the readings move into the account you are signed in to")
    return adopt_local_data(services, caller.id)
