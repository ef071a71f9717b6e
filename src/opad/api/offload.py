"""When the API's hot path (POST /generate) may run on the event loop itself.

A sync endpoint costs a hand-off to FastAPI's thread pool and back on every request; for
the accept path that was a large share of its CPU (docs/benchmarks.md §1). Its work is a
Redis write, one database statement and a Redis pipeline, each well under a millisecond
while the dependencies are healthy, so it runs inline. It goes back to the thread pool
whenever waiting is possible:

- with a generation cap (OPAD_MAX_QUEUED_PER_USER, on in production), whose per-user lock
  may be waited for;
- for OFFLOAD_SECONDS (30 s) after Redis or the database failed to answer on the inline
  path: a dependency that hangs until its timeout (1–2 s) would otherwise stall
  every request of the process, the health check and event streams included, one after
  another. In the pool those waits overlap, as before.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager

import redis
from sqlalchemy.exc import InterfaceError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeout

from opad.settings import Settings

# After a failure, this long in the pool before trying inline again (seconds).
OFFLOAD_SECONDS = 30.0

_offloaded_until = 0.0


def inline_ok(settings: Settings) -> bool:
    """Whether POST /generate may run on the event loop now (see the module docstring)."""
    return not settings.generation_limits[1] and time.monotonic() >= _offloaded_until


@contextmanager
def noting_failures() -> Iterator[None]:
    """Run inline work; a Redis or database failure sends the next requests to the pool."""
    global _offloaded_until
    try:
        yield
    except (
        redis.ConnectionError,
        redis.TimeoutError,
        OperationalError,
        InterfaceError,
        PoolTimeout,
    ):
        _offloaded_until = time.monotonic() + OFFLOAD_SECONDS
        raise
