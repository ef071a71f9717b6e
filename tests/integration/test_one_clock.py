"""One clock for due times (issue 30, part 2): retries are scheduled and released on
Redis's TIME, whatever the clock of the host that schedules or releases them. A host's
clock is set wrong here by patching `time.time` for the whole test process, as a
machine with a drifted clock would see it; Redis (a real server) keeps the true time.
"""

from __future__ import annotations

import time

import pytest

from opad.queue.protocol import DELAYED_KEY
from opad.queue.redis_queue import JobQueue
from tests.conftest import RedisServer
from tests.integration.test_queue import status

HOUR = 3600.0


def redis_now(queue: JobQueue) -> float:
    seconds, micros = queue.redis.time()
    return seconds + micros / 1e6


@pytest.fixture
def queue(redis_server: RedisServer) -> JobQueue:
    return JobQueue(redis_server.client())


def claim_one(queue: JobQueue, job_id: str) -> str:
    queue.enqueue({"job_id": job_id}, status(job_id))
    raw = queue.claim("w", 0.1)
    assert raw is not None
    return raw


@pytest.mark.parametrize("skew", [HOUR, -HOUR, 86_400.0])
def test_a_retry_is_due_delay_seconds_from_redis_time(
    queue: JobQueue, monkeypatch: pytest.MonkeyPatch, skew: float
) -> None:
    # The issue's: a worker whose clock is an hour ahead scheduled "Retrying in 7 s" for
    # an hour. Ours: an hour behind (released at once on a correct host), a day ahead.
    raw = claim_one(queue, "a")
    real = time.time
    monkeypatch.setattr(time, "time", lambda: real() + skew)
    before = redis_now(queue)
    queue.schedule_retry("w", raw, 7)
    due = queue.redis.zscore(DELAYED_KEY, raw)
    assert due is not None and before + 6.9 <= due <= redis_now(queue) + 7.1


@pytest.mark.parametrize("skew", [HOUR, -HOUR])
def test_release_follows_redis_time_whatever_the_host(
    queue: JobQueue, monkeypatch: pytest.MonkeyPatch, skew: float
) -> None:
    # Ours: the host that releases due retries has the wrong clock. An hour ahead, it
    # released every retry at once; an hour behind, it held them for an hour.
    raw = claim_one(queue, "b")
    queue.schedule_retry("w", raw, 0.3)
    real = time.time
    monkeypatch.setattr(time, "time", lambda: real() + skew)
    assert queue.move_due() == 0  # not due yet, however far ahead this host thinks it is
    deadline = real() + 5
    while queue.move_due() == 0:  # due 0.3 s later by Redis, however far behind
        assert real() < deadline, "a due retry was never released"
        time.sleep(0.05)
    assert queue.claim("w", 0.1) == raw
