"""The no-op job every peer runs: it only records when it ran (one RPUSH)."""

from __future__ import annotations

import os
import time
from typing import Any

import redis

DONE_KEY = "bench:done"
_client: redis.Redis | None = None


def _redis() -> redis.Redis:
    global _client
    if _client is None:
        _client = redis.Redis.from_url(os.environ["BENCH_REDIS_URL"])
    return _client


def noop() -> None:
    """RQ's job."""
    _redis().rpush(DONE_KEY, time.time())


async def anoop(ctx: Any, *args: Any, **kwargs: Any) -> None:
    """arq's and SAQ's job (async; the same single RPUSH)."""
    _redis().rpush(DONE_KEY, time.time())
