"""The worker process: slots that claim and run jobs, a heartbeat, a reaper, a clean stop.

Threads, one role each: `concurrency` slots (claim → run → end), one heartbeat (renews the
lease; no job's work can block it), one maintenance loop (due retries, and reaping the jobs
of workers whose lease expired), one cleanup loop (stored objects of deleted articles that
the store refused earlier, services/deletions.py; long-ended tokens). Each job's engine
runs in a thread of its own, so a slot can give up on it at the deadline or at the end of
the shutdown grace period.
"""

from __future__ import annotations

import contextvars
import logging
import os
import signal
import socket
import threading
import time
import uuid
from functools import partial
from pathlib import Path
from types import FrameType

import redis

from opad.audio.loop import serve_audio_requests
from opad.bootstrap import Services
from opad.engines.base import Engine, EngineError, GenerationResult, JobStopped
from opad.inputs import ArticleCreate
from opad.logs import job_context
from opad.metrics import job_ended, job_not_run
from opad.queue.protocol import JobPayload
from opad.queue.workers import Registry
from opad.services.accounts import purge_ended_tokens
from opad.services.deletions import retry_pending
from opad.settings import Settings
from opad.worker.messages import BadMessage, refusal_reason, worth_retrying
from opad.worker.process import Discarded, JobProcessor, Run

log = logging.getLogger("opad.worker")

CLAIM_TIMEOUT = 1.0  # seconds a claim blocks, so a stop request is noticed quickly
MAX_BACKOFF = 5.0
FAULT_POINTS = ("after_claim", "before_running", "after_work", "after_commit")


def new_worker_id() -> str:
    """host-pid-random: unique per worker process."""
    return f"{socket.gethostname()}-{os.getpid()}-{uuid.uuid4().hex[:6]}"


def error_text(exc: BaseException) -> str:
    """A one-line, readable reason for a failure."""
    if isinstance(exc, EngineError):
        return str(exc)
    return f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__


