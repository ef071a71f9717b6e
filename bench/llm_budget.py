"""The shared LLM budget: 4 workers × 25 slots against a provider allowing N requests a minute.

Four `opad worker` processes (OPAD_WORKER_CONCURRENCY=25 each, one process each, engine
`crew`) on one private Redis, with OPAD_LLM_REQUESTS_PER_MINUTE=N. The scripted
OpenAI-compatible server of the test suite answers at once but refuses (429) any request
beyond N arrivals in the last 60 s, counting them. Jobs are pushed (the Redis protocol)
faster than N allows, so demand always exceeds the budget; after `--minutes` the server's
log says how many requests arrived per minute and how many were over the limit.

    uv run --no-sync python bench/llm_budget.py [--per-minute 120] [--minutes 3]

Writes bench/results/llm_budget-<time>.json and prints a markdown table.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
import uuid
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from opad.queue.protocol import QUEUE_KEY, now_iso  # noqa: E402
from tests.conftest import RedisServer  # noqa: E402
from tests.crew.conftest import TELEMETRY_OFF, crew_values  # noqa: E402
from tests.crew.fake_llm import FakeLLM  # noqa: E402
from tests.crew.fake_news import FakeNews  # noqa: E402
from tests.processes import Stack, base_env, wait_until  # noqa: E402

WORKERS, SLOTS = 4, 25
CALLS_PER_JOB = 6  # find (tool call + answer), pick, adapt, vocabulary, questions


def idle_workers(redis_server: RedisServer) -> int:
    """Clients blocked in a command (the workers' BRPOP on the queue)."""
    info = redis_server.client().info("clients")
    return int(info.get("blocked_clients", 0))


def push(redis: Any, jobs: int, tag: str) -> None:
    """Push `jobs` topic readings in one pipeline."""
    pipe = redis.pipeline(transaction=True)
    for n in range(jobs):
        inputs = {"language": "English", "level": "B1", "length": 120, "topic": f"{tag} {n}"}
        payload = {"job_id": str(uuid.uuid4()), "article_id": str(uuid.uuid4()), "inputs": inputs}
        pipe.lpush(QUEUE_KEY, json.dumps(payload | {"created_at": now_iso()}))
    pipe.execute()


def measure(per_minute: int, minutes: float) -> dict[str, Any]:
    """Run the workers for `minutes` against the limited server; its counts."""
    with (
        tempfile.TemporaryDirectory(prefix="opad-bench-") as tmp,
        FakeLLM(per_minute=per_minute) as llm,
        FakeNews() as news,
    ):
        root = Path(tmp)
        redis_server = RedisServer(root / "redis")
        redis_server.start()
        for name in ("home", "tmp", "data"):
            (root / name).mkdir()
        env = base_env(
            root / "data",
            REDIS_URL=redis_server.url,
            OPAD_WORKER_CONCURRENCY=str(SLOTS),
            OPAD_WORKER_PROCESSES="1",
            OPAD_LOG_LEVEL="WARNING",
            OPAD_SPEECH="off",
            OPAD_LLM_REQUESTS_PER_MINUTE=str(per_minute),
            HOME=str(root / "home"),
            TMPDIR=str(root / "tmp"),
            **TELEMETRY_OFF,
            **crew_values(llm, news, OPAD_LLM_TIMEOUT="60", OPAD_JOB_TIMEOUT="900"),
        )
        stack = Stack(env=env, data_dir=root / "data")
        try:
            stack.migrate()
            workers = [stack.start("worker") for _ in range(WORKERS)]
            # Every worker blocks on the queue (its idle BRPOP) before the jobs come.
            wait_until(
                lambda: (
                    idle_workers(redis_server) >= WORKERS
                    or any(w.proc.poll() is not None for w in workers)
                ),
                180,
                "the workers",
            )
            redis = redis_server.client()
            # Enough work for the whole run and more: demand always exceeds the budget.
            jobs = int(per_minute * (minutes + 1) / CALLS_PER_JOB) + WORKERS * SLOTS
            push(redis, jobs, "budget")
            wait_until(lambda: bool(llm.arrivals), 60, "the first LLM request")
            # Minutes counted from the first request, as the provider would count them.
            started = llm.arrivals[0]
            time.sleep(minutes * 60 + 1)
            arrivals = [t - started for t in list(llm.arrivals)]
            over = llm.over_limit
            served = sum(1 for s in list(llm.served) if s.status == 200)
        finally:
            stack.stop()
            redis_server.stop()
    window = [t for t in arrivals if 0 <= t < minutes * 60]
    per_min = [sum(1 for t in window if m * 60 <= t < (m + 1) * 60) for m in range(int(minutes))]
    worst = 0
    ordered = sorted(window)
    j = 0
    for i, t in enumerate(ordered):  # the most arrivals in any 60 s
        while ordered[j] <= t - 60:
            j += 1
        worst = max(worst, i - j + 1)
    throughput = len(window) / minutes
    # The budget holds each place a little over a minute: the sustained rate is one
    # limit's worth per period between the 1st and the (N+1)-th, (2N+1)-th… arrival.
    marks = [
        ordered[k * per_minute]
        for k in range(1, len(ordered) // per_minute + 1)
        if k * per_minute < len(ordered)
    ]
    period = (marks[-1] - ordered[0]) / len(marks) if marks else float("nan")
    sustained = per_minute / period * 60 if marks else float("nan")
    return {
        "benchmark": "llm_budget",
        "at": datetime.now(UTC).isoformat(timespec="seconds"),
        "workers": WORKERS,
        "slots_per_worker": SLOTS,
        "limit_per_minute": per_minute,
        "minutes": minutes,
        "jobs_pushed": jobs,
        "requests_arrived": len(window),
        "requests_per_minute": [*per_min],
        "most_in_any_60s": worst,
        "over_limit": over,
        "answered": served,
        "throughput_per_minute": round(throughput, 1),
        "throughput_share_of_limit": round(throughput / per_minute, 3),
        "period_seconds": round(period, 2),
        "sustained_per_minute": round(sustained, 1),
        "sustained_share_of_limit": round(sustained / per_minute, 3),
        "arrivals_seconds": [round(t, 3) for t in ordered],
        "load_average": [round(x, 2) for x in os.getloadavg()],
    }


def main() -> None:
    """Run once and report."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--per-minute", type=int, default=120, help="the provider's limit")
    parser.add_argument("--minutes", type=float, default=3.0)
    args = parser.parse_args()
    report = measure(args.per_minute, args.minutes)
    out = ROOT / "bench" / "results"
    out.mkdir(parents=True, exist_ok=True)
    path = out / f"llm_budget-{datetime.now(UTC):%Y%m%dT%H%M%SZ}.json"
    path.write_text(json.dumps(report, indent=2))
    print(
        "| workers × slots | limit (req/min) | minutes | arrived | per minute | most in any 60 s "
        "| over the limit | throughput (req/min) | sustained (req/min) | share of limit |"
    )
    print("|---|---:|---:|---:|---|---:|---:|---:|---:|---:|")
    r = report
    print(
        f"| {r['workers']} × {r['slots_per_worker']} | {r['limit_per_minute']} | {r['minutes']:g} "
        f"| {r['requests_arrived']} | {', '.join(map(str, r['requests_per_minute']))} "
        f"| {r['most_in_any_60s']} | {r['over_limit']} | {r['throughput_per_minute']} "
        f"| {r['sustained_per_minute']} | {r['sustained_share_of_limit']:.1%} |"
    )
    print(f"\nresults: {path.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
