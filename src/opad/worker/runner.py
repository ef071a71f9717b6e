"""The worker process: N threads that claim and process jobs, and a graceful stop."""

from __future__ import annotations

import logging
import os
import signal
import socket
import threading
import time
import uuid
from types import FrameType

import redis

from opad.bootstrap import Services
from opad.engines.base import Engine, EngineError
from opad.worker.process import Discarded, JobProcessor, engine_error_text

log = logging.getLogger("opad.worker")

CLAIM_TIMEOUT = 1.0  # seconds a claim blocks, so a stop request is noticed quickly
MAX_BACKOFF = 5.0


def new_worker_id() -> str:
    """host-pid-random: unique per worker process."""
    return f"{socket.gethostname()}-{os.getpid()}-{uuid.uuid4().hex[:6]}"


class Worker:
    """Claims jobs into its own processing list and runs up to `concurrency` at once."""

    def __init__(
        self,
        services: Services,
        engine: Engine,
        *,
        concurrency: int,
        grace_seconds: float = 30.0,
        worker_id: str | None = None,
    ) -> None:
        self.services = services
        self.processor = JobProcessor(services, engine)
        self.concurrency = concurrency
        self.grace_seconds = grace_seconds
        self.id = worker_id or new_worker_id()
        self.stopping = threading.Event()
        self._threads: list[threading.Thread] = []

    def run(self) -> None:
        """Work until SIGTERM/SIGINT; then finish running jobs within the grace period."""
        for sig in (signal.SIGTERM, signal.SIGINT):
            signal.signal(sig, self._on_signal)
        self.start()
        log.info(
            "worker %s ready: %d slots, engine %s",
            self.id,
            self.concurrency,
            self.processor.engine.name,
        )
        while not self.stopping.wait(0.5):
            pass
        self.stop()

    def start(self) -> None:
        """Start the claiming threads."""
        for n in range(self.concurrency):
            thread = threading.Thread(target=self._loop, name=f"slot-{n}", daemon=True)
            thread.start()
            self._threads.append(thread)

    def stop(self) -> None:
        """Stop claiming now, wait for running jobs, hand back what did not finish."""
        self.stopping.set()
        deadline = time.monotonic() + self.grace_seconds
        for thread in self._threads:
            thread.join(max(0.0, deadline - time.monotonic()))
        try:
            handed_back = self.services.queue.requeue_processing(self.id)
        except redis.RedisError as exc:
            log.error("could not hand jobs back to the queue: %s", exc)
            handed_back = 0
        log.info("worker %s stopped (%d unfinished jobs back on the queue)", self.id, handed_back)

    def _on_signal(self, signum: int, _frame: FrameType | None) -> None:
        log.info("worker %s: %s received, stopping", self.id, signal.Signals(signum).name)
        self.stopping.set()

    def _loop(self) -> None:
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
            if raw is not None:
                self._handle(raw)

    def _handle(self, raw: str) -> None:
        """Process one claimed message; it leaves the processing list only once it ended."""
        queue, proc = self.services.queue, self.processor
        try:
            payload = proc.parse(raw)
        except ValueError as exc:
            log.error("dead-lettered a message: %s", exc)
            queue.dead_letter(self.id, raw, str(exc))
            return
        try:
            claimed = proc.start(payload)
            if claimed is not None:
                try:
                    result = proc.run(claimed)
                    proc.finish(claimed, result)
                except Discarded as exc:
                    proc.discard(payload, str(exc))
                except Exception as exc:
                    if not isinstance(exc, EngineError):
                        log.exception("job %s: unexpected error", payload.job_id)
                    proc.fail(payload, engine_error_text(exc))
            queue.ack(self.id, raw)
        except redis.RedisError as exc:
            # Left in the processing list: recovery hands it back to the queue.
            log.error("job %s: Redis lost mid-job (%s)", payload.job_id, exc)
        except Exception:
            # Most likely the database is down: hand the job back rather than hold it.
            log.exception("job %s: could not be recorded; back on the queue", payload.job_id)
            self.stopping.wait(1.0)
            try:
                queue.give_back(self.id, raw)
            except redis.RedisError:
                log.error("job %s: stays in %s until recovered", payload.job_id, self.id)
