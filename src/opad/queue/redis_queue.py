"""Enqueue, claim, acknowledge, and write live status, on the keys of protocol.py."""

from __future__ import annotations

import json
from typing import Any

import redis

from opad.queue.protocol import (
    DEAD_KEY,
    QUEUE_KEY,
    STATUS_TTL_SECONDS,
    events_channel,
    now_iso,
    processing_key,
    status_key,
)


class JobQueue:
    """The job list, per-worker processing lists, status keys and their pub/sub channels."""

    def __init__(self, client: redis.Redis, status_ttl: int = STATUS_TTL_SECONDS) -> None:
        self.redis = client
        self.status_ttl = status_ttl

    def ping(self) -> None:
        """Raise if Redis does not answer."""
        self.redis.ping()

    def enqueue(self, payload: dict[str, Any], status: dict[str, Any]) -> None:
        """Write the queued status, then push the job (LPUSH, as the original producer does)."""
        pipe = self.redis.pipeline(transaction=True)
        self._status_commands(pipe, status)
        pipe.lpush(QUEUE_KEY, json.dumps(payload))
        pipe.execute()

    def write_status(self, status: dict[str, Any]) -> None:
        """SETEX the status key with the TTL and publish the same JSON to its channel."""
        pipe = self.redis.pipeline(transaction=False)
        self._status_commands(pipe, status)
        pipe.execute()

    def _status_commands(self, pipe: Any, status: dict[str, Any]) -> None:
        body = json.dumps(status)
        # SET … EX is SETEX (redis-py 8 deprecates the latter name); same key, same TTL.
        pipe.set(status_key(status["id"]), body, ex=self.status_ttl)
        pipe.publish(events_channel(status["id"]), body)

    def read_status(self, job_id: str) -> dict[str, Any] | None:
        """The live status document, or None once expired or never written."""
        raw = self.redis.get(status_key(job_id))
        return json.loads(raw) if raw else None

    def claim(self, worker_id: str, timeout: float) -> str | None:
        """Move the oldest job into this worker's processing list, waiting up to `timeout` s."""
        # RIGHT→LEFT: the same end BRPOP takes from, so LPUSH producers keep FIFO order.
        # Redis ≥ 6 takes a fractional timeout, though redis-py's annotation says int.
        wait: Any = timeout
        raw = self.redis.blmove(QUEUE_KEY, processing_key(worker_id), wait, "RIGHT", "LEFT")
        return raw if raw is None else str(raw)

    def ack(self, worker_id: str, raw: str) -> None:
        """Drop a finished job from this worker's processing list."""
        self.redis.lrem(processing_key(worker_id), 1, raw)

    def give_back(self, worker_id: str, raw: str) -> None:
        """Return one claimed job to the head of the queue (it is taken next)."""
        pipe = self.redis.pipeline(transaction=True)
        pipe.lrem(processing_key(worker_id), 1, raw)
        pipe.rpush(QUEUE_KEY, raw)
        pipe.execute()

    def requeue_processing(self, worker_id: str) -> int:
        """Put every job still in this worker's processing list back on the queue."""
        moved = 0
        while self.redis.lmove(processing_key(worker_id), QUEUE_KEY, "LEFT", "RIGHT"):
            moved += 1
        return moved

    def dead_letter(self, worker_id: str, raw: str, error: str) -> None:
        """Record a message that can never run on opad:jobs:dead, and drop it from processing."""
        entry = json.dumps({"payload": raw, "error": error, "at": now_iso()})
        pipe = self.redis.pipeline(transaction=True)
        pipe.lpush(DEAD_KEY, entry)
        pipe.lrem(processing_key(worker_id), 1, raw)
        pipe.execute()

    def depth(self) -> int:
        """How many jobs wait on the queue."""
        return int(self.redis.llen(QUEUE_KEY))
