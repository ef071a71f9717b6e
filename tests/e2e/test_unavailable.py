"""Dependencies down: a clear 503 naming them, fast, and nothing lost."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.conftest import RedisServer
from tests.processes import Stack, base_env

BODY = {"language": "English", "level": "B1", "length": 100, "topic": "parks"}


@pytest.fixture
def fragile(tmp_path: Path) -> Iterator[tuple[Stack, RedisServer]]:
    """An API on a Redis server this test may stop."""
    server = RedisServer(tmp_path / "redis")
    server.start()
    s = Stack(env=base_env(tmp_path, REDIS_URL=server.url), data_dir=tmp_path)
    s.migrate()
    s.start_api()
    yield s, server
    s.stop()
    server.stop()


def test_redis_down_gives_503_fast(fragile: tuple[Stack, RedisServer]) -> None:
    stack, server = fragile
    assert httpx.post(f"{stack.api_url}/generate", json=BODY, timeout=10).status_code == 202
    server.stop()
    for method, path, body in [
        ("POST", "/generate", BODY),
        ("GET", "/jobs/some-id", None),
        ("GET", "/health/ready", None),
    ]:
        start = time.monotonic()
        resp = httpx.request(method, f"{stack.api_url}{path}", json=body, timeout=10)
        elapsed = time.monotonic() - start
        assert resp.status_code == 503, (path, resp.text)
        assert elapsed < 2.0, (path, elapsed)
        body_json = resp.json()
        if path == "/health/ready":
            assert body_json["checks"]["redis"]["status"] == "down"
            assert body_json["checks"]["database"]["status"] == "ok"
        else:
            assert body_json["error"] == "queue unavailable", body_json
    # Liveness does not depend on Redis.
    assert httpx.get(f"{stack.api_url}/health", timeout=5).status_code == 200
    # Nothing half-done: the articles that a 503 answered hold no queued job.
    listing = httpx.get(f"{stack.api_url}/articles", timeout=5).json()
    assert {a["status"] for a in listing["items"]} == {"queued"}
    server.start()
    assert httpx.post(f"{stack.api_url}/generate", json=BODY, timeout=10).status_code == 202


def test_api_refuses_an_out_of_date_schema(tmp_path: Path) -> None:
    s = Stack(env=base_env(tmp_path), data_dir=tmp_path)
    service = s.start("api", "--port", "1")  # never migrated
    code = service.proc.wait(60)
    assert code == 1
    assert "run `opad migrate`" in service.output()
    from opad.queue import embedded

    embedded.stop(tmp_path)
