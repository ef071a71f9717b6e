"""Create, read, list and delete articles; enqueue their generation (after the commit)."""

from __future__ import annotations

import contextlib
import json
import logging
import uuid
from collections.abc import Sequence
from typing import Any

import redis
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from opad import hooks
from opad.audio import WARNING_PREFIX
from opad.bootstrap import Services
from opad.db.models import Article, Job
from opad.errors import Conflict, NotFound
from opad.inputs import ArticleCreate
from opad.jobs.records import (
    QUEUED_MESSAGE,
    create_job,
    job_payload,
    job_status_document,
    new_article_and_job,
    transition,
)
from opad.metrics import JOBS_ENQUEUED
from opad.queue.checks import is_out_of_memory
from opad.queue.protocol import status_document
from opad.queue.status import iso
from opad.services import deletions, known_share
from opad.services.audio import audio_summary
from opad.services.jobs import read_job
from opad.services.ownership import owned_article
from opad.states import ArticleStatus, JobStatus

log = logging.getLogger("opad.articles")


def inputs_of(article: Article) -> dict[str, Any]:
    """The protocol's `inputs` for an article (plus our optional source fields)."""
    return _inputs(
        {
            "language": article.language,
            "level": article.level,
            "length": article.length,
            "topic": article.topic,
            "source_url": article.source_url,
            "source_text": article.source_text,
        }
    )


def _inputs(article: dict[str, Any]) -> dict[str, Any]:
    inputs: dict[str, Any] = {
        "language": article["language"],
        "level": article["level"],
        "length": article["length"],
        "topic": article["topic"],
    }
    if article["source_url"]:
        inputs["source_url"] = article["source_url"]
    if article["source_text"]:
        inputs["source_text"] = article["source_text"]
    return inputs


def _new_article(data: ArticleCreate, owner_id: str) -> Article:
    return Article(
        id=str(uuid.uuid4()),
        owner_id=owner_id,
        language=data.language,
        level=data.level,
        length=data.length,
        topic=data.topic or "",
        source_text=data.source_text,
        source_url=data.source_url,
        status=ArticleStatus.DRAFT,
    )


def create_article(services: Services, data: ArticleCreate, owner_id: str) -> Article:
    """Store a new draft article."""
    article = _new_article(data, owner_id)
    with services.db.session() as session:
        session.add(article)
    return article


def _ping(services: Services) -> None:
    """Before anything is recorded: a RedisError here is the API's one 503 — also for a
    Redis that answers but is full (it would refuse the push: a write is the check)."""
    services.queue.check_writable()


def _queue_job(session: Session, services: Services, article: Article) -> Job:
    """Add a queued job for `article` to the session (the caller commits)."""
    if article.latest_job_id:
        latest = session.get(Job, article.latest_job_id)
        if latest is not None and not latest.status.is_terminal:
            raise Conflict(f"article {article.id} already has job {latest.id} {latest.status}")
    return create_job(session, article, inputs=inputs_of(article), engine=services.settings.engine)


def _push(services: Services, job: Job, article_id: str) -> dict[str, str]:
    """After the commit: LPUSH the job (see `_push_message`)."""
    hooks.reached("enqueue:after_commit")
    payload, status = job_payload(job), job_status_document(job).document()
    return _push_message(services, job.id, article_id, payload, status)


def _push_message(
    services: Services,
    job_id: str,
    article_id: str,
    payload: dict[str, Any],
    status: dict[str, Any],
) -> dict[str, str]:
    """After the commit: LPUSH the job. If Redis fails right now the job stays recorded
    `queued` and the workers' outbox (services/outbox.py) pushes it once Redis answers:
    accepted either way, and nothing for the learner to redo."""
    try:
        services.queue.enqueue(payload, status)
    except redis.RedisError as exc:
        if is_out_of_memory(exc):
            # Full since the check: the job would wait for room with no word to anyone.
            _cancel(services, job_id, "Cancelled: the queue was full; please try again")
            raise
        log.warning("job %s recorded but not pushed (%s): the outbox will push it", job_id, exc)
    else:
        JOBS_ENQUEUED.inc()
    return {"job_id": job_id, "article_id": article_id, "message": QUEUED_MESSAGE}


