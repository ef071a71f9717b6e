"""How many crews one worker runs at once: 1 vs 20 vs 50 jobs against a 1 s-per-answer LLM.

One `opad worker` process (OPAD_WORKER_CONCURRENCY=50, engine `crew`) on a private Redis
and SQLite; the jobs of a round are pushed in one pipeline on `opad:jobs` (the Redis
protocol), so they really arrive at once. The scripted OpenAI-compatible server and the
Serper-shaped news site of the test suite run in this process, each completion taking
`--delay` s. A
crew makes 5 LLM calls, so one job needs about 5 × delay s whatever the load; the question
is how close 50 at once comes to that. Peak RSS is the worker's VmHWM/VmRSS from /proc.

    uv run --no-sync python bench/crew_concurrency.py [--rounds 1,20,50] [--delay 1.0]

Writes bench/results/crew_concurrency-<time>.json and prints a markdown table.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import threading
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

TERMINAL = {"succeeded", "failed", "cancelled"}


def proc_kib(pid: int, field: str) -> int:
    """A VmRSS/VmHWM line of /proc/<pid>/status, in KiB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    return 0


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process so far."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


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


def run_round(redis: Any, jobs: int, tag: str) -> dict[str, Any]:
    """Push `jobs` at once (one pipeline, the Redis protocol); wait for all to end."""
    ids = [str(uuid.uuid4()) for _ in range(jobs)]
    pipe = redis.pipeline(transaction=True)
    for n, job_id in enumerate(ids):
        inputs = {"language": "English", "level": "B1", "length": 120, "topic": f"{tag} {n}"}
        payload = {"job_id": job_id, "article_id": str(uuid.uuid4()), "inputs": inputs}
        pipe.lpush(QUEUE_KEY, json.dumps(payload | {"created_at": now_iso()}))
    started = time.monotonic()
    pipe.execute()
    submitted = time.monotonic() - started
    done: dict[str, dict[str, Any]] = {}
    deadline = started + 600
    while len(done) < jobs and time.monotonic() < deadline:
        pending = [i for i in ids if i not in done]
        for job_id, raw in zip(
            pending, redis.mget([f"opad:job:{i}" for i in pending]), strict=True
        ):
            status = json.loads(raw) if raw else None
            if status and status["status"] in TERMINAL:
                done[job_id] = status | {"seen_at": time.monotonic()}
        time.sleep(0.05)
    wall = max(s["seen_at"] for s in done.values()) - started if done else float("nan")
    durations = sorted(
        (
            datetime.fromisoformat(s["finished_at"]) - datetime.fromisoformat(s["started_at"])
        ).total_seconds()
        for s in done.values()
        if s.get("finished_at") and s.get("started_at")
    )
    return {
        "jobs": jobs,
        "succeeded": sum(s["status"] == "succeeded" for s in done.values()),
        "unfinished": jobs - len(done),
        "submit_seconds": round(submitted, 2),
        "wall_seconds": round(wall, 2),
        "job_seconds_median": round(durations[len(durations) // 2], 2) if durations else None,
        "job_seconds_max": round(durations[-1], 2) if durations else None,
    }


class _Args:
    def __init__(self, delay: float, concurrency: int) -> None:
        self.delay, self.concurrency = delay, concurrency


def _group_pids(pid: int, processes: int) -> list[int]:
    """The worker processes of `opad worker` (itself, or its children with --processes)."""
    if processes == 1:
        return [pid]

    def children() -> list[int]:
        found = []
        for entry in Path("/proc").iterdir():
            if entry.name.isdigit():
                try:
                    stat = (entry / "stat").read_text().rsplit(")", 1)[1].split()
                except OSError:
                    continue
                if int(stat[1]) == pid:
                    found.append(int(entry.name))
        return found

    wait_until(lambda: len(children()) == processes, 60, "the worker processes")
    return children()


def run_once(
    rounds: tuple[int, ...] = (1, 20, 50),
    delay: float = 1.0,
    concurrency: int = 50,
    processes: int = 1,
) -> dict[str, Any]:
    """One measurement of every round (what `make bench` repeats); the report as a dict.

    With `processes` > 1, one `opad worker --processes N` whose processes share the
    `concurrency` slots; RSS is the largest process's, CPU the sum.
    """
    args = _Args(delay, concurrency // processes)

    with (
        tempfile.TemporaryDirectory(prefix="opad-bench-") as tmp,
        FakeLLM(delay=args.delay) as llm,
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
            OPAD_WORKER_CONCURRENCY=str(args.concurrency),
            OPAD_WORKER_PROCESSES=str(processes),
            OPAD_LOG_LEVEL="WARNING",
            HOME=str(root / "home"),
            TMPDIR=str(root / "tmp"),
            **TELEMETRY_OFF,
            **crew_values(llm, news, OPAD_LLM_TIMEOUT="60", OPAD_JOB_TIMEOUT="600"),
        )
        stack = Stack(env=env, data_dir=root / "data")
        try:
            stack.migrate()
            worker = stack.start("worker")
            wait_until(lambda: proc_kib(worker.proc.pid, "VmRSS") > 0, 10, "the worker")
            pids = _group_pids(worker.proc.pid, processes)
            redis = redis_server.client()
            samplers = [RssSampler(pid) for pid in pids]
            # Imports and first-crew set-up, in every process: with several, a full round
            # (a smaller one may all land in one process and leave the other cold).
            warmup = run_round(redis, 1 if processes == 1 else concurrency, "warm-up")
            results = []
            for jobs in rounds:
                for sampler in samplers:
                    sampler.reset()
                cpu = sum(cpu_seconds(pid) for pid in pids)
                result = run_round(redis, jobs, f"round {jobs}")
                result["peak_rss_mb"] = round(max(s.peak() for s in samplers) / 1024, 1)
                result["worker_cpu_seconds"] = round(sum(cpu_seconds(pid) for pid in pids) - cpu, 2)
                results.append(result)
                print(f"  {jobs:>3} jobs: {result['wall_seconds']} s", file=sys.stderr)
            hwm = round(max(proc_kib(pid, "VmHWM") for pid in pids) / 1024, 1)
            for sampler in samplers:
                sampler.stop()
        finally:
            stack.stop()
            redis_server.stop()

    base = results[0]["wall_seconds"]
    for r in results:
        r["ratio_to_first"] = round(r["wall_seconds"] / base, 2)
    report = {
        "benchmark": "crew_concurrency",
        "at": datetime.now(UTC).isoformat(timespec="seconds"),
        "delay_per_completion": args.delay,
        "worker_concurrency": args.concurrency,
        "worker_processes": processes,
        "llm_requests_served": len(llm.served),
        "warmup": warmup,
        "rounds": results,
        "worker_peak_rss_mb": hwm,
    }
    report["by_jobs"] = {
        str(r["jobs"]): {"wall_s": r["wall_seconds"], "peak_rss_mb": r["peak_rss_mb"]}
        for r in results
    }
    return report


def main() -> None:
    """Run the rounds and report."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--rounds", default="1,20,50")
    parser.add_argument("--delay", type=float, default=1.0, help="seconds per LLM completion")
    parser.add_argument("--concurrency", type=int, default=50, help="slots in all")
    parser.add_argument("--processes", type=int, default=1, help="opad worker --processes")
    args = parser.parse_args()
    rounds = tuple(int(n) for n in args.rounds.split(","))
    report = run_once(rounds, args.delay, args.concurrency, args.processes)
    results = report["rounds"]
    out = ROOT / "bench" / "results"
    out.mkdir(parents=True, exist_ok=True)
    path = out / f"crew_concurrency-{datetime.now(UTC):%Y%m%dT%H%M%SZ}.json"
    path.write_text(json.dumps(report, indent=2))

    print(
        f"crew concurrency: one worker of {args.processes} process(es), "
        f"{args.delay:g} s per LLM completion\n"
    )
    print(
        "| jobs at once | succeeded | wall time (s) | × one job | median job (s) "
        "| worker CPU (s) | peak RSS (MB) |"
    )
    print("|---:|---:|---:|---:|---:|---:|---:|")
    for r in results:
        print(
            f"| {r['jobs']} | {r['succeeded']}/{r['jobs']} | {r['wall_seconds']} | "
            f"{r['ratio_to_first']} | {r['job_seconds_median']} | {r['worker_cpu_seconds']} "
            f"| {r['peak_rss_mb']} |"
        )
    hwm = report["worker_peak_rss_mb"]
    print(f"\nworker peak RSS over the run (VmHWM): {hwm} MB · results: {path.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
