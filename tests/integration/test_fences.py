"""Fences that tell Redis losing data from a newer run, and the scripts that put back what
a live worker holds (queue/scripts.py), on a private Redis."""

from __future__ import annotations

import json

from opad.queue.protocol import fence_key, lease_key, processing_key, status_key
from opad.queue.redis_queue import LOST, REFUSED, WRITTEN, JobQueue
from tests.conftest import RedisServer


def status(job_id: str, state: str = "running") -> dict[str, object]:
    return {"id": job_id, "article_id": "a", "status": state, "progress": 10, "message": ""}


def test_a_lost_or_older_fence_is_lost_data_and_a_newer_one_a_newer_run(
    redis_server: RedisServer,
) -> None:
    queue = JobQueue(redis_server.client())
    assert queue.start_status(3, status("j"))
    assert queue.write_run_status(3, status("j")) == WRITTEN
    assert queue.write_run_status(2, status("j")) == REFUSED  # a newer run holds it
    queue.redis.delete(fence_key("j"))  # a restart without its data, an eviction
    assert queue.write_run_status(3, status("j")) == LOST
    queue.redis.set(fence_key("j"), 2)  # an older snapshot came back
    assert queue.write_run_status(3, status("j")) == LOST
    # The record said the run is still ours: START puts the fence back.
    assert queue.start_status(3, status("j"))
    assert queue.write_run_status(3, status("j")) == WRITTEN
    # A recorded end goes through a lost fence, not over a newer one or a terminal status.
    queue.redis.delete(fence_key("j"), status_key("j"))
    assert queue.write_recorded(3, status("j", "succeeded"))
    assert queue.redis.get(fence_key("j")) == "3"
    assert not queue.write_recorded(3, status("j", "failed"))
    queue.redis.set(fence_key("k"), 5)
    assert not queue.write_recorded(4, status("k", "failed"))


def test_a_live_worker_puts_back_what_redis_lost_and_nothing_that_left(
    redis_server: RedisServer,
) -> None:
    queue = JobQueue(redis_server.client())
    raws = {j: json.dumps({"job_id": j}) for j in ("kept", "ended", "retrying", "taken")}
    for job_id in raws:
        assert queue.start_status(1, status(job_id))
    queue.force_status(status("ended", "succeeded"))
    queue.redis.zadd("opad:jobs:delayed", {raws["retrying"]: 1})
    queue.redis.set(fence_key("taken"), 2)
    held = [(raw, job_id, 1) for job_id, raw in raws.items()]
    assert queue.restore_held("w1", held) == 1
    assert queue.processing("w1") == [raws["kept"]]
    assert queue.restore_held("w1", held) == 0  # already there: not twice
    # One run per job: copies held by live workers, the claimer's own included.
    queue.redis.set(lease_key("w1"), "x")
    queue.redis.lpush(processing_key("w2"), raws["kept"])  # w2 has no lease: not live
    assert queue.held_by_live("kept") == 1
    queue.redis.set(lease_key("w2"), "x")
    assert queue.held_by_live("kept") == 2