class Worker:
    """Claims jobs into its own processing list and runs up to `concurrency` at once."""

    def __init__(
        self,
        services: Services,
        engine: Engine,
        settings: Settings,
        *,
        concurrency: int | None = None,
        worker_id: str | None = None,
    ) -> None:
        self.services = services
        self.settings = settings
        self.processor = JobProcessor(services, engine, settings.max_attempts)
        self.concurrency = concurrency or settings.worker_concurrency
        self.id = worker_id or new_worker_id()
        self.registry = Registry(services.queue, self.id, settings.lease_seconds)
        self.stopping = threading.Event()  # no new claims
        self.abandon = threading.Event()  # grace period over: hand running jobs back
        self._slots: list[threading.Thread] = []
        self._helpers: list[threading.Thread] = []
        self._in_hand = 0
        self._lock = threading.Lock()
        # Fault injection for the crash tests: os._exit at a named hand-off point.
        self._faults = {p for p in os.environ.get("OPAD_FAULT_INJECT", "").split(",") if p}

    # -- lifecycle --------------------------------------------------------------------------

    def run(self) -> None:
        """Work until SIGTERM/SIGINT, then stop gracefully."""
        for sig in (signal.SIGTERM, signal.SIGINT):
            signal.signal(sig, self._on_signal)
        self.start()
        while not self.stopping.wait(0.5):
            pass
        self.stop()

    def start(self) -> None:
        """Register, then start the heartbeat, the maintenance loop and the slots."""
        self._with_redis(lambda: self.registry.register(self.concurrency), "register")
        for name, target in (
            ("heartbeat", self._heartbeat),
            ("maintenance", self._maintain),
            ("cleanup", self._cleanup),
            ("audio", partial(serve_audio_requests, self.services, self.id, self.stopping)),
        ):
            thread = threading.Thread(target=target, name=name, daemon=True)
            thread.start()
            self._helpers.append(thread)
        for n in range(self.concurrency):
            thread = threading.Thread(target=self._slot, name=f"slot-{n}", daemon=True)
            thread.start()
            self._slots.append(thread)
        log.info(
            "worker %s ready: %d slots, engine %s",
            self.id,
            self.concurrency,
            self.processor.engine.name,
        )

    def stop(self) -> None:
        """Stop claiming now; let running jobs finish within the grace period; hand back
        the rest at once (without spending an attempt); leave the registry."""
        self.stopping.set()
        deadline = time.monotonic() + self.settings.shutdown_grace_seconds
        for thread in self._slots:
            thread.join(max(0.0, deadline - time.monotonic()))
        self.abandon.set()
        for thread in self._slots:
            thread.join(5)
        try:
            handed_back = self.services.queue.requeue_processing(self.id)
            self.registry.unregister()
        except redis.RedisError as exc:
            log.error("could not leave cleanly (%s): the reaper will recover my jobs", exc)
            handed_back = 0
        self._helpers.clear()
        log.info("worker %s stopped (%d message(s) back on the queue)", self.id, handed_back)

    def _on_signal(self, signum: int, _frame: FrameType | None) -> None:
        log.info("worker %s: %s received, stopping", self.id, signal.Signals(signum).name)
        self.stopping.set()

    # -- background loops -------------------------------------------------------------------

    def _heartbeat(self) -> None:
        interval = max(0.2, self.settings.lease_seconds / 4)
        path = Path(self.settings.heartbeat_path)
        while not self.abandon.is_set():
            try:
                self.registry.heartbeat(self._in_hand)
                path.parent.mkdir(parents=True, exist_ok=True)
                path.touch()
            except (redis.RedisError, OSError) as exc:
                log.warning("heartbeat failed: %s", exc)
            self.abandon.wait(interval)

    def _maintain(self) -> None:
        reap_every = max(0.5, self.settings.lease_seconds / 4)
        next_reap = 0.0
        while not self.stopping.is_set():
            try:
                self.services.queue.move_due()
                if time.monotonic() >= next_reap:
                    next_reap = time.monotonic() + reap_every
                    self.registry.reap()
            except redis.RedisError as exc:
                log.warning("maintenance: Redis unavailable (%s)", exc)
            self.stopping.wait(0.5)

    def _cleanup(self) -> None:
        # A thread of its own: a slow or down object store never delays reaping.
        while not self.stopping.wait(self.settings.cleanup_interval_seconds):
            try:
                retry_pending(self.services)
                purge_ended_tokens(self.services)
            except Exception:  # an unforeseen error must not end the loop for good
                log.exception("cleanup pass failed")

    def _with_redis(self, action: object, what: str) -> None:
        """Retry `action` with capped backoff until Redis answers (or the worker is
        abandoning its work: then the lease expires and another worker's reaper recovers)."""
        backoff = 0.5
        while not self.abandon.is_set():
            try:
                action()  # type: ignore[operator]
                return
            except redis.RedisError as exc:
                log.warning("%s: Redis unavailable (%s); retrying in %.1f s", what, exc, backoff)
                time.sleep(backoff)
                backoff = min(MAX_BACKOFF, backoff * 2)

    # -- slots ------------------------------------------------------------------------------

    def _slot(self) -> None:
        backoff = 0.5
        while not self.stopping.is_set():
            try:
                raw = self.services.queue.claim(self.id, CLAIM_TIMEOUT)
                backoff = 0.5
            except redis.RedisError as exc:
                log.warning("Redis unavailable (%s); retrying in %.1f s", exc, backoff)
                self.stopping.wait(backoff)
                backoff = min(MAX_BACKOFF, backoff * 2)
                continue
            if raw is None:
                continue
            with self._lock:
                self._in_hand += 1
            try:
                self._handle(raw)
            finally:
                with self._lock:
                    self._in_hand -= 1

    def _fault(self, point: str) -> None:
        if point in self._faults:
            log.error("fault injected at %s: exiting", point)
            os._exit(97)

    def _handle(self, raw: str) -> None:
        """One claimed message; it leaves the processing list only once its job ended."""
        self._fault("after_claim")
        try:
            payload, data = self.processor.parse(raw)
        except BadMessage as bad:
            self._with_redis(partial(self._refuse, raw, bad), "a message that cannot run")
            return
        with job_context(payload.job_id, payload.article_id):  # tags every log line
            self._handle_job(raw, payload, data)

    def _refuse(self, raw: str, bad: BadMessage) -> None:
        """A message that can never run: its job (if it has one of its own) ends `failed`,
        and the message goes to the dead list once — never back on the queue."""
        log.error("dead-lettered a message (job %s): %s", bad.job_id, bad)
        try:
            self.processor.refuse(bad)
        except redis.RedisError:
            raise
        except Exception as exc:  # the database is down: the dead letter still says why
            log.warning("job %s: could not record its failure (%s)", bad.job_id, exc)
        self.services.queue.dead_letter(self.id, raw, str(bad), job_id=bad.job_id)

    def _handle_job(self, raw: str, payload: JobPayload, data: ArticleCreate) -> None:
        queue, proc = self.services.queue, self.processor
        try:
            started = proc.start(raw, payload, data)
            if isinstance(started, str):
                log.info("job %s %s", payload.job_id, started)
                job_not_run(started)
                if started.startswith("refused: "):
                    # Another article's job_id: that job is not touched, this message ends.
                    queue.dead_letter(self.id, raw, started[9:], job_id=payload.job_id)
                elif started.startswith("dead: "):
                    queue.dead_letter(
                        self.id,
                        raw,
                        started[6:],
                        job_id=payload.job_id,
                        attempts=self.settings.max_attempts,
                    )
                else:
                    queue.ack(self.id, raw)
                return
            self._fault("before_running")
            self._execute(started)
        except redis.RedisError as exc:
            # Redis went away mid-job: the record is untouched (still running, or already
            # ended), so once Redis is back the job goes back on the queue and its next
            # start either resumes it or syncs the status from the record.
            log.error("job %s: Redis lost mid-job (%s); will hand it back", payload.job_id, exc)
            self._with_redis(lambda: queue.give_back(self.id, raw), f"job {payload.job_id}")
        except Exception as exc:
            if not worth_retrying(exc):
                # The database refused one of the message's values: same result every time.
                bad = BadMessage(
                    refusal_reason(exc), payload.job_id, payload.article_id, payload.created_at
                )
                self._with_redis(partial(self._refuse, raw, bad), f"job {payload.job_id}")
                return
            # Most likely the database is down: hand the job back rather than hold it.
            log.exception("job %s: could not be recorded; back on the queue", payload.job_id)
            self.stopping.wait(1.0)
            try:
                queue.give_back(self.id, raw)
            except redis.RedisError:
                log.error("job %s: stays in %s until recovered", payload.job_id, self.id)

    def _execute(self, run: Run) -> None:
        """Run the engine in its own thread; end the job by what happens first."""
        box: dict[str, object] = {}
        done = threading.Event()

        def target() -> None:
            try:
                box["result"] = self.processor.run(run)
            except BaseException as exc:  # handed to the slot, which decides
                box["error"] = exc
            finally:
                done.set()

        # A copy of this context: the engine's log lines carry the job's fields too.
        threading.Thread(
            target=contextvars.copy_context().run,
            args=(target,),
            name=f"job-{run.job_id[:8]}",
            daemon=True,
        ).start()
        timeout = self.settings.job_timeout_seconds
        deadline = time.monotonic() + timeout
        while not done.wait(0.1):
            if self.abandon.is_set():
                if self.processor.hand_back(run):
                    self.services.queue.give_back(self.id, run.raw)
                    log.info("job %s handed back to the queue", run.job_id)
                return
            if time.monotonic() >= deadline:
                # The engine thread is abandoned: its late writes are fenced out.
                self.processor.fail(run, f"timed out after {timeout:g} s")
                self.services.queue.ack(self.id, run.raw)
                return
        self._conclude(run, box)

    def _conclude(self, run: Run, box: dict[str, object]) -> None:
        queue, proc = self.services.queue, self.processor
        error = box.get("error")
        if error is None:
            self._fault("after_work")
            result = box["result"]
            assert isinstance(result, GenerationResult)
            try:
                proc.finish(run, result)
                self._fault("after_commit")
                queue.ack(self.id, run.raw)
                return
            except Discarded as exc:
                log.info("job %s: result discarded (%s)", run.job_id, exc)
                queue.ack(self.id, run.raw)
                return
            except redis.RedisError:
                raise
            except Exception as exc:  # the database or the content store failed
                log.error("job %s: could not save the result", run.job_id, exc_info=exc)
                error = EngineError(f"could not save the result: {error_text(exc)}", transient=True)
        if isinstance(error, redis.RedisError):
            raise error  # not the job's fault: _handle hands it back when Redis returns
        if isinstance(error, JobStopped):
            log.info("job %s stopped: %s", run.job_id, error)
            if proc.was_cancelled(run.job_id):
                job_ended("cancelled", run.elapsed)
        elif isinstance(error, EngineError) and error.transient:
            if run.attempts < self.settings.max_attempts:
                delay = proc.retry_later(
                    run,
                    str(error),
                    self.settings.retry_base_seconds,
                    self.settings.retry_max_seconds,
                )
                if delay is not None:
                    queue.schedule_retry(self.id, run.raw, delay)
                    return
            else:
                reason = f"gave up after {run.attempts} attempts: {error}"
                if proc.fail(run, reason):
                    queue.dead_letter(
                        self.id, run.raw, reason, job_id=run.job_id, attempts=run.attempts
                    )
                    return
        else:
            assert isinstance(error, BaseException)
            if not isinstance(error, EngineError):
                log.error("job %s: unexpected error", run.job_id, exc_info=error)
            proc.fail(run, error_text(error))
        queue.ack(self.id, run.raw)
