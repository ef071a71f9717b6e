"""Handling one claimed job: record it, run the engine, store the result, report status."""

from __future__ import annotations

import logging
import threading
import time
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from pydantic import ValidationError

from opad.bootstrap import Services
from opad.db.models import Article, Job, utcnow
from opad.engines.base import Engine, EngineError, GenerationRequest, GenerationResult
from opad.inputs import ArticleCreate
from opad.jobs import JobStatus
from opad.queue.protocol import JobPayload, now_iso, status_document
from opad.services.jobs import apply_transition, job_status_document

log = logging.getLogger("opad.worker")

PROGRESS_MIN_INTERVAL = 0.2  # seconds between two progress writes of one job


class Discarded(Exception):
    """The job ended elsewhere (deleted, cancelled) while it ran: drop its result."""


@dataclass
class ClaimedJob:
    payload: JobPayload
    request: GenerationRequest


def _describe(exc: ValidationError) -> str:
    return "; ".join(
        f"{'.'.join(str(p) for p in e['loc']) or 'inputs'}: "
        f"{str(e['msg']).removeprefix('Value error, ')}"
        for e in exc.errors()
    )


class JobProcessor:
    """Runs claimed jobs through the engine; safe to use from many threads at once."""

    def __init__(self, services: Services, engine: Engine) -> None:
        self.services = services
        self.engine = engine

    # -- steps -------------------------------------------------------------------------------

    def parse(self, raw: str) -> JobPayload:
        """The payload, or ValueError with a readable reason."""
        try:
            payload = JobPayload.model_validate_json(raw)
        except ValidationError as exc:
            raise ValueError(f"malformed job payload: {_describe(exc)}") from exc
        if not payload.job_id.strip() or not payload.article_id.strip():
            raise ValueError("malformed job payload: job_id and article_id must not be empty")
        return payload

    def start(self, payload: JobPayload) -> ClaimedJob | None:
        """Record the job as running; None when it already ended (deleted, cancelled, done)."""
        live = self.services.queue.read_status(payload.job_id)
        if live is not None and JobStatus(live["status"]).is_terminal:
            log.info("job %s already %s: skipped", payload.job_id, live["status"])
            return None
        try:
            data = ArticleCreate.model_validate(payload.inputs)
        except ValidationError as exc:
            self._fail_unrecorded(payload, f"invalid inputs: {_describe(exc)}")
            return None
        request = GenerationRequest(
            language=data.language,
            level=data.level,
            length=data.length,
            topic=data.topic or "",
            source_text=data.source_text,
            source_url=data.source_url,
        )
        with self.services.db.session() as session:
            article = session.get(Article, payload.article_id)
            job = session.get(Job, payload.job_id)
            if article is None:
                # A producer that only speaks the Redis protocol: the worker makes the record.
                article = Article(
                    id=payload.article_id,
                    language=request.language,
                    level=request.level.value,
                    length=request.length,
                    topic=request.topic,
                    source_text=request.source_text,
                    source_url=request.source_url,
                )
                session.add(article)
            if job is None:
                job = Job(
                    id=payload.job_id,
                    article_id=article.id,
                    status=JobStatus.QUEUED.value,
                    progress=0,
                    message="Job queued...",
                    attempts=0,
                    inputs=payload.inputs,
                    created_at=_parse_time(payload.created_at),
                )
                session.add(job)
                article.latest_job_id = job.id
            if JobStatus(job.status).is_terminal:
                log.info("job %s already %s: skipped", job.id, job.status)
                return None
            job.engine = self.engine.name
            article.status = "queued"
            session.flush()
            apply_transition(session, job, JobStatus.RUNNING, progress=5, message="Starting…")
            status = job_status_document(job)
        self.services.queue.write_status(status)
        log.info("job %s running (article %s, attempt %d)", job.id, article.id, job.attempts)
        return ClaimedJob(payload, request)

    def run(self, claimed: ClaimedJob) -> GenerationResult:
        """Run the engine, reporting its progress on the live status (throttled)."""
        job_id = claimed.payload.job_id
        last_write = [0.0]
        lock = threading.Lock()

        def progress(percent: int, message: str) -> None:
            now = time.monotonic()
            with lock:
                if now - last_write[0] < PROGRESS_MIN_INTERVAL and percent < 100:
                    return
                last_write[0] = now
            self._update_live(job_id, min(95, max(5, percent)), message)

        return self.engine.generate(claimed.request, progress)

    def finish(self, claimed: ClaimedJob, result: GenerationResult) -> None:
        """Store the result and mark the job succeeded, unless it ended meanwhile."""
        p = claimed.payload
        self._update_live(p.job_id, 97, "Saving…")
        result_json = result.model_dump_json(exclude={"markdown"})
        with self.services.db.session() as session:
            article = session.get(Article, p.article_id)
            job = session.get(Job, p.job_id)
            if article is None or job is None:
                raise Discarded("the article was deleted while it was being made")
            if JobStatus(job.status).is_terminal:
                raise Discarded(f"the job was {job.status} meanwhile")
            article.content_key = self.services.store.put(article.id, result.markdown, result_json)
            article.title = result.title[:500]
            article.word_count = result.word_count
            message = "Completed!"
            if result.warnings:
                message = "Completed, with a warning: " + "; ".join(result.warnings)
            apply_transition(session, job, JobStatus.SUCCEEDED, progress=100, message=message[:500])
            status = job_status_document(job)
        self.services.queue.write_status(status)
        log.info("job %s succeeded (%d words)", p.job_id, result.word_count)

    def fail(self, payload: JobPayload, error: str) -> None:
        """Mark the job failed with a readable error."""
        with self.services.db.session() as session:
            job = session.get(Job, payload.job_id)
            if job is None or JobStatus(job.status).is_terminal:
                return
            apply_transition(
                session, job, JobStatus.FAILED, message=f"Failed: {error}"[:500], error=error
            )
            status = job_status_document(job)
        self.services.queue.write_status(status)
        log.warning("job %s failed: %s", payload.job_id, error)

    def discard(self, payload: JobPayload, reason: str) -> None:
        """The job's article or job record is gone: say so on the live status."""
        live = self.services.queue.read_status(payload.job_id) or {}
        if live and JobStatus(live["status"]).is_terminal:
            return
        self.services.queue.write_status(
            {
                **self._unrecorded(payload),
                "status": "cancelled",
                "message": f"Cancelled: {reason}",
                "progress": live.get("progress", 0),
                "finished_at": now_iso(),
            }
        )
        log.info("job %s discarded: %s", payload.job_id, reason)

    # -- helpers -----------------------------------------------------------------------------

    def _update_live(self, job_id: str, progress: int, message: str) -> None:
        live = self.services.queue.read_status(job_id)
        if live is None or live["status"] != JobStatus.RUNNING.value:
            return
        live.update(progress=progress, message=message)
        self.services.queue.write_status(live)

    def _unrecorded(self, payload: JobPayload) -> dict[str, Any]:
        return status_document(
            job_id=payload.job_id,
            article_id=payload.article_id,
            status=JobStatus.FAILED.value,
            progress=0,
            message="",
            created_at=payload.created_at or now_iso(),
        )

    def _fail_unrecorded(self, payload: JobPayload, error: str) -> None:
        # Inputs too broken to make an article of: the live status and the log say why.
        status = self._unrecorded(payload)
        status.update(message=f"Failed: {error}"[:500], error=error, finished_at=now_iso())
        self.services.queue.write_status(status)
        log.warning("job %s failed: %s", payload.job_id, error)


def _parse_time(value: str | None) -> datetime:
    if value:
        try:
            parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
            if parsed.tzinfo is not None:
                return parsed
        except ValueError:
            pass
    return utcnow()


def engine_error_text(exc: BaseException) -> str:
    """A one-line, readable reason for a failure."""
    if isinstance(exc, EngineError):
        return str(exc)
    return f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__
