"""Accept: POST /generate and GET /jobs/{id} against a running API, paced then saturated,
on SQLite and PostgreSQL, beside a bare FastAPI endpoint that only LPUSHes."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

import httpx

from bench.common import (
    free_port,
    new_pg_database,
    opad_env,
    percentile,
    private_redis,
    spawn,
    start_api,
    stop,
    wait_until,
)

PACED_RATE, PACED_SECONDS, SATURATE_SECONDS, CONCURRENCY = 200, 20, 10, 32


def load(url: str, mode: str, seconds: float, param: float, endpoint: str) -> dict[str, Any]:
    """Run the load generator in its own process; returns its figures."""
    out = subprocess.run(
        [sys.executable, "-m", "bench.load", url, mode, str(seconds), str(param), endpoint],
        capture_output=True,
        text=True,
        cwd=Path(__file__).resolve().parent.parent,
    )
    if out.returncode:
        raise RuntimeError(f"load generator failed:\n{out.stderr[-2000:]}")
    raw = json.loads(out.stdout.strip().splitlines()[-1])
    lat = raw.pop("latencies_ms")
    raw.update(p50_ms=percentile(lat, 50), p99_ms=percentile(lat, 99))
    return raw


def measure_api(url: str) -> dict[str, Any]:
    """The four load shapes against one API."""
    return {
        "generate_paced": load(url, "paced", PACED_SECONDS, PACED_RATE, "generate"),
        "generate_saturated": load(url, "saturate", SATURATE_SECONDS, CONCURRENCY, "generate"),
        "job_paced": load(url, "paced", PACED_SECONDS, PACED_RATE, "job"),
        "job_saturated": load(url, "saturate", SATURATE_SECONDS, CONCURRENCY, "job"),
    }


def run_once(pg_admin: str | None) -> dict[str, Any]:
    """One run: SQLite, PostgreSQL (if available) and the bare endpoint, on one Redis."""
    result: dict[str, Any] = {}
    with private_redis() as redis_server:
        bare_port = free_port()
        data = Path(tempfile.mkdtemp(prefix="opad-bench-accept-"))
        bare = spawn(
            [sys.executable, "-m", "bench.bare_app"],
            {**os.environ, "REDIS_URL": redis_server.url, "PORT": str(bare_port)},
            data / "bare.log",
        )
        bare_url = f"http://127.0.0.1:{bare_port}"
        try:
            wait_until(lambda: httpx.get(f"{bare_url}/health").status_code == 200, 30, "bare app")
            result["bare_paced"] = load(bare_url, "paced", PACED_SECONDS, PACED_RATE, "bare")
            result["bare_saturated"] = load(
                bare_url, "saturate", SATURATE_SECONDS, CONCURRENCY, "bare"
            )
        finally:
            stop(bare)
        backends: list[tuple[str, dict[str, str], Any]] = [("sqlite", {}, None)]
        if pg_admin:
            pg_url, drop = new_pg_database(pg_admin)
            backends.append(("postgresql", {"DATABASE_URL": pg_url}, drop))
        for name, extra, drop in backends:
            folder = Path(tempfile.mkdtemp(prefix=f"opad-bench-{name}-"))
            env = opad_env(folder, redis_server.url, **extra)
            api, url = start_api(env, folder)
            try:
                result[name] = measure_api(url)
            finally:
                stop(api)
                if drop:
                    drop()
            redis_server.client().flushall()
    return result


if __name__ == "__main__":
    print(json.dumps(run_once(os.environ.get("OPAD_TEST_DATABASE_URL")), indent=2))
