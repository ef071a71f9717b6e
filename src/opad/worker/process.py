"""One job's steps: record the start, run the engine, and end it — each step fenced.

Every run gets a token (`jobs.fence`, +1 at each start). Completion, failure, retry and
hand-back are conditional UPDATEs on that token, and status writes are Lua scripts that
check it too: a run whose job was taken over, cancelled or timed out can change nothing.
"""

from __future__ import annotations

import logging
import threading
import time
from dataclasses import dataclass, field
from typing import Any

import redis
from sqlalchemy import select
from sqlalchemy.orm import Session, configure_mappers

from opad.bootstrap import Services
from opad.daily.learner_words import coverage_inputs
from opad.db.models import Job, utcnow
from opad.engines.base import (
    Engine,
    GenerationRequest,
    GenerationResult,
    JobStopped,
    streaming_reading,
)
from opad.inputs import ArticleCreate
from opad.jobs.outcomes import GaveUp, NotRun, Refused, Skipped
from opad.jobs.records import job_status_document, transition
from opad.languages import language_by_name
from opad.logs import bind_attempt
from opad.metrics import JOBS_STARTED
from opad.queue.protocol import JobPayload
from opad.queue.redis_queue import LOST, WRITTEN
from opad.queue.status import LiveStatus
from opad.reading.model import ReadingBody
from opad.services.deletions import remove_if_deleted
from opad.services.jobs import read_live
from opad.services.known_share import write_index
from opad.states import JobStatus
from opad.wording import as_sentence, notices
from opad.worker.messages import BadMessage, read_message
from opad.worker.records import (
    ensure_records,
    refuse_message,
    reuse_words,
    save_result,
    used_sources,
)
from opad.worker.steps import Made, StepContext, after_engine, index_counts, steps_for

# Matches no job: statements run on it compile and change nothing (prepare_statements).
NO_JOB = "00000000-0000-0000-0000-000000000000"

log = logging.getLogger("opad.worker")

DUPLICATE = "job_id already used for another article"


class Discarded(Exception):
    """The run's result may not be recorded (taken over, cancelled, deleted)."""


@dataclass
class Run:
    """A started run of a job."""

    raw: str
    payload: JobPayload
    request: GenerationRequest
    token: int
    attempts: int
    status: LiveStatus  # the live status, as last written
    started: float = field(default_factory=time.monotonic)
    body: ReadingBody | None = None  # the reading's typed body, once analyzed (steps.py)

    @property
    def job_id(self) -> str:
        return self.payload.job_id

    @property
    def elapsed(self) -> float:
        """Seconds since this run started."""
        return time.monotonic() - self.started


