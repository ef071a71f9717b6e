"""Pick-up: enqueue → `running` with an idle worker, one job at a time, over 1 000 jobs.

The clock starts just before the enqueue (the status write and LPUSH the API does) and
stops when the `running` status arrives on the job's pub/sub channel.
"""

from __future__ import annotations

import json
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from bench.common import (
    migrated_services,
    opad_env,
    percentile,
    private_redis,
    spawn,
    stop,
    wait_until,
)
from bench.seed import prepare_jobs
from opad.queue.protocol import events_channel

JOBS = 500


def _wait_for(pubsub: Any, wanted: str, start: float) -> float:
    """Milliseconds from `start` until a status `wanted` arrives on the subscription."""
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        # None also comes back for the (ignored) subscribe confirmation: keep reading.
        message = pubsub.get_message(timeout=1)
        if message and json.loads(message["data"])["status"] == wanted:
            return (time.perf_counter() - start) * 1000
    raise RuntimeError(f"no {wanted} status within 10 s")


def run_once(jobs: int = JOBS, extra: dict[str, str] | None = None) -> dict[str, Any]:
    """Latencies of `jobs` sequential pick-ups."""
    with private_redis() as redis_server:
        folder = Path(tempfile.mkdtemp(prefix="opad-bench-pickup-"))
        env = opad_env(folder, redis_server.url, OPAD_ENGINE="noop", **(extra or {}))
        services = migrated_services(env)
        # One process: `opad worker` alone starts one per core, and the count below would
        # see 1 only in the instant between their registrations (a run timed out so, and
        # left its workers running).
        command = [sys.executable, "-m", "opad", "worker", "--processes", "1"]
        worker = spawn(command, env, folder / "worker.log")
        client = redis_server.client()
        pubsub = client.pubsub(ignore_subscribe_messages=True)
        latencies: list[float] = []
        try:
            wait_until(lambda: client.scard("opad:workers") == 1, 60, "the worker")
            time.sleep(1.0)  # every slot is now blocked in BLMOVE: idle
            for n in range(jobs):
                # The records first (the API commits before it enqueues), off the clock.
                [(payload, status)] = prepare_jobs(services, 1, n)
                pubsub.subscribe(events_channel(payload["job_id"]))
                start = time.perf_counter()
                services.queue.enqueue(payload, status)
                latencies.append(_wait_for(pubsub, "running", start))
                # Let it finish before the next one, so the worker is idle again.
                _wait_for(pubsub, "succeeded", start)
                pubsub.unsubscribe(events_channel(payload["job_id"]))
        finally:
            pubsub.close()
            stop(worker)
            services.close()
    return {
        "jobs": len(latencies),
        "p50_ms": percentile(latencies, 50),
        "p99_ms": percentile(latencies, 99),
        "max_ms": max(latencies),
    }


if __name__ == "__main__":
    print(json.dumps(run_once(), indent=2))
