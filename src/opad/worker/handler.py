"""One claimed message, from parse to acknowledgement: start the run, let the engine work
in a thread of its own (its result is a Future), and carry out what `decide` says.

The message leaves this worker's processing list only once its job ended (or went back to
the queue); Redis lost midway hands it back when Redis returns. The point where a reading
is written is `JobHandler._succeed`, right after `processor.finish`.
"""

from __future__ import annotations

import contextlib
import contextvars
import logging
import random
import threading
import time
from collections.abc import Callable
from concurrent.futures import Future
from concurrent.futures import TimeoutError as FutureTimeout
from functools import partial

import redis
from tenacity import (
    RetryCallState,
    Retrying,
    retry_if_exception_type,
    stop_when_event_set,
    wait_exponential,
)

from opad import hooks
from opad.engines.base import EngineError, GenerationResult, JobStopped
from opad.inputs import ArticleCreate
from opad.jobs.outcomes import (
    Broke,
    DeadLetter,
    Decision,
    Drop,
    Fail,
    GaveUp,
    NotRun,
    Outcome,
    Produced,
    Refused,
    Retry,
    Stopped,
    Succeed,
    TimedOut,
    decide,
)
from opad.languages import find_language
from opad.logs import job_context
from opad.queue.protocol import JobPayload
from opad.queue.redis_queue import JobQueue
from opad.settings import Settings
from opad.worker.messages import BadMessage, refusal_reason, worth_retrying
from opad.worker.metrics import record_decision, record_not_run
from opad.worker.outages import outage_of, outage_wait
from opad.worker.process import Discarded, JobProcessor, Run

log = logging.getLogger("opad.worker")

MAX_BACKOFF = 5.0


def redis_backoff(
    what: str, until: threading.Event, sleep: Callable[[float], None] = time.sleep
) -> Retrying:
    """Retries while Redis does not answer: 0.5 s doubling to MAX_BACKOFF, given up (the
    call returns None) once `until` is set."""

    def warn(state: RetryCallState) -> None:
        exc = state.outcome.exception() if state.outcome else None
        pause = state.next_action.sleep if state.next_action else 0.0
        log.warning("%s: Redis unavailable (%s); retrying in %.1f s", what, exc, pause)

    return Retrying(
        retry=retry_if_exception_type(redis.RedisError),
        wait=wait_exponential(multiplier=0.5, max=MAX_BACKOFF),
        stop=stop_when_event_set(until),
        sleep=sleep,
        before_sleep=warn,
        retry_error_callback=lambda _: None,
    )


def error_text(exc: BaseException) -> str:
    """A one-line, readable reason for a failure."""
    if isinstance(exc, EngineError):
        return str(exc)
    return f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__


