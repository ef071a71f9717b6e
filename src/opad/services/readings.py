"""A reading's typed body for the API: stored by the worker, never computed here.

The API process holds no language analyzer. A reading stored before typed bodies existed
has none: asking for it requests its one-time analysis from the workers
(opad.reading.requests, opad.worker.convert) and answers "not yet" meanwhile.
"""

from __future__ import annotations

import logging

import redis

from opad.bootstrap import Services
from opad.errors import DependencyUnavailable, NotFound
from opad.reading.model import ReadingBody
from opad.reading.requests import AnalysisRequests
from opad.reading.stored import current, parse_body
from opad.services.ownership import owned_article

log = logging.getLogger("opad.readings")


def request_analysis(services: Services, *article_ids: str) -> None:
    """Ask the workers to analyze these stored readings (best effort: Redis down → the
    next request asks again)."""
    try:
        AnalysisRequests(services.queue.redis).request(*article_ids)
    except redis.RedisError as exc:
        log.warning("analysis of %d readings not requested yet: %s", len(article_ids), exc)


def stored_json(services: Services, article_id: str, owner_id: str | None) -> str | None:
    """The reading's stored `reading.json` text, or None after requesting its analysis.

    Raises NotFound for another's reading, or one without a text yet.
    """
    with services.db.session() as session:
        article = owned_article(session, article_id, owner_id)
        made = article.content_key is not None
    if not made:
        raise NotFound(f"article {article_id} has no text yet")
    raw = services.store.get_reading(article_id)
    if current(raw):
        return raw
    request_analysis(services, article_id)
    return None


def typed_body(services: Services, article_id: str) -> ReadingBody | None:
    """The reading's typed body (the caller checked ownership), or None after requesting
    its analysis. A store that is down gives None too (and nothing is requested)."""
    try:
        body = parse_body(services.store.get_reading(article_id))
    except (DependencyUnavailable, OSError) as exc:
        log.warning("reading %s: typed body not readable now (%s)", article_id, exc)
        return None
    if body is None:
        request_analysis(services, article_id)
    return body
