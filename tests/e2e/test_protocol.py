"""The public Redis protocol: a plain redis-py producer, no API call at all."""

from __future__ import annotations

import json
import time
import uuid
from datetime import UTC, datetime

import httpx
import redis

from opad.queue import embedded
from tests.processes import Stack


def test_plain_lpush_producer(stack: Stack) -> None:
    r = redis.Redis.from_url(embedded.url_for(stack.data_dir), decode_responses=True)
    job_id, article_id = str(uuid.uuid4()), str(uuid.uuid4())
    r.lpush(
        "opad:jobs",
        json.dumps(
            {
                "job_id": job_id,
                "article_id": article_id,
                "inputs": {
                    "language": "Spanish",
                    "level": "B1",
                    "length": "200",
                    "topic": "fútbol",
                },
                "created_at": datetime.now(UTC).isoformat(),
            }
        ),
    )
    deadline = time.monotonic() + 60
    status: dict[str, object] = {}
    while time.monotonic() < deadline:
        raw = r.get(f"opad:job:{job_id}")
        status = json.loads(raw) if raw else {}
        if status.get("status") in ("succeeded", "failed"):
            break
        time.sleep(0.05)
    assert status.get("status") == "succeeded", status
    assert status["progress"] == 100 and status["article_id"] == article_id
    assert 24 * 3600 - 60 <= r.ttl(f"opad:job:{job_id}") <= 24 * 3600
    # The record outlives the key: the API knows the article the worker created.
    article = httpx.get(f"{stack.api_url}/articles/{article_id}", timeout=5).json()
    assert article["status"] == "ready" and article["language"] == "Spanish"
    assert "fútbol" in article["topic"]
