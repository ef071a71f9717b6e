"""Review of saved words (FSRS cards due, grading) and the learner's word statistics."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query

from opad.api.deps import CallerDep, ServicesDep
from opad.api.routes.words import COMMON, NOT_REVIEWED, ONE, WITH_BODY
from opad.api.word_inputs import Grade, language_of
from opad.services import review

router = APIRouter(tags=["words"])


@router.get("/review", responses=COMMON)
def due(
    caller: CallerDep,
    services: ServicesDep,
    language: Annotated[str | None, Query(max_length=40)] = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 20,
) -> dict[str, Any]:
    """Cards due now: a cloze of the saved sentence, the meaning, the next interval per grade."""
    code = language_of(language).code if language else None
    return review.due_cards(services, caller.id, language=code, limit=limit)


@router.post("/review/{word_id}", responses={**ONE, **WITH_BODY, **NOT_REVIEWED})
def grade(word_id: str, body: Grade, caller: CallerDep, services: ServicesDep) -> dict[str, Any]:
    """Grade a card again / hard / good / easy; answers when it comes back."""
    return review.grade(services, caller.id, word_id, body.rating)


@router.get("/stats/words", responses=COMMON)
def word_stats(
    caller: CallerDep,
    services: ServicesDep,
    days: Annotated[int, Query(ge=1, le=365)] = 30,
    language: Annotated[str | None, Query(max_length=40, description="Name or code")] = None,
) -> dict[str, Any]:
    """Words by state, words by state over the last `days` days, reviews per day, streak
    (of one language's words with `language`)."""
    from opad.api.word_inputs import language_of
    from opad.services.word_stats import stats

    code = language_of(language).code if language else None
    return stats(services, caller.id, days, code)
