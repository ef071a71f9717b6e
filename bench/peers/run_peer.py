"""Run one peer: enqueue N no-op jobs, start W worker processes, time the drain.

    python -m bench.peers.run_peer PEER REDIS_URL JOBS WORKERS

PEER is rq, rq-simple, arq, saq or raw. Prints {"jobs", "seconds", "throughput"}: the time
from the first job's run to the last one's, from the timestamps the jobs recorded.
"""

from __future__ import annotations

import asyncio
import json
import os
import subprocess
import sys
import time

import redis

from bench.peers.tasks import DONE_KEY

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))


def enqueue(peer: str, url: str, jobs: int) -> None:
    if peer in ("rq", "rq-simple"):
        from rq import Queue

        from bench.peers.tasks import noop

        queue = Queue("bench", connection=redis.Redis.from_url(url))
        with queue.connection.pipeline() as pipe:
            for _ in range(jobs):
                queue.enqueue(noop, pipeline=pipe)
            pipe.execute()
    elif peer == "arq":
        from arq import create_pool
        from arq.connections import RedisSettings

        async def go() -> None:
            pool = await create_pool(RedisSettings.from_dsn(url))
            for _ in range(jobs):
                await pool.enqueue_job("anoop")
            await pool.aclose()

        asyncio.run(go())
    elif peer == "saq":
        from saq import Queue as SaqQueue

        async def go() -> None:
            queue = SaqQueue.from_url(url)
            for _ in range(jobs):
                await queue.enqueue("anoop")
            await queue.disconnect()

        asyncio.run(go())
    elif peer == "raw":
        client = redis.Redis.from_url(url)
        with client.pipeline() as pipe:
            for n in range(jobs):
                pipe.lpush("raw:jobs", json.dumps({"job_id": str(n)}))
            pipe.execute()


def worker_command(peer: str, url: str) -> list[str]:
    py = sys.executable
    if peer == "rq":
        return [py, "-m", "rq.cli", "worker", "bench", "--burst", "--url", url, "-q"]
    if peer == "rq-simple":
        return [
            py,
            "-m",
            "rq.cli",
            "worker",
            "bench",
            "--burst",
            "--url",
            url,
            "-q",
            "--worker-class",
            "rq.worker.SimpleWorker",
        ]
    return [py, "-m", f"bench.peers.{peer}_worker", url]


def main() -> None:
    peer, url, jobs, workers = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
    client = redis.Redis.from_url(url)
    client.flushdb()
    enqueue(peer, url, jobs)
    env = {**os.environ, "BENCH_REDIS_URL": url, "PYTHONPATH": ROOT}
    procs = [
        subprocess.Popen(
            worker_command(peer, url),
            env=env,
            cwd=ROOT,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        for _ in range(workers)
    ]
    deadline = time.monotonic() + 900
    while client.llen(DONE_KEY) < jobs and time.monotonic() < deadline:
        time.sleep(0.05)
    for proc in procs:
        if proc.poll() is None:
            proc.terminate()
    for proc in procs:
        proc.wait(30)
    stamps = sorted(float(t) for t in client.lrange(DONE_KEY, 0, -1))
    seconds = stamps[-1] - stamps[0] if len(stamps) > 1 else float("nan")
    print(
        json.dumps(
            {
                "jobs": len(stamps),
                "seconds": seconds,
                "throughput": (len(stamps) - 1) / seconds if seconds else 0,
            }
        )
    )


if __name__ == "__main__":
    main()
