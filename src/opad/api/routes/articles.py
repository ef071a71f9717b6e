"""Articles: create, generate, list, read, content, delete."""

from __future__ import annotations

import json
import logging
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query, Response, status
from fastapi.responses import PlainTextResponse

from opad.api.deps import Caller, CallerDep, ServicesDep
from opad.api.schemas import (
    ArticleCreate,
    ArticleDetail,
    ArticlePage,
    ArticleSummary,
    ErrorOut,
    JobAccepted,
)
from opad.bootstrap import Services
from opad.engines.catalog import language_sources, takes_topic
from opad.errors import OpadError
from opad.languages import find_language
from opad.levels import Level
from opad.services import articles, limits
from opad.states import ArticleStatus

audit = logging.getLogger("opad.audit")

router = APIRouter(tags=["articles"])

Responses = dict[int | str, dict[str, Any]]
NOT_FOUND: Responses = {404: {"model": ErrorOut, "description": "Unknown article"}}
# Error bodies are JSON even where the success body is not (the markdown content).
JSON_ERRORS: Responses = {
    code: {
        "description": text,
        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/ErrorOut"}}},
    }
    for code, text in (
        (404, "Unknown article, or no content yet"),
        (401, "No or bad token"),
        (503, "Redis or the database is down"),
    )
}
UNAVAILABLE: Responses = {
    401: {"model": ErrorOut, "description": "No or bad token (when sign-in is required)"},
    503: {"model": ErrorOut, "description": "Redis or the database is down"},
}
LIMITED: Responses = {429: {"model": ErrorOut, "description": "Over a limit; see Retry-After"}}
INVALID: Responses = {
    422: {"model": ErrorOut, "description": "Invalid input; `fields` names each problem"}
}


class InvalidFilter(OpadError):
    status_code = 422
    error = "invalid input"


class NoTextsForTopic(OpadError):
    status_code = 422
    error = "invalid input"
    field = "topic"


def vet_topic(services: Services, language: str, topic_only: bool) -> None:
    """Refuse (422) a topic-only request in a language with no news and no library texts:
    it could only fail, after a job was made."""
    lang = find_language(language)
    if not topic_only or lang is None:
        return
    if not takes_topic(language_sources(services.settings)[lang.code]):
        raise NoTextsForTopic(
            f"topic: there are no {lang.name} texts to choose from yet — paste a text of "
            f"your own or give the address of a web page in {lang.name}, and OPAD adapts it "
            "to your level"
        )


class UnsafeSource(OpadError):
    status_code = 422
    error = "invalid input"
    field = "source_url"


def vet_source(services: Services, body: ArticleCreate, caller: Caller) -> None:
    """Refuse (422) a source_url OPAD must not fetch: checked here, and again at fetch time."""
    if not body.source_url:
        return
    # Here, not at the top: netguard's fetching half brings httpx (~5 MB) into the API
    # process, which needs it only for a request that names a page.
    from opad.netguard import UnsafeURL, probe_url

    try:
        probe_url(body.source_url, services.settings)
    except UnsafeURL as exc:
        audit.warning(
            "refused url user=%s ip=%s url=%s reason=%s",
            caller.email,
            caller.ip,
            body.source_url,
            exc,
        )
        raise UnsafeSource(f"source_url: {exc}") from exc


@router.post(
    "/articles",
    status_code=status.HTTP_201_CREATED,
    response_model=ArticleSummary,
    responses={**INVALID, **UNAVAILABLE},
)
def create_article(
    body: ArticleCreate, caller: CallerDep, services: ServicesDep
) -> dict[str, object]:
    """Store a new article (not generated yet: POST /articles/{id}/generate does that)."""
    vet_source(services, body, caller)
    vet_topic(services, body.language, not (body.source_text or body.source_url))
    article = articles.create_article(services, body, caller.id)
    return articles.get_article(services, article.id, caller.scope)


@router.post(
    "/articles/{article_id}/generate",
    status_code=status.HTTP_202_ACCEPTED,
    response_model=JobAccepted,
    responses={**NOT_FOUND, **INVALID, 409: {"model": ErrorOut}, **LIMITED, **UNAVAILABLE},
)
def generate_article(article_id: str, caller: CallerDep, services: ServicesDep) -> dict[str, str]:
    """Enqueue the generation of an article; answers at once with the job id."""
    with services.db.session() as session:
        article = articles.owned_article(session, article_id, caller.scope)
        language, topic_only = article.language, not (article.source_text or article.source_url)
    vet_topic(services, language, topic_only)
    with limits.generation_slot(services, caller.id, caller.ip):
        return articles.enqueue_generation(services, article_id, caller.scope)


