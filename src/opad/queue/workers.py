"""Live workers in Redis: registration, the lease its heartbeat renews, and the reaper."""

from __future__ import annotations

import logging
import os
import socket
import time
from typing import Any

from opad.queue.protocol import (
    REAPER_LOCK_KEY,
    WORKERS_KEY,
    lease_key,
    now_iso,
    processing_key,
    worker_info_key,
)
from opad.queue.redis_queue import JobQueue

log = logging.getLogger("opad.worker")


class Registry:
    """One worker's presence: a lease key with a TTL, renewed while the worker lives."""

    def __init__(self, queue: JobQueue, worker_id: str, lease_seconds: float) -> None:
        self.queue = queue
        self.redis = queue.redis
        self.id = worker_id
        self.lease_ms = int(lease_seconds * 1000)

    def register(self, concurrency: int) -> None:
        """Announce this worker and take its first lease."""
        pipe = self.redis.pipeline(transaction=True)
        pipe.hset(
            worker_info_key(self.id),
            mapping={
                "id": self.id,
                "host": socket.gethostname(),
                "pid": os.getpid(),
                "concurrency": concurrency,
                "started_at": now_iso(),
                "heartbeat_at": now_iso(),
            },
        )
        pipe.set(lease_key(self.id), now_iso(), px=self.lease_ms)
        pipe.sadd(WORKERS_KEY, self.id)
        pipe.execute()

    def heartbeat(self, jobs_in_hand: int) -> None:
        """Renew the lease (and say how many jobs this worker holds)."""
        pipe = self.redis.pipeline(transaction=True)
        pipe.set(lease_key(self.id), now_iso(), px=self.lease_ms)
        pipe.hset(
            worker_info_key(self.id), mapping={"heartbeat_at": now_iso(), "jobs": jobs_in_hand}
        )
        pipe.sadd(WORKERS_KEY, self.id)
        pipe.execute()

    def unregister(self) -> None:
        """Leave cleanly (after the processing list was handed back)."""
        pipe = self.redis.pipeline(transaction=True)
        pipe.srem(WORKERS_KEY, self.id)
        pipe.delete(lease_key(self.id), worker_info_key(self.id))
        pipe.execute()

    def reap(self) -> int:
        """Return the jobs of workers whose lease expired; one reaper at a time (SET NX)."""
        if not self.redis.set(REAPER_LOCK_KEY, self.id, nx=True, px=self.lease_ms):
            return 0
        suspects = {str(w) for w in self.redis.smembers(WORKERS_KEY)}
        # Also lists whose worker vanished from the set (e.g. a partial registration).
        prefix = processing_key("")
        for key in self.redis.scan_iter(match=prefix + "*", count=500):
            suspects.add(str(key)[len(prefix) :])
        moved = 0
        for worker_id in suspects - {self.id}:
            if self.redis.exists(lease_key(worker_id)):
                continue
            n = self.queue.reap(worker_id, worker_info_key(worker_id), WORKERS_KEY)
            if n:
                log.warning("worker %s lost its lease: %d job(s) back on the queue", worker_id, n)
            moved += n
        return moved


def live_workers(queue: JobQueue) -> list[dict[str, Any]]:
    """Workers with a live lease: id, host, pid, jobs in hand, last heartbeat."""
    out = []
    for worker_id in sorted(str(w) for w in queue.redis.smembers(WORKERS_KEY)):
        info = {str(k): str(v) for k, v in queue.redis.hgetall(worker_info_key(worker_id)).items()}
        if not info or not queue.redis.exists(lease_key(worker_id)):
            continue
        out.append(
            {
                "id": worker_id,
                "host": info.get("host", ""),
                "pid": int(info.get("pid", 0)),
                "concurrency": int(info.get("concurrency", 0)),
                "jobs_in_hand": int(queue.redis.llen(processing_key(worker_id))),
                "started_at": info.get("started_at"),
                "last_heartbeat": info.get("heartbeat_at"),
            }
        )
    return out


def heartbeat_age(path: Any) -> float | None:
    """Seconds since the worker last touched its heartbeat file (None if absent)."""
    try:
        return max(0.0, time.time() - os.stat(path).st_mtime)
    except FileNotFoundError:
        return None
