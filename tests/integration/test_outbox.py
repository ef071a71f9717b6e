"""The enqueue outbox against a real Redis and database: a recorded job whose message is
gone is pushed again once, and only when it is really gone."""

from __future__ import annotations

import json

from opad.bootstrap import Services
from opad.db.models import Job
from opad.inputs import ArticleCreate
from opad.queue.protocol import DELAYED_KEY, QUEUE_KEY, processing_key, status_key
from opad.services.articles import create_and_enqueue
from opad.services.jobs import cancel_job
from opad.services.outbox import Outbox
from opad.users import LOCAL_USER_ID

BODY = ArticleCreate(language="English", level="B1", length=100, topic="parks")


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def outbox(services: Services, clock: Clock) -> Outbox:
    return Outbox(services.db, services.queue, 30.0, clock)


def test_a_message_deleted_by_hand_is_pushed_again_once(services: Services) -> None:
    job_id = create_and_enqueue(services, BODY, LOCAL_USER_ID)["job_id"]
    r = services.queue.redis
    message = json.loads(r.lrange(QUEUE_KEY, 0, -1)[0])
    r.delete(QUEUE_KEY, status_key(job_id))
    clock = Clock()
    first, second = outbox(services, clock), outbox(services, clock)
    assert first.sweep() == [] and second.sweep() == []  # seen missing: the grace starts
    clock.now += 29
    assert first.sweep() == []
    clock.now += 1
    assert first.sweep() == [job_id]
    assert second.sweep() == []  # the other worker finds it back: pushed once
    assert first.sweep() == []
    assert r.llen(QUEUE_KEY) == 1
    assert json.loads(r.lrange(QUEUE_KEY, 0, -1)[0]) == message
    status = services.queue.read_status(job_id)
    assert status is not None and status["status"] == "queued"


def test_messages_claimed_or_waiting_to_retry_are_not_missing(services: Services) -> None:
    claimed = create_and_enqueue(services, BODY, LOCAL_USER_ID)["job_id"]
    raw = services.queue.claim("w1", 1.0)  # no worker registered: only SCAN finds its list
    assert raw is not None
    waiting = create_and_enqueue(services, BODY, LOCAL_USER_ID)["job_id"]
    raw2 = services.queue.claim("w2", 1.0)
    assert raw2 is not None
    services.queue.schedule_retry("w2", raw2, 3600)
    queued = create_and_enqueue(services, BODY, LOCAL_USER_ID)["job_id"]
    assert services.queue.missing([claimed, waiting, queued, "no-such-job"]) == ["no-such-job"]
    clock = Clock()
    box = outbox(services, clock)
    box.sweep()
    clock.now += 3600
    assert box.sweep() == []
    r = services.queue.redis
    assert r.llen(QUEUE_KEY) == 1 and r.zcard(DELAYED_KEY) == 1
    assert r.llen(processing_key("w1")) == 1


def test_a_job_that_ended_or_was_cancelled_meanwhile_is_not_pushed(services: Services) -> None:
    job_id = create_and_enqueue(services, BODY, LOCAL_USER_ID)["job_id"]
    services.queue.redis.delete(QUEUE_KEY)
    clock = Clock()
    box = outbox(services, clock)
    box.sweep()
    cancel_job(services.db, services.queue, job_id)
    clock.now += 60
    assert box.sweep() == []
    assert services.queue.depth() == 0
    with services.db.session() as session:
        job = session.get(Job, job_id)
        assert job is not None and job.status == "cancelled"
