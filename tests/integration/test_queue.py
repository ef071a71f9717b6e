"""The Redis side of the protocol, on a real Redis."""

from __future__ import annotations

import json
import time

from opad.queue.protocol import DEAD_KEY, QUEUE_KEY, processing_key, status_key
from opad.queue.redis_queue import JobQueue
from tests.conftest import RedisServer


def status(job_id: str, state: str = "queued") -> dict[str, object]:
    return {"id": job_id, "article_id": "a", "status": state, "progress": 0, "message": "m"}


def test_enqueue_claim_ack_in_fifo_order(redis_server: RedisServer) -> None:
    r = redis_server.client()
    queue = JobQueue(r)
    for n in range(3):
        queue.enqueue({"job_id": f"j{n}"}, status(f"j{n}"))
    assert queue.depth() == 3
    ttl = r.ttl(status_key("j0"))
    assert 24 * 3600 - 5 <= ttl <= 24 * 3600
    claimed = [queue.claim("w1", 0.1) for _ in range(3)]
    assert [json.loads(c)["job_id"] for c in claimed if c] == ["j0", "j1", "j2"]
    assert r.llen(processing_key("w1")) == 3
    assert queue.claim("w1", 0.1) is None
    for raw in claimed:
        assert raw is not None
        queue.ack("w1", raw)
    assert r.llen(processing_key("w1")) == 0


def test_status_writes_are_published(redis_server: RedisServer) -> None:
    r = redis_server.client()
    queue = JobQueue(r)
    pubsub = r.pubsub()
    pubsub.subscribe("opad:job:j9:events")
    pubsub.get_message(timeout=1)
    assert queue.start_status(1, status("j9", "running"))
    message = pubsub.get_message(timeout=2)
    assert message is not None and json.loads(message["data"])["status"] == "running"
    assert queue.read_status("j9") == status("j9", "running")


def test_fencing_refuses_stale_runs_and_writes_after_the_end(redis_server: RedisServer) -> None:
    queue = JobQueue(redis_server.client())
    assert queue.start_status(1, status("j", "running"))
    assert queue.write_status(1, {**status("j", "running"), "progress": 50})
    assert queue.start_status(2, status("j", "running"))  # taken over by a newer run
    assert not queue.start_status(2, status("j", "running"))  # a token starts only once
    assert not queue.write_status(1, {**status("j", "succeeded"), "progress": 100})
    assert queue.read_status("j") == status("j", "running")
    assert queue.write_status(2, status("j", "cancelled"))
    assert not queue.write_status(2, status("j", "running"))  # terminal is final
    assert not queue.write_if_live(status("j", "failed"))
    assert not queue.start_status(3, status("j", "running"))
    assert queue.read_status("j") == status("j", "cancelled")


def test_finish_writes_the_status_and_acks_in_one_script(redis_server: RedisServer) -> None:
    r = redis_server.client()
    queue = JobQueue(r)
    for n in range(3):
        queue.enqueue({"job_id": f"f{n}"}, status(f"f{n}"))
    raws = [queue.claim("w1", 0.1) for _ in range(3)]
    assert all(raws)
    first, second, third = (str(raw) for raw in raws)
    assert queue.start_status(1, status("f0", "running"))
    assert queue.finish("w1", first, 1, {**status("f0", "succeeded"), "progress": 100})
    assert json.loads(r.get(status_key("f0")) or "{}")["status"] == "succeeded"
    # Refused like a fenced write (a newer run holds the job), yet acked all the same.
    assert queue.start_status(2, status("f1", "running"))
    assert not queue.finish("w1", second, 1, status("f1", "succeeded"))
    assert json.loads(r.get(status_key("f1")) or "{}")["status"] == "running"
    assert r.lrange(processing_key("w1"), 0, -1) == [third]


def test_retry_schedule_and_due_move(redis_server: RedisServer) -> None:
    r = redis_server.client()
    queue = JobQueue(r)
    queue.enqueue({"job_id": "a"}, status("a"))
    raw = queue.claim("w", 0.1)
    assert raw is not None
    queue.schedule_retry("w", raw, 0.3)
    assert r.llen(processing_key("w")) == 0 and queue.depth() == 0
    assert queue.move_due() == 0
    time.sleep(0.35)
    assert queue.move_due() == 1 and queue.move_due() == 0
    assert queue.claim("w", 0.1) == raw


def test_give_back_and_requeue_and_dead_letter(redis_server: RedisServer) -> None:
    r = redis_server.client()
    queue = JobQueue(r)
    queue.enqueue({"job_id": "a"}, status("a"))
    queue.enqueue({"job_id": "b"}, status("b"))
    first = queue.claim("w", 0.1)
    assert first is not None
    queue.give_back("w", first)
    assert json.loads(queue.claim("w", 0.1) or "{}")["job_id"] == "a"  # taken next again
    queue.claim("w", 0.1)
    assert queue.requeue_processing("w") == 2
    assert r.llen(QUEUE_KEY) == 2 and r.llen(processing_key("w")) == 0
    raw = queue.claim("w", 0.1)
    assert raw is not None
    queue.dead_letter("w", raw, "broken")
    entry = json.loads(r.lindex(DEAD_KEY, 0) or "{}")
    assert entry["error"] == "broken" and entry["payload"] == raw
    assert r.llen(processing_key("w")) == 0
