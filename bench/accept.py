"""Accept: POST /generate and GET /jobs/{id} against a running API, paced then saturated,
on SQLite and PostgreSQL, beside a bare FastAPI endpoint that only LPUSHes.

The load generator is wrk (C, one thread; bench/accept.lua paces it and checks that every
request left on its slot). The asyncio/httpx process used before could not keep 200 req/s
even against the bare endpoint, so its latencies were its own queueing.
"""

from __future__ import annotations

import json
import os
import shutil
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
    private_redis,
    spawn,
    start_api,
    stop,
    wait_until,
)

PACED_RATE, PACED_SECONDS, SATURATE_SECONDS = 200, 10, 6
# Paced: enough connections that a free one is there at every slot even when responses
# take 300 ms; saturated: the closed loop of the earlier runs (32 requests in flight).
PACED_CONNECTIONS, CONCURRENCY = 64, 32
WARMUP_SECONDS = 2
SCRIPT = Path(__file__).resolve().parent / "accept.lua"
BODY = {"language": "English", "level": "B1", "length": 200, "topic": "city parks"}


def ensure_wrk() -> str:
    """The wrk binary; installs Debian's `wrk` when it is missing and we are root."""
    found = shutil.which("wrk")
    if found:
        return found
    if shutil.which("apt-get") and os.geteuid() == 0:
        apt = ["apt-get", "-o", "DPkg::Lock::Timeout=300"]
        env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
        subprocess.run([*apt, "update", "-qq"], env=env, check=True, capture_output=True)
        subprocess.run(
            [*apt, "install", "-y", "-qq", "--no-install-recommends", "wrk"],
            env=env,
            check=True,
            capture_output=True,
        )
        found = shutil.which("wrk")
    if not found:
        raise RuntimeError("the accept benchmark needs wrk: sudo apt-get install wrk")
    return found


def load(
    url: str, endpoint: str, seconds: float, rate: float, connections: int, ids: list[str]
) -> dict[str, Any]:
    """One wrk run (rate 0 = saturate); its figures, plus the throughput in req/s and
    whether a paced run held its schedule (≥ 99% of the rate, no request sent late)."""
    out = subprocess.run(
        [
            ensure_wrk(),
            "-t1",
            f"-c{connections}",
            f"-d{int(seconds)}s",
            "--timeout",
            "10s",
            "-s",
            str(SCRIPT),
            url,
            "--",
            endpoint,
            str(rate),
            *ids,
        ],
        capture_output=True,
        text=True,
        env={**os.environ, "ACCEPT_PACED": "1" if rate else "0", "ACCEPT_THREADS": "1"},
    )
    lines = [line for line in out.stdout.splitlines() if line.startswith("ACCEPT ")]
    if out.returncode or not lines:
        raise RuntimeError(f"wrk failed:\n{out.stdout[-2000:]}\n{out.stderr[-2000:]}")
    raw: dict[str, Any] = json.loads(lines[-1].removeprefix("ACCEPT "))
    raw["throughput"] = raw["requests"] / raw["seconds"]
    if rate:
        raw["held"] = raw["throughput"] >= 0.99 * rate and raw["late"] == 0
    return raw


def paced(url: str, endpoint: str, ids: list[str] = []) -> dict[str, Any]:  # noqa: B006
    """Warm up, then PACED_RATE req/s for PACED_SECONDS."""
    load(url, endpoint, WARMUP_SECONDS, PACED_RATE, PACED_CONNECTIONS, ids)
    return load(url, endpoint, PACED_SECONDS, PACED_RATE, PACED_CONNECTIONS, ids)


def saturated(url: str, endpoint: str, ids: list[str] = []) -> dict[str, Any]:  # noqa: B006
    """CONCURRENCY connections back to back for SATURATE_SECONDS."""
    return load(url, endpoint, SATURATE_SECONDS, 0, CONCURRENCY, ids)


def measure_api(url: str) -> dict[str, Any]:
    """The four load shapes against one API."""
    ids = [httpx.post(f"{url}/generate", json=BODY).json()["job_id"] for _ in range(50)]
    return {
        "generate_paced": paced(url, "generate"),
        "generate_saturated": saturated(url, "generate"),
        "job_paced": paced(url, "job", ids),
        "job_saturated": saturated(url, "job", ids),
    }


def measure_generate(url: str) -> dict[str, Any]:
    """POST /generate only, paced and saturated (the extra API shapes: more processes, the
    code before a change)."""
    return {
        "generate_paced": paced(url, "generate"),
        "generate_saturated": saturated(url, "generate"),
    }


def run_once(pg_admin: str | None, before: str | None = None) -> dict[str, Any]:
    """One run: SQLite, PostgreSQL (if available) and the bare endpoint, on one Redis.

    Per database: one API process (every shape), then `opad api --processes 2`
    (POST /generate; key `<db>_2`), and with `before` (a folder holding an older `src/`,
    e.g. from `git archive`) that code's API, one process (key `<db>_before`).
    """
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
            result["bare_paced"] = paced(bare_url, "bare")
            result["bare_saturated"] = saturated(bare_url, "bare")
        finally:
            stop(bare)
        for name in ("sqlite", "postgresql") if pg_admin else ("sqlite",):
            shapes: list[tuple[str, int, dict[str, str], Any]] = [
                (name, 1, {}, measure_api),
                (f"{name}_2", 2, {}, measure_generate),
            ]
            if before:
                shapes.append((f"{name}_before", 1, {"PYTHONPATH": before}, measure_generate))
            for key, processes, more, measure in shapes:
                # A database of its own per shape: the code before has older migrations
                # and refuses a schema the newer code has migrated further.
                extra, drop = {}, None
                if name == "postgresql":
                    pg_url, drop = new_pg_database(pg_admin)
                    extra = {"DATABASE_URL": pg_url}
                folder = Path(tempfile.mkdtemp(prefix=f"opad-bench-{name}-"))
                env = opad_env(folder, redis_server.url, **extra, **more)
                try:
                    api, url = start_api(env, folder, processes)
                    try:
                        result[key] = measure(url)
                    finally:
                        stop(api)
                finally:
                    if drop:
                        drop()
                redis_server.client().flushall()
    return result


if __name__ == "__main__":
    # python -m bench.accept [BEFORE_SRC]: BEFORE_SRC as `run_once`'s `before`.
    before_src = str(Path(sys.argv[1]).resolve()) if len(sys.argv) > 1 else None
    print(json.dumps(run_once(os.environ.get("OPAD_TEST_DATABASE_URL"), before_src), indent=2))