@router.post(
    "/generate",
    status_code=status.HTTP_202_ACCEPTED,
    response_model=JobAccepted,
    responses={**INVALID, **LIMITED, **UNAVAILABLE},
)
def generate(body: ArticleCreate, caller: CallerDep, services: ServicesDep) -> Response:
    """Create an article and enqueue its generation in one call."""
    # A sync endpoint (one hand-off to the thread pool): its Redis and database round
    # trips then overlap with other requests' instead of holding the event loop, which
    # on a busy machine made a blocking version slower (docs/benchmarks.md §1).
    vet_source(services, body, caller)
    vet_topic(services, body.language, not (body.source_text or body.source_url))
    with limits.generation_slot(services, caller.id, caller.ip):
        accepted = articles.create_and_enqueue(services, body, caller.id)
    # Its JSON as is: validating our own three strings against JobAccepted (the documented
    # model) was a tenth of the request's CPU (py-spy, docs/benchmarks.md §1).
    return Response(
        json.dumps(accepted), status_code=status.HTTP_202_ACCEPTED, media_type="application/json"
    )


@router.get("/articles", response_model=ArticlePage, responses={**INVALID, **UNAVAILABLE})
def list_articles(
    services: ServicesDep,
    caller: CallerDep,
    limit: Annotated[int, Query(ge=1, le=100)] = 20,
    offset: Annotated[int, Query(ge=0, le=1_000_000_000)] = 0,
    language: Annotated[str | None, Query(description="Name or ISO code")] = None,
    level: Annotated[str | None, Query(description="A1…C2")] = None,
    status: Annotated[
        list[ArticleStatus] | None,
        Query(description="Only readings with this status; repeat it for any of several"),
    ] = None,
    known_min: Annotated[
        int | None,
        Query(ge=0, le=100, description="Only readings whose known words are at least this %"),
    ] = None,
    sort: Annotated[
        Literal["newest", "oldest", "title", "level"],
        Query(description="newest first (default), oldest first, title A–Z, level A1 → C2"),
    ] = "newest",
) -> dict[str, object]:
    """Articles (newest first unless `sort` says otherwise), each with the caller's
    `known_share`."""
    lang_name = None
    if language:
        lang = find_language(language)
        if lang is None:
            raise InvalidFilter(f"language: unsupported language {language!r}")
        lang_name = lang.name
    level_code = None
    if level:
        if level.strip().upper() not in Level.__members__:
            raise InvalidFilter("level: must be one of A1, A2, B1, B2, C1, C2")
        level_code = level.strip().upper()
    return articles.list_articles(
        services,
        limit=limit,
        offset=offset,
        language=lang_name,
        level=level_code,
        status=[s.value for s in status] if status else None,
        owner_id=caller.scope,
        viewer_id=caller.id,
        known_min=known_min,
        sort=sort,
    )


@router.get(
    "/articles/{article_id}", response_model=ArticleDetail, responses={**NOT_FOUND, **UNAVAILABLE}
)
def get_article(article_id: str, caller: CallerDep, services: ServicesDep) -> dict[str, object]:
    """An article's metadata, status, latest job, source, vocabulary, usage and the share
    of its words the caller knows."""
    return articles.get_article(services, article_id, caller.scope, caller.id)


@router.get(
    "/articles/{article_id}/content",
    response_class=PlainTextResponse,
    responses={200: {"content": {"text/markdown": {"schema": {"type": "string"}}}}, **JSON_ERRORS},
)
def get_content(article_id: str, caller: CallerDep, services: ServicesDep) -> PlainTextResponse:
    """The article as markdown."""
    return PlainTextResponse(
        articles.get_content(services, article_id, caller.scope),
        media_type="text/markdown; charset=utf-8",
    )


@router.delete(
    "/articles/{article_id}",
    status_code=status.HTTP_204_NO_CONTENT,
    response_class=Response,
    responses={**NOT_FOUND, **UNAVAILABLE},
)
def delete_article(article_id: str, caller: CallerDep, services: ServicesDep) -> Response:
    """Delete an article, its jobs and its content."""
    articles.delete_article(services, article_id, caller.scope)
    return Response(status_code=status.HTTP_204_NO_CONTENT)
