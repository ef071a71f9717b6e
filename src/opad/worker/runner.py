"""The worker process: slots that claim jobs, helper loops, a clean stop.

Threads, one role each: `concurrency` slots (claim, then worker/handler.py takes the
message to its end), and the helper loops of worker/loops.py (heartbeat, maintenance,
outbox, cleanup). What to do after a run is decided by opad.jobs.outcomes.decide; the
handler only carries it out.
"""

from __future__ import annotations

import logging
import os
import signal
import socket
import threading
import time
import uuid
from collections.abc import Callable, Sequence
from functools import partial
from pathlib import Path
from types import FrameType

import redis
from sqlalchemy.exc import DBAPIError

from opad.bootstrap import Services
from opad.daily.clock import parse_clock
from opad.daily.tick import tick_now as daily_tick
from opad.engines.base import Engine
from opad.queue.checks import warn_at_start
from opad.queue.workers import Registry
from opad.services.accounts import purge_ended_tokens
from opad.services.deletions import retry_pending
from opad.services.outbox import Outbox
from opad.services.recovery import Recovery
from opad.settings import Settings
from opad.worker import loops
from opad.worker.audio import serve_audio_requests
from opad.worker.convert import convert, serve_analysis_requests
from opad.worker.handler import JobHandler, error_text, redis_backoff
from opad.worker.memory import STOP_SIGNALS, MemoryLimit, tell_group
from opad.worker.process import JobProcessor

__all__ = ["CLAIM_TIMEOUT", "Worker", "error_text", "new_worker_id"]

log = logging.getLogger("opad.worker")

CLAIM_TIMEOUT = 1.0  # seconds a claim blocks, so a stop request is noticed quickly


