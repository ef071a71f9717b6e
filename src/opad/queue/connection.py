"""Redis clients with timeouts that fail fast instead of hanging."""

from __future__ import annotations

import redis
import redis.asyncio
from redis.backoff import NoBackoff
from redis.retry import Retry


def connect(url: str, *, timeout: float, block_timeout: float = 0.0) -> redis.Redis:
    """A client for `url`; reads wait at most `timeout` beyond any blocking command's own wait."""
    return redis.Redis.from_url(
        url,
        decode_responses=True,
        # A producer may push bytes that are not UTF-8: they decode to lone surrogates and
        # encode back to the same bytes, so such a message can still be dead-lettered (LREM
        # finds it) instead of crashing the slot that claimed it.
        encoding_errors="surrogateescape",
        socket_connect_timeout=timeout,
        socket_timeout=timeout + block_timeout,
        # redis-py retries three times by default: that would turn a 1.5 s timeout into 6 s.
        retry=Retry(NoBackoff(), 0),
        health_check_interval=30,
    )


def connect_async(url: str, *, timeout: float) -> redis.asyncio.Redis:
    """An asyncio client for `url`, for waiting on pub/sub without holding a thread (the
    API's event streams); connecting waits at most `timeout` s, reads wait for messages."""
    return redis.asyncio.Redis.from_url(url, decode_responses=True, socket_connect_timeout=timeout)
