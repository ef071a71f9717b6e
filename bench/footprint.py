"""Footprint: idle RSS of each service and the import time of each service's code."""

from __future__ import annotations

import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import httpx

from bench.common import (
    free_port,
    opad_env,
    private_redis,
    rss_mb,
    spawn,
    start_api,
    stop,
    wait_until,
)

IMPORTS = {
    "api": "import opad.api.app",
    "worker (offline)": "import opad.worker.main, opad.engines.leveler",
    "worker (crew)": "import opad.worker.main, opad.engines.crew.engine",
    "web": "import opad.web.app",
}


def import_seconds(statement: str, runs: int = 3) -> float | None:
    """Median wall time of a fresh interpreter importing a service's code."""
    code = f"import time; t = time.perf_counter(); {statement}; print(time.perf_counter() - t)"
    times = []
    for _ in range(runs):
        out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
        if out.returncode:
            return None  # e.g. the crew extra is not installed
        times.append(float(out.stdout.strip()))
    return statistics.median(times)


def idle_rss() -> dict[str, float]:
    """RSS of each service a few seconds after it became ready."""
    out: dict[str, float] = {}
    with private_redis() as redis_server:
        folder = Path(tempfile.mkdtemp(prefix="opad-bench-footprint-"))
        env = opad_env(folder, redis_server.url)
        api, api_url = start_api(env, folder)
        procs = [api]
        try:
            web_port = free_port()
            web = spawn(
                [sys.executable, "-m", "opad", "web", "--port", str(web_port)],
                {**env, "OPAD_API_URL": api_url},
                folder / "web.log",
            )
            procs.append(web)
            wait_until(
                lambda: httpx.get(f"http://127.0.0.1:{web_port}/health").status_code == 200,
                60,
                "the web",
            )
            workers = {}
            for engine in ("offline", "crew"):
                workers[engine] = spawn(
                    [sys.executable, "-m", "opad", "worker"],
                    {
                        **env,
                        "OPAD_ENGINE": engine,
                        # One process: the RSS is the worker's own (by default `opad worker`
                        # is a parent that starts one worker process per core).
                        "OPAD_WORKER_PROCESSES": "1",
                        "OPAD_LLM_BASE_URL": "http://127.0.0.1:9/v1",
                        "OPAD_LLM_API_KEY": "x",
                        "OPAD_WORKER_HEARTBEAT_FILE": str(folder / engine),
                    },
                    folder / f"worker-{engine}.log",
                )
                procs.append(workers[engine])
            client = redis_server.client()
            wait_until(lambda: client.scard("opad:workers") == 2, 90, "both workers")
            # One request each, so lazy imports on first use are counted, then idle.
            httpx.get(f"{api_url}/articles")
            httpx.get(f"http://127.0.0.1:{web_port}/")
            time.sleep(5)
            out["api"] = rss_mb(api.pid)
            out["web"] = rss_mb(web.pid)
            for engine, proc in workers.items():
                out[f"worker ({engine})"] = rss_mb(proc.pid)
        finally:
            for proc in procs:
                stop(proc)
    return out


def run_once() -> dict[str, Any]:
    """Idle RSS and import times."""
    return {
        "rss_mb": idle_rss(),
        "import_s": {name: import_seconds(stmt) for name, stmt in IMPORTS.items()},
    }


if __name__ == "__main__":
    print(json.dumps(run_once(), indent=2))
