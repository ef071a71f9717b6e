"""Readings stored before they had a typed body: analyzed once, on request, by a worker.

The API asks (opad.reading.requests) when it needs the typed body of such a reading — the
reader opening it, a listing counting known words, its questions —; this loop takes each
request, analyzes the stored markdown once (opad.reading.analyze), and stores
`reading.json` beside it with the reading's known-words index. The text, the result, the
questions and the audio are left exactly as they were: nothing is lost, nothing re-made.
"""

from __future__ import annotations

import json
import logging
import threading
import time

import redis

from opad.bootstrap import Services
from opad.db.models import Article
from opad.errors import DependencyUnavailable
from opad.languages import find_language
from opad.reading.analyze import analyze
from opad.reading.model import ReadingBody, VocabularyItem
from opad.reading.requests import AnalysisRequests
from opad.reading.stored import parse_body
from opad.services.known_share import write_index

log = logging.getLogger("opad.worker")

POLL_SECONDS = 0.5
LEASE_SECONDS = 120.0
RETRY_AFTER_SECONDS = 20.0  # when the store or database was down


def convert(services: Services, article_id: str) -> ReadingBody | None:
    """Analyze the stored reading `article_id` (unless a current typed body is stored) and
    store its `reading.json` and known-words index; its typed body, or None when it has
    no text (deleted, never made). Raises DependencyUnavailable when the store is down."""
    with services.db.session() as session:
        article = session.get(Article, article_id)
        found = (article.language, article.content_key) if article else None
    if found is None or found[1] is None:
        return None
    lang = find_language(found[0])
    stored = parse_body(services.store.get_reading(article_id))
    if stored is not None or lang is None:
        return stored
    markdown = services.store.get_markdown(article_id)
    if markdown is None:
        return None
    raw = services.store.get_result(article_id)
    items = (json.loads(raw).get("vocabulary") or []) if raw else []
    vocabulary = [VocabularyItem.model_validate(v) for v in items]
    body = analyze(markdown, lang.code, vocabulary)
    services.store.put_reading(article_id, body.to_json())
    with services.db.session() as session:
        if session.get(Article, article_id) is not None:  # not deleted meanwhile
            write_index(session, article_id, body.language, body.lemma_counts())
    log.info("article %s: stored reading analyzed (%d sentences)", article_id, len(body.sentences))
    return body


def serve_analysis_requests(services: Services, stopping: threading.Event) -> None:
    """Until `stopping` is set: convert the readings the API asked for, one at a time."""
    requests = AnalysisRequests(services.queue.redis)
    while not stopping.wait(POLL_SECONDS):
        try:
            while not stopping.is_set():
                claimed = requests.claim(LEASE_SECONDS)
                if claimed is None:
                    break
                article_id, lease = claimed
                try:
                    convert(services, article_id)
                except (DependencyUnavailable, OSError) as exc:
                    log.warning("article %s not analyzed yet: %s", article_id, exc)
                    requests.retry_at(article_id, time.time() + RETRY_AFTER_SECONDS)
                    continue
                except Exception:  # a bad text must not block the others
                    log.exception("article %s could not be analyzed", article_id)
                requests.release(article_id, lease)
        except redis.RedisError as exc:
            log.warning("analysis requests: Redis unavailable (%s)", exc)
            stopping.wait(5.0)
        except Exception:  # an unforeseen error must not end the loop for good
            log.exception("analysis request failed")
