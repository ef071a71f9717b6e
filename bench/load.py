"""The load generator, run as its own process: paced or saturating HTTP requests.

    python -m bench.load URL MODE SECONDS [RATE_OR_CONCURRENCY] [ENDPOINT]

ENDPOINT is `generate` (POST /generate), `job` (GET /jobs/{id} of jobs it creates first)
or `bare` (POST /enqueue of the bare LPUSH app). Prints one JSON line of results.
Latency is measured from each request's scheduled start (open loop), so a slow server
cannot hide its queueing delay behind a slower request rate.
"""

from __future__ import annotations

import asyncio
import json
import sys
import time
from typing import Any

import httpx

BODY = {"language": "English", "level": "B1", "length": 200, "topic": "city parks"}


async def _request(client: httpx.AsyncClient, endpoint: str, job_ids: list[str], n: int) -> bool:
    try:
        return await _send(client, endpoint, job_ids, n)
    except httpx.HTTPError:
        return False  # counted as an error (e.g. a connection the server had just closed)


async def _send(client: httpx.AsyncClient, endpoint: str, job_ids: list[str], n: int) -> bool:
    if endpoint == "generate":
        resp = await client.post("/generate", json=BODY)
        return resp.status_code == 202
    if endpoint == "bare":
        resp = await client.post("/enqueue", json=BODY)
        return resp.status_code == 202
    resp = await client.get(f"/jobs/{job_ids[n % len(job_ids)]}")
    return resp.status_code == 200


async def paced(
    url: str, endpoint: str, seconds: float, rate: float, job_ids: list[str]
) -> dict[str, Any]:
    latencies: list[float] = []
    errors = 0
    limits = httpx.Limits(max_connections=200, max_keepalive_connections=200)
    async with httpx.AsyncClient(base_url=url, timeout=10, limits=limits) as client:
        start = time.perf_counter()
        total = int(seconds * rate)

        async def one(n: int) -> None:
            nonlocal errors
            scheduled = start + n / rate
            delay = scheduled - time.perf_counter()
            if delay > 0:
                await asyncio.sleep(delay)
            ok = await _request(client, endpoint, job_ids, n)
            latencies.append((time.perf_counter() - scheduled) * 1000)
            errors += not ok

        await asyncio.gather(*(one(n) for n in range(total)))
        elapsed = time.perf_counter() - start
    return {
        "requests": len(latencies),
        "errors": errors,
        "seconds": elapsed,
        "throughput": len(latencies) / elapsed,
        "latencies_ms": latencies,
    }


async def saturate(
    url: str, endpoint: str, seconds: float, concurrency: int, job_ids: list[str]
) -> dict[str, Any]:
    latencies: list[float] = []
    errors = 0
    limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)
    async with httpx.AsyncClient(base_url=url, timeout=10, limits=limits) as client:
        deadline = time.perf_counter() + seconds
        start = time.perf_counter()

        async def loop(k: int) -> None:
            nonlocal errors
            n = k
            while time.perf_counter() < deadline:
                t0 = time.perf_counter()
                ok = await _request(client, endpoint, job_ids, n)
                latencies.append((time.perf_counter() - t0) * 1000)
                errors += not ok
                n += concurrency

        await asyncio.gather(*(loop(k) for k in range(concurrency)))
        elapsed = time.perf_counter() - start
    return {
        "requests": len(latencies),
        "errors": errors,
        "seconds": elapsed,
        "throughput": len(latencies) / elapsed,
        "latencies_ms": latencies,
    }


async def main(argv: list[str]) -> None:
    url, mode, seconds = argv[0], argv[1], float(argv[2])
    param = float(argv[3]) if len(argv) > 3 else 200
    endpoint = argv[4] if len(argv) > 4 else "generate"
    job_ids: list[str] = []
    if endpoint == "job":
        async with httpx.AsyncClient(base_url=url, timeout=10) as client:
            for _ in range(50):
                job_ids.append((await client.post("/generate", json=BODY)).json()["job_id"])
    if mode == "paced":
        result = await paced(url, endpoint, seconds, param, job_ids)
    else:
        result = await saturate(url, endpoint, seconds, int(param), job_ids)
    print(json.dumps(result))


if __name__ == "__main__":
    asyncio.run(main(sys.argv[1:]))