class JobProcessor:
    """The steps of a job; safe to use from many threads at once."""

    def __init__(self, services: Services, engine: Engine, max_attempts: int) -> None:
        self.services = services
        self.engine = engine
        self.max_attempts = max_attempts

    def parse(self, raw: str) -> tuple[JobPayload, ArticleCreate]:
        """The payload and its inputs, or BadMessage naming every problem."""
        return read_message(raw)

    def refuse(self, bad: BadMessage) -> None:
        """End the job of a message that cannot run: `failed` with the reason — unless its
        job_id is another article's job, which is left exactly as it is."""
        refuse_message(self.services.db, self.services.queue, bad)

    def start(self, raw: str, payload: JobPayload, data: ArticleCreate) -> Run | NotRun:
        """Record a new run; returns it, or why the job will not run."""
        request = GenerationRequest(
            language=data.language,
            level=data.level,
            length=data.length,
            topic=data.topic or "",
            source_text=data.source_text,
            source_url=data.source_url,
        )
        with self.services.db.session() as session:
            # The usual case is one statement: the job is recorded, live and within budget.
            started = self._begin(session, payload.job_id, payload.article_id)
            if started is None:
                outcome = self._start_slowly(session, payload, request)
                if not isinstance(outcome, Job):
                    return outcome
                started = outcome
            status = job_status_document(started)
            run = Run(raw, payload, request, started.fence, started.attempts, status=status)
        if not self.services.queue.start_status(run.token, status.document()):
            return Skipped("a newer run or a final state holds the status")
        # What the engine should avoid and reuse is read once the learner sees "running"
        # (four queries that made the start, and so the pick-up, twice as slow); the noop
        # engine uses neither (a unit of work less per job on the queue benchmark).
        if self.engine.name != "noop":
            with self.services.db.session() as session:
                if not (request.source_text or request.source_url):
                    used = used_sources(session, payload.article_id)
                    request = request.model_copy(update={"used_sources": used})
                reuse = reuse_words(session, payload.article_id)
                # A daily plan's coverage target and the learner's words (issue 31).
                extra = coverage_inputs(session, payload.article_id)
                run.request = request.model_copy(update={"reuse_words": reuse, **extra})
        bind_attempt(run.attempts)
        JOBS_STARTED.inc()
        log.info(
            "job %s running (article %s, attempt %d)", run.job_id, payload.article_id, run.attempts
        )
        return run

    def write_running(self, run: Run, status: LiveStatus) -> bool:
        """A fenced status write of a running run; False once a newer run holds the job or
        it ended. If Redis lost the run's fence (lost data, not a newer run), the record
        decides: still this run's → the fence and status are put back."""
        queue = self.services.queue
        written = queue.write_run_status(run.token, status.document())
        if written != LOST:
            return written == WRITTEN
        with self.services.db.session() as session:
            owns = session.scalar(
                select(Job.id).where(
                    Job.id == run.job_id,
                    Job.fence == run.token,
                    Job.status == JobStatus.RUNNING,
                )
            )
        if owns is None:
            return False
        log.warning("job %s: Redis lost its run's fence; the record says it is ours", run.job_id)
        return queue.start_status(run.token, status.document())

    def prepare_statements(self) -> None:
        """Configure the ORM's mappers and compile the start's and the end's fenced UPDATEs
        now, before the first claim: SQLAlchemy does both on first use, ~50 ms of a warm
        worker's first job (cProfile, docs/benchmarks.md §12). The UPDATEs name a job that
        does not exist, so no row changes."""
        configure_mappers()
        with self.services.db.session() as session:
            self._begin(session, NO_JOB, NO_JOB)
            transition(session, NO_JOB, JobStatus.SUCCEEDED, token=0, progress=100, message="")

    def _begin(
        self, session: Session, job_id: str, article_id: str, *, take_over: bool = False
    ) -> Job | None:
        """Queued (or, `take_over`, running: its run was lost) → running as a new run (a
        new token), within the budget."""
        live = (JobStatus.QUEUED, JobStatus.RUNNING) if take_over else (JobStatus.QUEUED,)
        return transition(
            session,
            job_id,
            JobStatus.RUNNING,
            attempts=Job.attempts + 1,
            fence=Job.fence + 1,
            started_at=utcnow(),
            progress=5,
            message="Starting…",
            engine=self.engine.name,
            error=None,
            # A message naming another article must not take over this job's run.
            where=(Job.attempts < self.max_attempts)
            & (Job.article_id == article_id)
            & Job.status.in_(live),
        )

    def _start_slowly(
        self, session: Session, payload: JobPayload, request: GenerationRequest
    ) -> Job | NotRun:
        """Why the one-statement start did not apply, and what to do about it."""
        live = read_live(self.services.queue, payload.job_id)
        recorded = session.scalar(select(Job.article_id).where(Job.id == payload.job_id))
        owner = recorded or (live.article_id if live else None)
        if owner and owner != payload.article_id:
            return Refused(f"{DUPLICATE} ({owner})")
        if live is not None and live.is_terminal:
            # Also what a deleted article leaves behind: its records are gone, the live
            # status says cancelled, and the records must not be made again.
            return Skipped(f"already {live.status}", live.status)
        ensure_records(session, payload, request, self.services.settings.system_user)
        job = session.get(Job, payload.job_id)
        assert job is not None
        if job.status.is_terminal:
            # The record ended (e.g. the run committed, then its worker died before the
            # ack): make the live status say what the record says, and run nothing.
            self.services.queue.write_if_live(job_status_document(job).document())
            return Skipped(f"already {job.status}", job.status)
        if job.status == JobStatus.RUNNING and self.services.queue.held_by_live(job.id) > 1:
            # One run per job: a second message of a job a live worker runs is dropped
            # (a producer pushed twice, or the outbox raced a slow push).
            return Skipped("a duplicate message: the job is running on a live worker")
        if job.attempts >= self.max_attempts:
            why = job.error or "the worker running it was lost"
            error = f"gave up after {job.attempts} attempts ({why})"
            ended = transition(
                session, job.id, JobStatus.FAILED, message=f"Failed: {error}", error=error
            )
            if ended is not None:
                self.services.queue.write_if_live(job_status_document(ended).document())
            return GaveUp(error, self.max_attempts)
        started = self._begin(session, job.id, payload.article_id, take_over=True)
        return started if started is not None else Skipped("could not be started")

    def run(self, run: Run) -> GenerationResult:
        """Run the engine; each progress report is a fenced write, refused once the job
        was cancelled, timed out or taken over — then the engine is stopped there."""

        lock = threading.Lock()

        def progress(percent: int, message: str) -> None:
            # This run's own copy of its status: the fenced write refuses it if the job
            # changed hands or ended, so there is nothing to read back first.
            with lock:
                live = run.status
                run.status = live = live.model_copy(
                    update={
                        "progress": max(live.progress, min(95, max(5, percent))),
                        "message": message,
                    }
                )
                if not self.write_running(run, live):
                    raise JobStopped("the job was cancelled, timed out or taken over")

        def reading(text: str) -> None:
            self.services.queue.publish_reading(run.job_id, text)

        with streaming_reading(reading):
            result = self.engine.generate(run.request, progress)
        code = language_by_name(run.request.language).code
        context = StepContext(self.services, run.payload.article_id, code, progress)
        # analyze, questions, audio: worker/steps.py
        made = after_engine(context, result, steps_for(self.engine.name))
        run.body = made.body
        return made.result

    def finish(self, run: Run, result: GenerationResult) -> dict[str, Any]:
        """Store the result and mark the job succeeded — only if this run still owns it.
        Returns the succeeded status for the caller to write with the ack (one round trip:
        JobQueue.finish); the record is committed before that."""
        p = run.payload
        message = "Completed!"
        # Stored as sentences for every client (engines write clauses: "the source has…").
        result.warnings = [as_sentence(w) for w in result.warnings if w.strip()]
        if result.warnings:
            message = ("Completed, with a warning: " + notices(result.warnings))[:500]
        # The known-words index goes in the same transaction: no second one, no re-read.
        counts = index_counts(Made(result, run.body))
        try:
            status = self._record_success(run, result, message, counts)
        except Discarded:
            # What this run wrote into the folder (the reading, its audio) must not outlive
            # an article deleted meanwhile: through the deletion outbox, like the delete.
            remove_if_deleted(self.services, p.article_id)
            raise
        log.info("job %s succeeded (%d words)", run.job_id, result.word_count)
        return status

    def _record_success(
        self, run: Run, result: GenerationResult, message: str, counts: Any
    ) -> dict[str, Any]:
        p = run.payload
        with self.services.db.session() as session:
            # The conditional UPDATE comes first: it locks the row, so no newer run can
            # start (or complete) until this transaction ends, and a stale run stops here.
            job = transition(
                session,
                run.job_id,
                JobStatus.SUCCEEDED,
                token=run.token,
                progress=100,
                message=message,
            )
            if job is None:
                raise Discarded("this run no longer owns the job")
            if run.body is not None:  # before the markdown: its appearing means complete
                self.services.store.put_reading(p.article_id, run.body.to_json())
            key = self.services.store.put(
                p.article_id, result.markdown, result.model_dump_json(exclude={"markdown"})
            )
            if not save_result(session, p.article_id, key, result):
                raise Discarded("the article was deleted while it was being made")
            if counts is not None:
                write_index(session, p.article_id, *counts)
            return job_status_document(job).document()

    def fail(self, run: Run, error: str) -> bool:
        """Mark the job failed (if this run still owns it)."""
        return self._end(run, JobStatus.FAILED, message=f"Failed: {error}"[:500], error=error)

    def retry_later(self, run: Run, error: str, delay: float) -> bool:
        """Back to queued, saying when it runs again; False when this run no longer owns
        the job."""
        return self._end(
            run,
            JobStatus.QUEUED,
            progress=0,
            error=error,
            message=f"Retrying in {delay:.0f} s (attempt {run.attempts} of "
            f"{self.max_attempts} failed: {error})"[:500],
        )

    def was_cancelled(self, job_id: str) -> bool:
        """Whether the job's live status says cancelled (False when it cannot be read)."""
        try:
            live = read_live(self.services.queue, job_id)
        except redis.RedisError:
            return False
        return live is not None and live.status == JobStatus.CANCELLED

    def hand_back(self, run: Run) -> bool:
        """Back to queued without spending an attempt (the worker is stopping)."""
        return self._end(
            run,
            JobStatus.QUEUED,
            progress=0,
            attempts=Job.attempts - 1,
            message="Job queued... (returned by a stopping worker)",
        )

    def _end(self, run: Run, status: JobStatus, **values: Any) -> bool:
        for name in ("error", "message"):
            # An engine's error may quote a page with a NUL in it, which PostgreSQL refuses.
            if isinstance(values.get(name), str):
                values[name] = values[name].replace("\x00", "")
        with self.services.db.session() as session:
            job = transition(session, run.job_id, status, token=run.token, **values)
            if job is None:
                return False
            doc = job_status_document(job)
        self.services.queue.write_recorded(run.token, doc.document())
        log.log(
            logging.WARNING if status == JobStatus.FAILED else logging.INFO,
            "job %s %s: %s",
            run.job_id,
            status,
            doc.message,
        )
        return True
