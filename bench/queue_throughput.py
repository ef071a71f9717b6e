"""Queue throughput: OPAD's full reliable path with the noop engine, 1 and 2 worker
processes, beside RQ (fork-per-job and SimpleWorker), arq, SAQ and a raw redis-py loop."""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from sqlalchemy import func, select

from bench.common import (
    PEERS_PYTHON,
    ROOT,
    migrated_services,
    new_pg_database,
    opad_env,
    private_redis,
    spawn,
    stop,
)
from bench.seed import seed_jobs
from opad.db.models import Job

JOBS = 800
RQ_FORK_JOBS = 200  # RQ forks a process per job: slow; the rate is what counts
PEERS = ("rq", "rq-simple", "arq", "saq", "raw")


def opad_run(
    workers: int, jobs: int, pg_admin: str | None = None, before: str | None = None
) -> dict[str, Any]:
    """Seed `jobs`, start `workers` worker processes, wait until all succeeded (on SQLite,
    or on a fresh PostgreSQL database when `pg_admin` is given); `before`: a folder with
    older code (`src/` of `git archive`) for the workers, to compare in the same run."""
    extra: dict[str, str] = {"PYTHONPATH": before} if before else {}
    drop = None
    if pg_admin:
        url, drop = new_pg_database(pg_admin)
        extra["DATABASE_URL"] = url
    try:
        return _opad_run(workers, jobs, extra)
    finally:
        if drop:
            drop()


def _opad_run(workers: int, jobs: int, extra: dict[str, str]) -> dict[str, Any]:
    with private_redis() as redis_server:
        folder = Path(tempfile.mkdtemp(prefix="opad-bench-queue-"))
        # Speech off: the audio step (espeak-ng, then an Opus encoding) is a reading's work,
        # seconds of CPU per job, not queue overhead; the peers' jobs make no audio either.
        env = opad_env(folder, redis_server.url, OPAD_ENGINE="noop", OPAD_SPEECH="off", **extra)
        services = migrated_services(env)
        seed_jobs(services, jobs)
        procs = [
            # One process each (`opad worker` starts one per core by default).
            spawn(
                [sys.executable, "-m", "opad", "worker", "--processes", "1"],
                env,
                folder / f"worker{n}.log",
            )
            for n in range(workers)
        ]
        try:
            deadline = time.monotonic() + 900
            while time.monotonic() < deadline:
                with services.db.session() as session:
                    done = session.scalar(select(func.count()).where(Job.status == "succeeded"))
                if done == jobs:
                    break
                time.sleep(0.2)
            with services.db.session() as session:
                first = session.scalar(select(func.min(Job.started_at)))
                last = session.scalar(select(func.max(Job.finished_at)))
                done = session.scalar(select(func.count()).where(Job.status == "succeeded"))
        finally:
            for proc in procs:
                stop(proc)
            services.close()
    seconds = (last - first).total_seconds() if first and last else float("nan")
    return {"jobs": done, "seconds": seconds, "throughput": (done or 0) / seconds}


def peer_run(peer: str, workers: int, jobs: int) -> dict[str, Any]:
    """One peer in its own virtualenv, on a fresh Redis."""
    with private_redis() as redis_server:
        out = subprocess.run(
            [
                str(PEERS_PYTHON),
                "-m",
                "bench.peers.run_peer",
                peer,
                redis_server.url,
                str(jobs),
                str(workers),
            ],
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=1200,
        )
    if out.returncode:
        raise RuntimeError(f"{peer} failed: {out.stderr[-1500:]}")
    return dict(json.loads(out.stdout.strip().splitlines()[-1]))


def run_once(pg_admin: str | None = None) -> dict[str, Any]:
    """Every system at 1 and 2 worker processes."""
    result: dict[str, Any] = {}
    for workers in (1, 2):
        result[f"opad_sqlite_{workers}"] = opad_run(workers, JOBS)
        if pg_admin:
            result[f"opad_postgresql_{workers}"] = opad_run(workers, JOBS, pg_admin)
        for peer in PEERS:
            jobs = RQ_FORK_JOBS if peer == "rq" else JOBS
            result[f"{peer}_{workers}"] = peer_run(peer, workers, jobs)
    return result


if __name__ == "__main__":
    print(json.dumps(run_once(), indent=2))
