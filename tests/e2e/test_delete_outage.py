"""Deleting readings while the object store (a real S3 server) is down: the delete
succeeds, the objects wait in the outbox, and the worker removes them once S3 is back —
nothing is left in the bucket. Real `opad api` and `opad worker` on PostgreSQL and Redis."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from sqlalchemy import create_engine, text

from tests.databases import emptied
from tests.e2e.helpers import follow
from tests.processes import Stack, base_env, free_port, http_ok, wait_until
from tests.s3 import S3Server

BODY = {"language": "English", "level": "B1", "length": 80, "topic": "parks"}


@pytest.fixture
def outage(
    tmp_path: Path, pg_url: str, machine_redis_url: str, s3_server: S3Server
) -> Iterator[tuple[Stack, S3Server, str]]:
    emptied(pg_url)
    bucket = s3_server.new_bucket()
    env = base_env(
        tmp_path,
        DATABASE_URL=pg_url,
        REDIS_URL=machine_redis_url,
        OPAD_S3_TIMEOUT="1",
        OPAD_CLEANUP_INTERVAL="0.5",
        **s3_server.env(bucket, "outage"),
    )
    stack = Stack(env=env, data_dir=tmp_path)
    stack.migrate()
    port = free_port()
    stack.api_url = env["OPAD_API_URL"] = f"http://127.0.0.1:{port}"
    api = stack.start("api", "--port", str(port))
    stack.start("worker")
    try:  # generous: on a busy 2-core machine the imports alone can take a while
        wait_until(lambda: http_ok(f"{stack.api_url}/health"), 120, "the API to answer")
    except AssertionError as exc:
        raise AssertionError(f"{exc}\n{api.output()}") from None
    yield stack, s3_server, bucket
    stack.stop()


def pending(pg_url: str) -> list[tuple[str, int, str | None]]:
    engine = create_engine(pg_url)
    try:
        with engine.connect() as conn:
            rows = conn.execute(
                text("SELECT article_id, attempts, last_error FROM pending_deletions ORDER BY id")
            ).all()
    finally:
        engine.dispose()
    return [(r[0], r[1], r[2]) for r in rows]


def make_reading(api_url: str) -> str:
    made = httpx.post(f"{api_url}/generate", json=BODY, timeout=30)
    assert made.status_code == 202, made.text
    status, _ = follow(api_url, made.json()["job_id"], timeout=120)
    assert status["status"] == "succeeded", status
    return str(made.json()["article_id"])


def test_objects_of_readings_deleted_during_an_outage_go_once_s3_is_back(
    outage: tuple[Stack, S3Server, str], pg_url: str
) -> None:
    stack, s3, bucket = outage
    api = stack.api_url
    first, second, third = (make_reading(api) for _ in range(3))
    keys = s3.keys(bucket)
    for article in (first, second, third):
        assert f"outage/articles/{article}/article.md" in keys

    # With S3 up, a delete removes the objects at once; nothing waits.
    assert httpx.delete(f"{api}/articles/{third}", timeout=30).status_code == 204
    assert not [k for k in s3.keys(bucket) if third in k]
    assert pending(pg_url) == []

    s3.stop()
    for article in (first, second):
        assert httpx.delete(f"{api}/articles/{article}", timeout=30).status_code == 204
        assert httpx.get(f"{api}/articles/{article}", timeout=10).status_code == 404
    waiting = pending(pg_url)
    assert [row[0] for row in waiting] == [first, second]
    assert all(row[1] >= 1 and "S3 DELETE" in (row[2] or "") for row in waiting), waiting
    # The worker keeps trying while S3 is down (the attempts count grows).
    wait_until(lambda: pending(pg_url)[0][1] >= 2, 60, "the worker to retry")

    s3.start()
    wait_until(lambda: pending(pg_url) == [], 60, "the worker to empty the outbox")
    left = [k for k in s3.keys(bucket) if first in k or second in k or third in k]
    assert left == []
