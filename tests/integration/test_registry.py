"""Worker leases and the reaper, on a real Redis."""

from __future__ import annotations

import time

from opad.queue.protocol import QUEUE_KEY, processing_key
from opad.queue.redis_queue import JobQueue
from opad.queue.workers import Registry, live_workers
from tests.conftest import RedisServer


def test_reaper_returns_only_expired_workers_jobs(redis_server: RedisServer) -> None:
    r = redis_server.client()
    queue = JobQueue(r)
    alive, dead, me = (Registry(queue, w, 0.5) for w in ("alive", "dead", "me"))
    for reg in (alive, dead, me):
        reg.register(2)
    for worker in ("alive", "dead"):
        r.lpush(processing_key(worker), f'{{"job_id": "{worker}-job"}}')
    r.lpush(processing_key("ghost"), '{"job_id": "ghost-job"}')  # never registered
    assert {w["id"] for w in live_workers(queue)} == {"alive", "dead", "me"}
    assert me.reap() == 1  # only the unregistered list: every lease is live
    time.sleep(0.6)
    alive.heartbeat(1)
    me.heartbeat(0)
    r.delete("opad:reaper:lock")
    assert me.reap() == 1
    assert sorted(r.lrange(QUEUE_KEY, 0, -1)) == [
        '{"job_id": "dead-job"}',
        '{"job_id": "ghost-job"}',
    ]
    assert r.llen(processing_key("alive")) == 1
    assert {w["id"] for w in live_workers(queue)} == {"alive", "me"}
    # One reaper at a time: the lock is held for a lease.
    assert me.reap() == 0 and not alive.reap()
