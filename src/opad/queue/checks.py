"""Redis checked like a dependency: its configuration, its room, and whether it lost data.

OPAD keeps its queue, running jobs' fences and live statuses in Redis; the database is the
record. What OPAD needs from Redis (docs/operations.md, "What OPAD needs from Redis"):

- `maxmemory-policy noeviction`: any other policy lets Redis delete OPAD's keys when it is
  full (a queued message, a running job's fence), silently. With `noeviction` a full Redis
  refuses writes instead ("OOM command not allowed"), which OPAD reports as Redis being
  unavailable.
- persistence in production (`appendonly yes`, or RDB snapshots): a Redis restarted
  without its data forgets every message; the workers recover the jobs from the database
  (services/outbox.py), but only after a grace period.

Everything here reads `INFO` (allowed on managed Redis, where `CONFIG` often is not) and
`CONFIG GET save` only where it is allowed.
"""

from __future__ import annotations

import logging
import secrets
from dataclasses import dataclass
from typing import Any

import redis

log = logging.getLogger("opad.redis")

EPOCH_KEY = "opad:epoch"  # a random value each Redis data set gets from the first worker
FULL_RATIO = 0.95  # used memory / maxmemory past which writes are about to be refused


def _info(client: redis.Redis, section: str) -> dict[str, Any]:
    return dict(client.info(section))


def is_out_of_memory(exc: BaseException) -> bool:
    """Whether a Redis error is the refusal of a full Redis (maxmemory with noeviction)."""
    if isinstance(exc, redis.exceptions.OutOfMemoryError):  # redis-py ≥ 4 parses "OOM …"
        return True
    return isinstance(exc, redis.ResponseError) and str(exc).startswith("OOM")


def full_problem(client: redis.Redis) -> str | None:
    """Why Redis cannot take writes now (used memory at its `maxmemory`), or None."""
    memory = _info(client, "memory")
    limit = int(memory.get("maxmemory") or 0)
    used = int(memory.get("used_memory") or 0)
    if limit and used >= limit * FULL_RATIO:
        return (
            f"Redis is full: {used} of maxmemory {limit} bytes used; raise `maxmemory` "
            "or free memory (with `maxmemory-policy noeviction` it refuses new jobs)"
        )
    return None


def config_problems(client: redis.Redis, *, production: bool) -> list[str]:
    """What is wrong with this Redis for OPAD, one line each naming the setting to change
    (empty when nothing is). Raises redis.RedisError when Redis does not answer."""
    problems = []
    memory = _info(client, "memory")
    policy = str(memory.get("maxmemory_policy") or "noeviction")
    if policy != "noeviction":
        problems.append(
            f"Redis `maxmemory-policy` is {policy}: set it to noeviction — any other policy "
            "lets Redis delete queued jobs and running jobs' fences when it is full"
        )
    if production and not _persists(client):
        problems.append(
            "Redis keeps no data across a restart (`appendonly no` and no `save` "
            "snapshots): set `appendonly yes` — OPAD recovers lost jobs from the database, "
            "but only after OPAD_ENQUEUE_GRACE and a lease"
        )
    return problems


def _persists(client: redis.Redis) -> bool:
    if int(_info(client, "persistence").get("aof_enabled") or 0):
        return True
    try:
        save = client.config_get("save").get("save", "")
    except redis.ResponseError:  # CONFIG disabled (managed Redis): assume it persists
        return True
    return bool(str(save).strip())


def warn_at_start(client: redis.Redis, *, production: bool) -> list[str]:
    """Log each configuration problem (a worker's start); returns them."""
    try:
        problems = config_problems(client, production=production)
    except redis.RedisError as exc:
        log.warning("could not check Redis's configuration: %s", exc)
        return []
    for problem in problems:
        log.error("Redis configuration: %s", problem)
    return problems


@dataclass
class DataLossWatch:
    """Tells when Redis lost data since the last look: its data set's epoch key is gone
    (a restart without its data, a FLUSHDB, a failover to a replica that never had it), or
    it evicted keys (a `maxmemory-policy` other than noeviction). One per worker."""

    client: redis.Redis
    epoch: str | None = None
    evicted: int | None = None

    def check(self) -> str | None:
        """Look once; why Redis lost data since the last look, or None (also the first time
        this worker looks at a data set it finds intact)."""
        mine = secrets.token_hex(8)
        created = self.client.set(EPOCH_KEY, mine, nx=True)
        current = mine if created else str(self.client.get(EPOCH_KEY) or "")
        evicted = int(_info(self.client, "stats").get("evicted_keys") or 0)
        reason = None
        if self.epoch is not None and current != self.epoch:
            reason = "Redis lost its data (restarted without it, flushed, or failed over)"
        elif created and self.epoch is None:
            reason = "Redis has no OPAD data set yet (new, or restarted without its data)"
        elif self.evicted is not None and evicted > self.evicted:
            reason = f"Redis evicted {evicted - self.evicted} key(s) (maxmemory-policy)"
        self.epoch, self.evicted = current, evicted
        return reason
