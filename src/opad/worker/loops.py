"""A worker's background loops, one thread each; each takes only what it touches.

None of them can hold up a job: a heartbeat that no job's work blocks (the lease), the
maintenance loop (due retries, reaping the jobs of workers whose lease expired), the
outbox sweep (jobs recorded `queued` with no message in Redis) and the cleanup loop
(stored objects the store refused earlier, long-ended tokens).
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from pathlib import Path

import redis

from opad.queue.redis_queue import JobQueue
from opad.queue.workers import Registry

log = logging.getLogger("opad.worker")


def heartbeat(
    registry: Registry,
    in_hand: Callable[[], int],
    lease_seconds: float,
    path: Path,
    until: threading.Event,
    restore: Callable[[], object] | None = None,
) -> None:
    """Renew the lease every quarter lease (and touch the liveness file) until `until`;
    `restore` puts back what Redis lost of the runs in hand (lease, registration and
    processing entries come back within a quarter lease after Redis lost its data)."""
    interval = max(0.2, lease_seconds / 4)
    while not until.is_set():
        try:
            registry.heartbeat(in_hand())
            if restore is not None:
                restore()
            path.parent.mkdir(parents=True, exist_ok=True)
            path.touch()
        except (redis.RedisError, OSError) as exc:
            log.warning("heartbeat failed: %s", exc)
        until.wait(interval)


def maintain(
    queue: JobQueue, registry: Registry, lease_seconds: float, until: threading.Event
) -> None:
    """Move due retries back every 0.5 s; reap lost workers every quarter lease."""
    reap_every = max(0.5, lease_seconds / 4)
    next_reap = 0.0
    while not until.is_set():
        try:
            queue.move_due()
            if time.monotonic() >= next_reap:
                next_reap = time.monotonic() + reap_every
                registry.reap()
        except redis.RedisError as exc:
            log.warning("maintenance: Redis unavailable (%s)", exc)
        until.wait(0.5)


def every(
    interval: float,
    action: Callable[[], object],
    what: str,
    until: threading.Event,
    *,
    expected: tuple[type[Exception], ...] = (),
) -> None:
    """Call `action` every `interval` s until `until`. An error never ends the loop (Redis,
    the database or the store may be down: the next pass tries again); an `expected` one
    is one line in the log, any other its traceback."""
    while not until.wait(interval):
        try:
            action()
        except expected as exc:
            log.warning("%s failed: %s", what, exc)
        except Exception:
            log.exception("%s failed", what)
