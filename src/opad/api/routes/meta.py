"""Health, readiness, and the lists a client needs to build its form."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from fastapi import APIRouter
from fastapi.responses import JSONResponse
from sqlalchemy import text

from opad.api.deps import ServicesDep
from opad.api.schemas import DependencyHealth, Health, LanguageOut, LevelOut, MetaOut, Readiness
from opad.engines.catalog import language_sources
from opad.languages import LANGUAGES
from opad.levels import DESCRIPTIONS, Level
from opad.queue.checks import config_problems, full_problem

router = APIRouter(tags=["meta"])


# What each engine does, as clients tell learners; an engine missing here reports neither.
# The leveler finds news only when the operator switches news on (OPAD_NEWS, `traits`).
ENGINE_TRAITS: dict[str, dict[str, bool]] = {
    "leveler": {"uses_llm": False, "finds_news": False},
    "noop": {"uses_llm": False, "finds_news": False},
    "crew": {"uses_llm": True, "finds_news": True},
}


def traits(settings: Any) -> dict[str, bool]:
    """{"uses_llm", "finds_news"} of the configured engine, as this install runs it."""
    found = dict(ENGINE_TRAITS.get(settings.engine, {"uses_llm": False, "finds_news": False}))
    if settings.engine == "leveler" and settings.news:
        found["finds_news"] = True
    return found


@router.get("/health", response_model=Health)
def health() -> dict[str, str]:
    """Liveness: the process answers (no dependency is checked)."""
    return {"status": "ok"}


@router.get("/meta", response_model=MetaOut)
def meta(services: ServicesDep) -> dict[str, object]:
    """The active engine and what it does (public: the web's home page describes it)."""
    return {"engine": services.settings.engine, **traits(services.settings)}


def _check(fn: Callable[[], Any]) -> dict[str, Any]:
    start = time.perf_counter()
    try:
        fn()
    except Exception as exc:  # any failure means "down", reported with its message
        return {"status": "down", "latency_ms": None, "error": f"{type(exc).__name__}: {exc}"}
    return {"status": "ok", "latency_ms": round((time.perf_counter() - start) * 1000, 2)}


@router.get("/health/ready", response_model=Readiness, responses={503: {"model": Readiness}})
def ready(services: ServicesDep) -> JSONResponse:
    """Readiness: Redis, the database and the content store, each with its latency; 503
    when one is down (a full Redis counts: it refuses new jobs). Redis's `warnings` name
    settings that put jobs at risk (an eviction policy, no persistence in production)."""

    def db() -> None:
        with services.db.engine.connect() as conn:
            conn.execute(text("SELECT 1"))

    def queue() -> None:
        services.queue.ping()
        full = full_problem(services.queue.redis)
        if full:
            raise RuntimeError(full)  # refuses new jobs: as good as down

    checks = {
        "redis": _check(queue),
        "database": _check(db),
        "store": _check(services.store.ping),
    }
    if checks["redis"]["status"] == "ok":
        production = services.settings.env == "production"
        try:
            checks["redis"]["warnings"] = config_problems(
                services.queue.redis, production=production
            )
        except Exception as exc:  # answered the ping, then not: reported, not fatal here
            checks["redis"]["warnings"] = [f"could not read Redis's configuration: {exc}"]
    ok = all(c["status"] == "ok" for c in checks.values())
    body = Readiness(
        status="ok" if ok else "unavailable",
        checks={k: DependencyHealth(**v) for k, v in checks.items()},
    )
    return JSONResponse(body.model_dump(), status_code=200 if ok else 503)


@router.get("/languages", response_model=list[LanguageOut])
def languages(services: ServicesDep) -> list[dict[str, object]]:
    """The languages OPAD can level, by English name (name or code are accepted as input),
    each with its script direction, what its `length` counts (words, or characters for
    Korean, Japanese and Chinese) and the kinds of source its readings can come from."""
    sources = language_sources(services.settings)
    ordered = sorted(LANGUAGES, key=lambda lang: lang.name.casefold())
    return [
        {
            "code": lang.code,
            "name": lang.name,
            "native": lang.native,
            "direction": lang.direction,
            "length_unit": lang.length_unit,
            "sources": sources[lang.code],
        }
        for lang in ordered
    ]


@router.get("/levels", response_model=list[LevelOut])
def levels() -> list[dict[str, str]]:
    """CEFR levels with a one-line description each."""
    return [{"code": level.value, "description": DESCRIPTIONS[level]} for level in Level]
