"""GET /jobs/{id}/events against a real Redis: the frames, the heartbeats, the end at a
terminal status, and a client that leaves (its pub/sub subscription must go with it)."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from opad.api.app import create_app
from opad.api.routes import jobs as jobs_routes
from opad.bootstrap import Services
from opad.queue.protocol import events_channel, reading_channel
from tests.processes import ServerThread

BODY = {"language": "German", "level": "B1", "length": 300, "topic": "Stadtpark"}


@pytest.fixture
def client(services: Services, monkeypatch: pytest.MonkeyPatch) -> Iterator[httpx.Client]:
    monkeypatch.setattr(jobs_routes, "HEARTBEAT_SECONDS", 0.5)  # heartbeats within the test
    with (
        ServerThread(create_app(services.settings, services)) as server,
        httpx.Client(base_url=server.url, timeout=30) as c,
    ):
        yield c


def _subscribers(services: Services, job_id: str) -> int:
    counts = services.queue.redis.pubsub_numsub(events_channel(job_id), reading_channel(job_id))
    return sum(int(n) for _, n in counts)


def _wait_for_subscribers(services: Services, job_id: str, wanted: int) -> None:
    deadline = time.monotonic() + 30
    while _subscribers(services, job_id) != wanted:
        assert time.monotonic() < deadline, f"{_subscribers(services, job_id)} subscribers"
        time.sleep(0.1)


def test_status_reading_heartbeat_then_the_end(client: httpx.Client, services: Services) -> None:
    job_id = client.post("/generate", json=BODY).json()["job_id"]
    redis = services.queue.redis
    frames: list[tuple[str, Any]] = []
    comments: list[str] = []
    name = ""
    with client.stream("GET", f"/jobs/{job_id}/events") as resp:
        assert resp.status_code == 200
        assert resp.headers["content-type"].startswith("text/event-stream")
        assert resp.headers["cache-control"] == "no-cache"
        for line in resp.iter_lines():  # ends only when the API closes the stream
            if line.startswith(":"):
                comments.append(line)
                if len(comments) == 1:  # subscribed and quiet: now the worker "writes"
                    redis.publish(reading_channel(job_id), json.dumps({"id": job_id, "text": "Im"}))
            elif line.startswith("event: "):
                name = line.removeprefix("event: ")
            elif line.startswith("data: "):
                frames.append((name, json.loads(line.removeprefix("data: "))))
                if name == "reading":
                    done = {**frames[0][1], "status": "succeeded", "progress": 100}
                    redis.publish(events_channel(job_id), json.dumps(done))
    assert frames[0][0] == "status" and frames[0][1]["status"] == "queued"
    assert frames[0][1]["id"] == job_id
    assert ("reading", {"id": job_id, "text": "Im"}) in frames
    assert frames[-1][0] == "status" and frames[-1][1]["status"] == "succeeded"
    assert comments[0] == ": ping"
    _wait_for_subscribers(services, job_id, 0)


def test_a_client_that_leaves_takes_its_subscription_along(
    client: httpx.Client, services: Services
) -> None:
    job_id = client.post("/generate", json=BODY).json()["job_id"]
    with client.stream("GET", f"/jobs/{job_id}/events") as resp:
        lines = resp.iter_lines()
        assert next(lines) == "event: status"
        _wait_for_subscribers(services, job_id, 2)
    # The job is still queued (no worker): only the client's leaving can end the stream.
    _wait_for_subscribers(services, job_id, 0)
