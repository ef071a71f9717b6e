"""The job list, processing lists, delayed retries, dead letters and live status."""

from __future__ import annotations

import json
from typing import Any

import redis

from opad.queue import scripts
from opad.queue.protocol import (
    DEAD_KEY,
    DELAYED_KEY,
    QUEUE_KEY,
    STATUS_TTL_SECONDS,
    WORKERS_KEY,
    events_channel,
    fence_key,
    now_iso,
    processing_key,
    reading_channel,
    status_key,
)


class JobQueue:
    """Every Redis operation on jobs; multi-key transitions run as Lua scripts."""

    def __init__(self, client: redis.Redis, status_ttl: int = STATUS_TTL_SECONDS) -> None:
        self.redis = client
        self.status_ttl = status_ttl
        self._start = client.register_script(scripts.START)
        self._fenced = client.register_script(scripts.FENCED_WRITE)
        self._finish = client.register_script(scripts.FINISH)
        self._if_live = client.register_script(scripts.WRITE_IF_LIVE)
        self._reap = client.register_script(scripts.REAP)
        self._move_due = client.register_script(scripts.MOVE_DUE)
        self._schedule = client.register_script(scripts.SCHEDULE)
        self._missing = client.register_script(scripts.MISSING)
        self._push_missing = client.register_script(scripts.PUSH_MISSING)

    def ping(self) -> None:
        """Raise if Redis does not answer."""
        self.redis.ping()

    # -- producing --------------------------------------------------------------------------

    def enqueue(self, payload: dict[str, Any], status: dict[str, Any]) -> None:
        """Write the queued status, then push the job (LPUSH, as the original producer does)."""
        body = json.dumps(status)
        pipe = self.redis.pipeline(transaction=True)
        # SET … EX is SETEX (redis-py 8 deprecates the latter name); same key, same TTL.
        pipe.set(status_key(status["id"]), body, ex=self.status_ttl)
        pipe.publish(events_channel(status["id"]), body)
        pipe.lpush(QUEUE_KEY, json.dumps(payload))
        pipe.execute()

    # -- status -----------------------------------------------------------------------------

    def read_status(self, job_id: str) -> dict[str, Any] | None:
        """The live status document, or None once expired or never written."""
        raw = self.redis.get(status_key(job_id))
        return json.loads(raw) if raw else None

    def _keys(self, job_id: str) -> list[str]:
        return [status_key(job_id), fence_key(job_id), events_channel(job_id)]

    def start_status(self, token: int, status: dict[str, Any]) -> bool:
        """Claim the status for run `token` (newer than any before); False if refused."""
        args: list[str | int] = [token, json.dumps(status), self.status_ttl]
        return bool(self._start(keys=self._keys(status["id"]), args=args))

    def write_status(self, token: int, status: dict[str, Any]) -> bool:
        """Write the status if run `token` is still the newest and the job has not ended."""
        args: list[str | int] = [token, json.dumps(status), self.status_ttl]
        return bool(self._fenced(keys=self._keys(status["id"]), args=args))

    def finish(self, worker_id: str, raw: str, token: int, status: dict[str, Any]) -> bool:
        """`write_status`, then `ack`, in one round trip (one script): the message leaves
        the processing list even when the write is refused. True when the write applied."""
        keys = [*self._keys(status["id"]), processing_key(worker_id)]
        args: list[str | int] = [token, json.dumps(status), self.status_ttl, raw]
        return bool(self._finish(keys=keys, args=args))

    def write_if_live(self, status: dict[str, Any]) -> bool:
        """Write the status unless the job already ended (cancel, delete, record sync)."""
        keys = [status_key(status["id"]), events_channel(status["id"])]
        return bool(self._if_live(keys=keys, args=[json.dumps(status), self.status_ttl]))

    def publish_reading(self, job_id: str, text: str) -> None:
        """Publish the reading so far (plain text) to whoever watches the job; kept nowhere,
        as the finished article replaces it."""
        self.redis.publish(reading_channel(job_id), json.dumps({"id": job_id, "text": text}))

    def force_status(self, status: dict[str, Any]) -> None:
        """Overwrite the status (the record says so: e.g. a dead job re-enqueued by hand)."""
        body = json.dumps(status)
        pipe = self.redis.pipeline(transaction=True)
        pipe.set(status_key(status["id"]), body, ex=self.status_ttl)
        pipe.publish(events_channel(status["id"]), body)
        pipe.execute()

    # -- consuming --------------------------------------------------------------------------

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
        """Put every job still in this worker's processing list back at the queue's head."""
        moved = 0
        while self.redis.lmove(processing_key(worker_id), QUEUE_KEY, "RIGHT", "RIGHT"):
            moved += 1
        return moved

    def processing(self, worker_id: str) -> list[str]:
        """The messages a worker holds."""
        return [str(m) for m in self.redis.lrange(processing_key(worker_id), 0, -1)]

    # -- retries and dead letters -----------------------------------------------------------

    def schedule_retry(self, worker_id: str, raw: str, delay: float) -> None:
        """Take the job out of processing and put it back on the queue after `delay` s,
        counted on Redis's clock (a worker whose clock is an hour ahead still waits
        `delay` seconds, not an hour more)."""
        keys = [processing_key(worker_id), DELAYED_KEY]
        self._schedule(keys=keys, args=[raw, repr(float(delay))])

    def move_due(self, limit: int = 100) -> int:
        """Move retries whose time has come back onto the queue (safe from many workers)."""
        return int(self._move_due(keys=[DELAYED_KEY, QUEUE_KEY], args=[0, limit]))

    def dead_letter(
        self, worker_id: str, raw: str, error: str, *, job_id: str | None = None, attempts: int = 0
    ) -> None:
        """Record a job that will not run again on opad:jobs:dead; drop it from processing."""
        entry = {
            "job_id": job_id,
            "payload": raw,
            "error": error,
            "attempts": attempts,
            "at": now_iso(),
        }
        pipe = self.redis.pipeline(transaction=True)
        pipe.lpush(DEAD_KEY, json.dumps(entry))
        pipe.lrem(processing_key(worker_id), 1, raw)
        pipe.execute()

    def dead_letters(self) -> list[dict[str, Any]]:
        """Every dead letter, newest first."""
        return [json.loads(e) for e in self.redis.lrange(DEAD_KEY, 0, -1)]

    def take_dead_letter(self, job_id: str) -> dict[str, Any] | None:
        """Remove and return the newest dead letter of `job_id`."""
        for raw in map(str, self.redis.lrange(DEAD_KEY, 0, -1)):
            entry = json.loads(raw)
            if entry.get("job_id") == job_id and self.redis.lrem(DEAD_KEY, 1, raw):
                return dict(entry)
        return None

    def push(self, raw: str) -> None:
        """LPUSH a message as any producer would."""
        self.redis.lpush(QUEUE_KEY, raw)

    # -- recovery ---------------------------------------------------------------------------

    def _outbox_keys(self) -> list[str]:
        # Processing lists of unregistered workers too (the reaper has not seen them yet).
        lists = self.redis.scan_iter(match=processing_key("") + "*", count=500)
        return [QUEUE_KEY, DELAYED_KEY, WORKERS_KEY, *sorted({str(k) for k in lists})]

    def missing(self, job_ids: list[str]) -> list[str]:
        """The ids among `job_ids` that no message in Redis carries (queue, delayed set,
        any processing list), checked in one atomic look."""
        if not job_ids:
            return []
        return [str(i) for i in self._missing(keys=self._outbox_keys(), args=job_ids)]

    def push_missing(self, jobs: list[tuple[dict[str, Any], dict[str, Any]]]) -> list[str]:
        """Push each (payload, status) whose job still has no message anywhere — checked
        and pushed atomically, so two workers never push the same job. Returns the ids pushed."""
        if not jobs:
            return []
        args: list[str | int] = [self.status_ttl]
        for payload, status in jobs:
            args += [payload["job_id"], json.dumps(payload), json.dumps(status)]
        return [str(i) for i in self._push_missing(keys=self._outbox_keys(), args=args)]

    def reap(self, worker_id: str, info_key: str, workers_key: str) -> int:
        """Return a dead worker's jobs to the queue's head and forget the worker."""
        keys = [processing_key(worker_id), QUEUE_KEY, workers_key, info_key]
        return int(self._reap(keys=keys, args=[worker_id]))

    def depth(self) -> int:
        """How many jobs wait on the queue."""
        return int(self.redis.llen(QUEUE_KEY))
