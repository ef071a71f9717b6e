"""A cluster for the reliability tests: an API on a private Redis, any number of worker
processes (the `noop` engine with a delay, a short lease, fast retries) and direct access
to Redis and the database. `own_cluster` starts one with its Redis and stops both."""

from __future__ import annotations

import signal
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx
from sqlalchemy import update

from opad.bootstrap import Services, build_services
from opad.db.models import Job
from tests.conftest import RedisServer, make_settings
from tests.processes import Service, Stack, base_env, wait_until

LEASE = "1.5"
BODY = {"language": "English", "level": "B1", "length": 100, "topic": "parks"}


class Cluster:
    """An API, any number of workers, and direct access to Redis and the database."""

    def __init__(self, tmp_path: Path, redis_server: RedisServer, **env: str) -> None:
        self.redis_server = redis_server
        defaults = {
            "REDIS_URL": redis_server.url,
            "OPAD_ENGINE": "noop",
            "OPAD_NOOP_SECONDS": "2",
            "OPAD_LEASE_SECONDS": LEASE,
            "OPAD_RETRY_BASE_SECONDS": "0.2",
            "OPAD_SHUTDOWN_GRACE": "1",
        }
        self.stack = Stack(env=base_env(tmp_path, **{**defaults, **env}), data_dir=tmp_path)
        self.stack.migrate()
        self.stack.start_api()
        self.api = self.stack.api_url
        self.services: Services = build_services(
            make_settings(tmp_path, REDIS_URL=redis_server.url)
        )
        self.redis = redis_server.client()
        self.workers: list[Service] = []

    def worker(self, *, live: bool = True, **env: str) -> Service:
        """Start a worker and (`live`) wait until it is live (in GET /workers): its start
        (imports take seconds, more on a busy machine) is not what the tests' time bounds
        measure. The soak passes live=False: its kills must keep coming while workers start.
        """
        service = self.stack.start("worker", extra_env=env)
        self.workers.append(service)
        if not live:
            return service
        wait_until(
            lambda: (
                service.proc.poll() is not None
                or any(
                    w["pid"] == service.proc.pid
                    for w in httpx.get(f"{self.api}/workers", timeout=10).json()
                )
            ),
            120,
            "the new worker to be live",
        )
        return service

    def stop_workers(self) -> None:
        for service in self.workers:
            service.stop(signal.SIGKILL)
        self.workers.clear()
        # Whatever a killed worker held must not leak into the next test.
        for key in self.redis.scan_iter("opad:*"):
            if not str(key).startswith("opad:job:"):
                self.redis.delete(key)
        # Nor may a job whose message was just deleted: the workers' outbox would push it
        # again (as it should for a message lost by accident) into the next test.
        with self.services.db.session() as session:
            session.execute(
                update(Job)
                .where(Job.status.in_(("queued", "running")))
                .values(status="cancelled", message="Cancelled: the test ended")
            )

    def submit(self, **body: Any) -> dict[str, str]:
        resp = httpx.post(f"{self.api}/generate", json={**BODY, **body}, timeout=10)
        assert resp.status_code == 202, resp.text
        return dict(resp.json())

    def status(self, job_id: str) -> dict[str, Any]:
        return dict(httpx.get(f"{self.api}/jobs/{job_id}", timeout=10).json())

    def wait_status(self, job_id: str, wanted: str, timeout: float = 90) -> dict[str, Any]:
        wait_until(
            lambda: self.status(job_id)["status"] == wanted, timeout, f"job {job_id} to be {wanted}"
        )
        return self.status(job_id)

    def job_row(self, job_id: str) -> Job:
        with self.services.db.session() as session:
            job = session.get(Job, job_id)
            assert job is not None
            return job

    def processing_total(self) -> int:
        return sum(int(self.redis.llen(k)) for k in self.redis.scan_iter("opad:processing:*"))

    def succeeded_lines(self, job_id: str) -> int:
        return sum(s.output().count(f"job {job_id} succeeded") for s in self.workers)

    def close(self) -> None:
        self.stack.stop()
        self.services.close()


@contextmanager
def own_cluster(folder: Path, **env: str) -> Iterator[Cluster]:
    """A `Cluster` in `folder` on a Redis of its own; both stopped on leaving."""
    server = RedisServer(folder / "redis")
    server.start()
    try:
        cluster = Cluster(folder, server, **env)
        try:
            yield cluster
        finally:
            cluster.close()
    finally:
        server.stop()