class JobHandler:
    """What a slot does with each message it claimed; shared by all slots of a worker."""

    def __init__(
        self,
        processor: JobProcessor,
        queue: JobQueue,
        settings: Settings,
        worker_id: str,
        *,
        stopping: threading.Event,
        abandon: threading.Event,
    ) -> None:
        self.processor = processor
        self.queue = queue
        self.settings = settings
        self.worker_id = worker_id
        self.stopping = stopping  # no new claims
        self.abandon = abandon  # grace period over: hand running jobs back
        self._held: dict[str, tuple[str, int]] = {}  # raw → (job id, token) of runs in hand
        self._held_lock = threading.Lock()

    def held_runs(self) -> list[tuple[str, str, int]]:
        """(raw message, job id, token) of each run this worker has in hand."""
        with self._held_lock:
            return [(raw, job_id, token) for raw, (job_id, token) in self._held.items()]

    def _hold(self, run: Run) -> None:
        with self._held_lock:
            self._held[run.raw] = (run.job_id, run.token)

    def _release(self, raw: str) -> None:
        # Before the message's last move (ack, retry, hand-back): the heartbeat must not
        # put back a message that is leaving on purpose.
        with self._held_lock:
            self._held.pop(raw, None)

    def with_redis(self, action: Callable[[], object], what: str) -> None:
        """Retry `action` with capped backoff until Redis answers (or the worker is
        abandoning its work: then the lease expires and another worker's reaper recovers)."""
        redis_backoff(what, self.abandon)(action)

    def handle(self, raw: str) -> str | None:
        """One claimed message; it leaves the processing list only once its job ended.

        Returns the job's language code when its run started (the engine may have loaded that
        language's word data: worker/memory.py counts them), else None."""
        hooks.reached("after_claim")
        try:
            payload, data = self.processor.parse(raw)
        except BadMessage as bad:
            self.with_redis(partial(self._refuse, raw, bad), "a message that cannot run")
            return None
        with job_context(payload.job_id, payload.article_id):  # tags every log line
            if not self._handle_job(raw, payload, data):
                return None
            found = find_language(data.language)
            return found.code if found else data.language

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
        self.queue.dead_letter(self.worker_id, raw, str(bad), job_id=bad.job_id)

    def _handle_job(self, raw: str, payload: JobPayload, data: ArticleCreate) -> bool:
        """Carry one job to its end; True when its run started."""
        started: Run | NotRun | None = None
        try:
            started = self.processor.start(raw, payload, data)
            if not isinstance(started, Run):
                self._not_run(raw, payload.job_id, started)
                return False
            self._hold(started)
            hooks.reached("before_running")
            self._conclude(started, self._execute(started))
        except redis.RedisError as exc:
            self._release(raw)
            # Redis went away mid-job: the record is untouched (still running, or already
            # ended), so once Redis is back the job goes back on the queue and its next
            # start either resumes it or syncs the status from the record.
            log.error("job %s: Redis lost mid-job (%s); will hand it back", payload.job_id, exc)
            self.with_redis(
                lambda: self.queue.give_back(self.worker_id, raw), f"job {payload.job_id}"
            )
        except Exception as exc:
            if not worth_retrying(exc):
                # The database refused one of the message's values: same result every time.
                bad = BadMessage(
                    refusal_reason(exc), payload.job_id, payload.article_id, payload.created_at
                )
                self.with_redis(partial(self._refuse, raw, bad), f"job {payload.job_id}")
                return isinstance(started, Run)
            self._release(raw)
            # Most likely the database is down: hand the job back rather than hold it.
            log.exception("job %s: could not be recorded; back on the queue", payload.job_id)
            self.stopping.wait(1.0)
            try:
                self.queue.give_back(self.worker_id, raw)
            except redis.RedisError:
                log.error("job %s: stays in %s until recovered", payload.job_id, self.worker_id)
        return isinstance(started, Run)

    def _not_run(self, raw: str, job_id: str, why: NotRun) -> None:
        log.info("job %s %s: %s", job_id, why.kind, why.reason)
        record_not_run(why)
        if isinstance(why, Refused | GaveUp):
            attempts = why.attempts if isinstance(why, GaveUp) else 0
            self.queue.dead_letter(
                self.worker_id, raw, why.reason, job_id=job_id, attempts=attempts
            )
        else:
            self.queue.ack(self.worker_id, raw)

    def _execute(self, run: Run) -> Outcome | None:
        """Run the engine in its own thread; the run's outcome, or None once it was handed
        back because the worker is stopping."""
        future: Future[GenerationResult] = Future()

        def target() -> None:
            try:
                future.set_result(self.processor.run(run))
            except BaseException as exc:  # handed to the slot, which decides
                future.set_exception(exc)

        # A copy of this context: the engine's log lines carry the job's fields too.
        threading.Thread(
            target=contextvars.copy_context().run,
            args=(target,),
            name=f"job-{run.job_id[:8]}",
            daemon=True,
        ).start()
        timeout = self.settings.job_timeout_seconds
        deadline = time.monotonic() + timeout
        while not self.abandon.is_set():
            try:
                return outcome_of(future.result(0.1))
            except FutureTimeout:
                if time.monotonic() >= deadline:
                    return TimedOut(timeout)  # the engine thread's late writes are fenced out
            except BaseException as exc:  # whatever the engine thread raised
                return self._failure(run, exc)
        if self.processor.hand_back(run):
            self._release(run.raw)
            self.queue.give_back(self.worker_id, run.raw)
            log.info("job %s handed back to the queue", run.job_id)
        return None

    def _failure(self, run: Run, exc: BaseException) -> Outcome:
        if isinstance(exc, redis.RedisError):
            raise exc  # not the job's fault: _handle_job hands it back when Redis returns
        if isinstance(exc, JobStopped):
            return Stopped(str(exc), cancelled=self.processor.was_cancelled(run.job_id))
        if isinstance(exc, EngineError):
            return Broke(str(exc), transient=exc.transient)
        log.error("job %s: unexpected error", run.job_id, exc_info=exc)
        return Broke(error_text(exc), transient=False)

    def _conclude(self, run: Run, outcome: Outcome | None) -> None:
        """Carry out what `decide` says; the message leaves the processing list here."""
        if outcome is None:
            return
        if not isinstance(outcome, Produced):
            self._release(run.raw)
        decision: Decision | None = decide(outcome, run.attempts, self.settings, jitter=jitter())
        if isinstance(decision, Succeed):
            decision = self._succeed(run, decision.result)
        if decision is not None and self._carry_out(run, decision):
            record_decision(decision, run.elapsed)

    def _succeed(self, run: Run, result: GenerationResult) -> Decision | None:
        """Store the reading; None when done, else what to do instead."""
        hooks.reached("after_work")
        # The content store or database down: waited out (no attempt spent) for up to
        # OPAD_OUTAGE_WAIT_MINUTES; the run keeps its lease and fence all along.
        wait = self.settings.outage_wait_minutes * 60
        try:
            status = outage_wait(f"job {run.job_id}", wait, self.abandon)(
                self.processor.finish, run, result
            )
        except Discarded as exc:
            log.info("job %s: result discarded (%s)", run.job_id, exc)
            self._release(run.raw)
            self.queue.ack(self.worker_id, run.raw)
            return None
        except redis.RedisError:
            raise
        except Exception as exc:  # the database or the content store failed
            self._release(run.raw)
            if self.abandon.is_set():
                # Stopping mid-outage: hand the job back, or leave it to the stop's requeue.
                with contextlib.suppress(Exception):
                    if self.processor.hand_back(run):
                        self.queue.give_back(self.worker_id, run.raw)
                return None
            log.error("job %s: could not save the result", run.job_id, exc_info=exc)
            down = outage_of(exc)
            if down is not None:
                # Named for what it was: not an attempt of the job's, not a lost worker.
                return DeadLetter(
                    f"could not save the result: {down} was unavailable for "
                    f"{wait / 60:g} min ({error_text(exc)})"
                )
            failed = Broke(f"could not save the result: {error_text(exc)}", transient=True)
            return decide(failed, run.attempts, self.settings, jitter=jitter())
        self._release(run.raw)
        # The reading is written (record, content): steps that add to a finished reading
        # go here. A crash from here on leaves the message to be reaped; its next start
        # finds the record ended and syncs the live status from it.
        record_decision(Succeed(result), run.elapsed)
        hooks.reached("after_commit")
        self.queue.finish(self.worker_id, run.raw, run.token, status)
        return None

    def _carry_out(self, run: Run, decision: Decision) -> bool:
        """Retry, fail, dead-letter or drop; False when this run no longer owns the job."""
        proc, queue = self.processor, self.queue
        owned = True
        if isinstance(decision, Retry):
            owned = proc.retry_later(run, decision.error, decision.delay)
            if owned:
                queue.schedule_retry(self.worker_id, run.raw, decision.delay)
                return True
        elif isinstance(decision, DeadLetter):
            owned = proc.fail(run, decision.error)
            if owned:
                queue.dead_letter(
                    self.worker_id,
                    run.raw,
                    decision.error,
                    job_id=run.job_id,
                    attempts=run.attempts,
                )
                return True
        elif isinstance(decision, Fail):
            owned = proc.fail(run, decision.error)
        elif isinstance(decision, Drop):
            log.info("job %s stopped: %s", run.job_id, decision.reason)
        queue.ack(self.worker_id, run.raw)
        return owned


def outcome_of(result: GenerationResult) -> Outcome:
    """A finished engine call as an outcome."""
    return Produced(result)


def jitter() -> float:
    """A random factor in [0.5, 1.5): spreads the retries of many jobs."""
    return random.uniform(0.5, 1.5)