def new_worker_id() -> str:
    """host-pid-random: unique per worker process."""
    return f"{socket.gethostname()}-{os.getpid()}-{uuid.uuid4().hex[:6]}"


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
        warmed: Sequence[str] = (),
        on_drain: Callable[[], None] | None = None,
    ) -> None:
        self.services = services
        self.queue = services.queue
        self.settings = settings
        self.processor = JobProcessor(services, engine, settings.max_attempts)
        self.concurrency = concurrency or settings.worker_concurrency
        self.id = worker_id or new_worker_id()
        self.registry = Registry(services.queue, self.id, settings.lease_seconds)
        self.stopping = threading.Event()  # no new claims
        self.abandon = threading.Event()  # grace period over: hand running jobs back
        # Over OPAD_WORKER_MAX_RSS_MB: no new claims, running jobs finish, then the process
        # starts afresh (worker/memory.py). A stop request during the drain wins.
        self.draining = threading.Event()
        self.memory = MemoryLimit(settings.worker_max_rss_mb, warmed)
        # Run as a drain begins, before a replacement may start: what it must not find
        # taken (the metrics port).
        self._on_drain = on_drain
        self.handler = JobHandler(
            self.processor,
            self.queue,
            settings,
            self.id,
            stopping=self.stopping,
            abandon=self.abandon,
        )
        self._slots: list[threading.Thread] = []
        self._signalled = False
        self._group_replaces = False  # the group started this process's replacement
        self._in_hand = 0
        self._lock = threading.Lock()

    # -- lifecycle --------------------------------------------------------------------------

    def run(self) -> None:
        """Work until SIGTERM/SIGINT, then stop gracefully; or, once drained for
        OPAD_WORKER_MAX_RSS_MB, stop the same way (`should_restart` then says so)."""
        for sig in (signal.SIGTERM, signal.SIGINT):
            signal.signal(sig, self._on_signal)
        # A process that replaced itself starts with them blocked (worker/memory.py): one
        # sent meanwhile is handled now, as a stop before the first claim.
        signal.pthread_sigmask(signal.SIG_UNBLOCK, STOP_SIGNALS)
        self.start()
        while not self.stopping.wait(0.5):
            if self.draining.is_set() and not any(t.is_alive() for t in self._slots):
                break
        self.stop()

    @property
    def stop_requested(self) -> bool:
        """A SIGTERM or SIGINT was handled."""
        return self._signalled

    @property
    def should_restart(self) -> bool:
        """True when the worker stopped to shed memory, not because it was asked to, and
        no group started its replacement: the process should run itself again."""
        return self.draining.is_set() and not self._signalled and not self._group_replaces

    def _helpers(self) -> dict[str, Callable[[], None]]:
        s, queue = self.settings, self.queue
        outbox = Outbox(self.services.db, queue, s.enqueue_grace_seconds)
        lease = s.lease_seconds
        recovery = Recovery(self.services.db, queue, lease)
        return {
            "heartbeat": partial(
                loops.heartbeat,
                self.registry,
                lambda: self._in_hand,
                lease,
                Path(s.heartbeat_path),
                self.abandon,
                # Runs in hand whose message Redis lost go back into the processing list.
                restore=lambda: queue.restore_held(self.id, self.handler.held_runs()),
            ),
            "maintenance": partial(loops.maintain, queue, self.registry, lease, self.stopping),
            # Threads of their own: a slow or down database or store never delays reaping.
            "outbox": partial(
                loops.every,
                min(5.0, max(0.2, s.enqueue_grace_seconds / 4)),
                lambda: (recovery.sweep(), outbox.sweep()),
                "outbox sweep",
                self.stopping,
                expected=(redis.RedisError, OSError),
            ),
            "cleanup": partial(
                loops.every,
                s.cleanup_interval_seconds,
                lambda: (retry_pending(self.services), purge_ended_tokens(self.services)),
                "cleanup pass",
                self.stopping,
            ),
            # Audio asked for after the job (older readings, a retry): see opad.worker.audio.
            "audio": partial(
                serve_audio_requests,
                self.services,
                self.id,
                self.stopping,
                partial(convert, self.services),
            ),
            # Readings stored before typed bodies, analyzed once on request: worker/convert.py.
            "readings": partial(serve_analysis_requests, self.services, self.stopping),
            # Daily plans (issue 31): every worker ticks; the database makes it exactly once.
            "daily": partial(
                loops.every,
                s.daily_tick_seconds,
                partial(daily_tick, self.services, parse_clock(s.daily_clock)),
                "daily tick",
                self.stopping,
                # A down database or Redis: one line a tick, the next tick tries again.
                expected=(redis.RedisError, OSError, DBAPIError),
            ),
        }

    def start(self) -> None:
        """Register, then start the helper loops and the slots."""
        production = self.settings.env == "production"
        warn_at_start(self.queue.redis, production=production)
        self.memory.check_start()
        self.handler.with_redis(lambda: self.registry.register(self.concurrency), "register")
        for name, target in self._helpers().items():
            threading.Thread(target=target, name=name, daemon=True).start()
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
            handed_back = self.queue.requeue_processing(self.id)
            self.registry.unregister()
        except redis.RedisError as exc:
            log.error("could not leave cleanly (%s): the reaper will recover my jobs", exc)
            handed_back = 0
        log.info("worker %s stopped (%d message(s) back on the queue)", self.id, handed_back)

    def _pause(self, seconds: float) -> None:
        self.stopping.wait(seconds)  # a stop request cuts the pause short

    def _on_signal(self, signum: int, _frame: FrameType | None) -> None:
        log.info("worker %s: %s received, stopping", self.id, signal.Signals(signum).name)
        self._signalled = True
        self.stopping.set()

    # -- slots ------------------------------------------------------------------------------

    def _slot(self) -> None:
        while not (self.stopping.is_set() or self.draining.is_set()):
            # While Redis is down: capped backoff, cut short by a stop request.
            claim = redis_backoff("claim", self.stopping, sleep=self._pause)
            raw = claim(self.queue.claim, self.id, CLAIM_TIMEOUT)
            if raw is None:
                continue
            if self.stopping.is_set() or self.draining.is_set():
                # Taken by a claim that was already waiting when the stop came: a stopping
                # worker starts nothing new, so the message goes back to the queue's head.
                self.handler.with_redis(
                    partial(self.queue.give_back, self.id, raw), "give back a late claim"
                )
                break
            with self._lock:
                self._in_hand += 1
            try:
                language = self.handler.handle(raw)
            finally:
                with self._lock:
                    self._in_hand -= 1
            if language is not None:
                self._mind_memory(language)

    def _mind_memory(self, language: str) -> None:
        with self._lock:
            self.memory.job_ran(language)
            size = self.memory.over()
            if size is None or self.draining.is_set():
                return
            self.draining.set()
        if self._on_drain is not None:
            self._on_drain()
        self._group_replaces = tell_group()
        log.info(
            "worker %s holds %.0f MB after jobs in %s (OPAD_WORKER_MAX_RSS_MB=%d): "
            "finishing its running jobs; %s",
            self.id,
            size,
            ", ".join(sorted(self.memory.languages)),
            self.memory.limit_mb,
            "a fresh process takes its place now"
            if self._group_replaces
            else "then it starts afresh",
        )