def _cancel(services: Services, job_id: str, message: str) -> None:
    with services.db.session() as session:
        transition(session, job_id, JobStatus.CANCELLED, message=message)


def enqueue_generation(
    services: Services, article_id: str, owner_id: str | None = None
) -> dict[str, str]:
    """Record a queued job, commit, then LPUSH it."""
    _ping(services)
    with services.db.session() as session:
        article = owned_article(session, article_id, owner_id)
        job = _queue_job(session, services, article)
    return _push(services, job, article_id)


def create_and_enqueue(services: Services, data: ArticleCreate, owner_id: str) -> dict[str, str]:
    """POST /generate: a new article and its job, then the LPUSH.

    The hot path of the API (docs/benchmarks.md §1): one Redis write that checks the
    queue takes writes (a 503 before anything is recorded), the two rows as Core INSERTs
    (one autocommitted statement on PostgreSQL, one transaction on SQLite; no ORM unit of
    work), then the status write + LPUSH, whose failure leaves the job to the outbox.
    """
    _ping(services)
    article: dict[str, Any] = {
        "id": str(uuid.uuid4()),
        "owner_id": owner_id,
        "language": data.language,
        "level": data.level,
        "length": data.length,
        "topic": data.topic or "",
        "source_text": data.source_text,
        "source_url": data.source_url,
    }
    db = services.db
    statements, job = new_article_and_job(
        article,
        inputs=_inputs(article),
        engine=services.settings.engine,
        one_statement=db.one_statement_commits,
    )
    db.run_one(*statements)
    hooks.reached("enqueue:after_commit")
    payload = {
        "job_id": job["id"],
        "article_id": article["id"],
        "inputs": job["inputs"],
        "created_at": iso(job["created_at"]),
    }
    status = status_document(
        job_id=job["id"],
        article_id=article["id"],
        status=JobStatus.QUEUED,
        progress=0,
        message=QUEUED_MESSAGE,
        created_at=job["created_at"],
    )
    return _push_message(services, job["id"], article["id"], payload, status.document())


# Time a listing may spend indexing readings no worker indexed (well under the web's 10 s).
INDEX_BUDGET_SECONDS = 2.0


def _summary(article: Article) -> dict[str, Any]:
    return {
        "id": article.id,
        "language": article.language,
        "level": article.level,
        "length": article.length,
        "topic": article.topic,
        "status": article.status,
        "title": article.title,
        "word_count": article.word_count,
        "created_at": article.created_at,
        "updated_at": article.updated_at,
        "latest_job_id": article.latest_job_id,
    }


def list_articles(
    services: Services,
    *,
    limit: int,
    offset: int,
    language: str | None = None,
    level: str | None = None,
    status: str | Sequence[str] | None = None,
    owner_id: str | None = None,
    viewer_id: str | None = None,
    known_min: int | None = None,
    sort: str = "newest",
) -> dict[str, Any]:
    """A page of articles in `sort` order (SORTS: newest first by default; only
    `owner_id`'s when given).

    With `viewer_id`, each item has `known_share` (0–1: the share of its running words
    that user knows; None until the reading is ready), and `known_min` (0–100) keeps
    only readings whose share is at least that percentage.
    """
    if viewer_id is not None:
        # Workers index what they make; this catches up older readings, a little a time.
        known_share.index_readings(services, owner_id, budget=INDEX_BUDGET_SECONDS)
    query = select(Article)
    if viewer_id is not None and known_min is not None:
        query = known_share.at_least(query, viewer_id, known_min)
    if owner_id is not None:
        query = query.where(Article.owner_id == owner_id)
    if language:
        query = query.where(Article.language == language)
    if level:
        query = query.where(Article.level == level)
    if status:
        # One status, or several (the web's "in progress" is queued or running).
        query = query.where(Article.status.in_([status] if isinstance(status, str) else status))
    with services.db.session() as session:
        total = session.scalar(select(func.count()).select_from(query.subquery())) or 0
        rows = session.scalars(query.order_by(*_order(sort)).limit(limit).offset(offset)).all()
        items = [_summary(a) for a in rows]
        if viewer_id is not None:
            found = known_share.shares(session, viewer_id, [a["id"] for a in items])
            for item in items:
                item["known_share"] = found.get(item["id"])
    return {"items": items, "total": total, "limit": limit, "offset": offset}


# The library's orders: "title" is the title (the topic until there is one) A–Z, then
# level; "level" is A1 → C2 (the codes sort so), then newest.
SORTS = ("newest", "oldest", "title", "level")


def _order(sort: str) -> list[Any]:
    title = func.lower(func.coalesce(Article.title, Article.topic))
    orders: dict[str, list[Any]] = {
        "oldest": [Article.created_at.asc(), Article.id.asc()],
        "title": [title.asc(), Article.level.asc(), Article.created_at.desc(), Article.id],
        "level": [Article.level.asc(), Article.created_at.desc(), Article.id.desc()],
    }
    return orders.get(sort, [Article.created_at.desc(), Article.id.desc()])


def get_article(
    services: Services,
    article_id: str,
    owner_id: str | None = None,
    viewer_id: str | None = None,
) -> dict[str, Any]:
    """Metadata, status, latest job, source, vocabulary and usage of one article (and,
    with `viewer_id`, the share of its words that user knows: `known_share`, 0–1)."""
    if viewer_id is not None:
        with services.db.session() as session:
            owned_article(session, article_id, owner_id)  # 404 before any indexing
        known_share.index_readings(services, owner_id, article_id)
    with services.db.session() as session:
        article = owned_article(session, article_id, owner_id)
        detail = _summary(article)
        if viewer_id is not None:
            detail["known_share"] = known_share.shares(session, viewer_id, [article_id]).get(
                article_id
            )
        detail["source_url"] = article.source_url
        detail["has_source_text"] = bool(article.source_text)
        latest_id = article.latest_job_id
        has_content = article.content_key is not None
    detail["latest_job"] = None
    if latest_id:
        with contextlib.suppress(NotFound):
            detail["latest_job"] = read_job(services.db, services.queue, latest_id)
    if has_content:
        raw = services.store.get_result(article_id)
        if raw:
            result = json.loads(raw)
            for key in ("source", "vocabulary", "usage", "warnings", "coverage"):
                if result.get(key) is not None:
                    detail[key] = result[key]
        if detail.get("language") == "Japanese" and detail.get("vocabulary"):
            detail["vocabulary"] = _no_reading_over_kana(detail["vocabulary"])
        detail["audio"] = audio_summary(services, article_id, detail.get("language"))
        if detail["audio"]["status"] == "ready" and detail.get("warnings"):
            # Made again since: the job's "no audio" warning is no longer true.
            detail["warnings"] = [w for w in detail["warnings"] if not w.startswith(WARNING_PREFIX)]
    return detail


def _no_reading_over_kana(vocabulary: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """A stored Japanese word list with no reading for a word written in kana (readings
    made before that rule gave ケーキ the reading けーき)."""
    from opad.text.cjk.morpheme import is_kana_only

    return [
        {**item, "reading": ""}
        if item.get("reading") and is_kana_only(str(item.get("lemma") or item.get("word") or ""))
        else item
        for item in vocabulary
    ]


def get_content(services: Services, article_id: str, owner_id: str | None = None) -> str:
    """The article's markdown, once generated."""
    with services.db.session() as session:
        article = owned_article(session, article_id, owner_id)
        status = article.status
    markdown = services.store.get_markdown(article_id)
    if markdown is None:
        raise NotFound(f"article {article_id} has no content yet (status: {status})")
    return markdown


def delete_article(services: Services, article_id: str, owner_id: str | None = None) -> None:
    """Delete the record, its jobs and its stored objects; unfinished jobs become cancelled.

    The objects go through the outbox (services/deletions.py): removed right away when
    the store answers, else by a worker as soon as it does; the delete itself never waits
    for a down store.
    """
    with services.db.session() as session:
        article = owned_article(session, article_id, owner_id)
        for job in article.jobs:
            if not job.status.is_terminal:
                # Tell workers before the record goes: a queued job must not bring it back.
                transition(
                    session,
                    job.id,
                    JobStatus.CANCELLED,
                    message="Cancelled: the article was deleted",
                )
                # A RedisError here rolls the delete back (and is the API's one 503).
                services.queue.write_if_live(job_status_document(job).document())
        session.delete(article)
        deletions.schedule(session, article_id)
    deletions.delete_now(services, article_id)
