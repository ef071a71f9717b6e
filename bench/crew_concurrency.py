"""How many crews one worker runs at once: 1 vs 20 vs 50 jobs against a 1 s-per-answer LLM.

One `opad worker` (OPAD_WORKER_CONCURRENCY=50 slots in all, engine `crew`) on a private
Redis and SQLite, measured twice in the same run: as one process, and with the default
`--processes` (one per core; the slots are split between them). The jobs of a round are
pushed in one pipeline on `opad:jobs` (the Redis protocol), so they really arrive at once.
The scripted OpenAI-compatible server and the Serper-shaped news site of the test suite
run in this process, each completion taking `--delay` s. A crew makes 6 LLM calls, so one
job needs about 6 × delay s whatever the load; the question is how close 50 at once comes
to that. Speech is off (OPAD_SPEECH=off): the audio step runs espeak-ng and ffmpeg
processes, not crews. Peak RSS per process is sampled from /proc (VmRSS every 50 ms) and
reported as the largest process's and the sum over the processes.

    uv run --no-sync python bench/crew_concurrency.py [--rounds 1,20,50] [--delay 1.0]
        [--processes 1,2] [--profile out.txt]

`--profile` samples the first worker process with py-spy (`--gil`: only the thread holding
the GIL, i.e. where the CPU goes) during the largest round and writes collapsed stacks.

Writes bench/results/crew_concurrency-<time>.json and prints a markdown table.
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import subprocess
import sys
import tempfile
import time
import uuid
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.common import RssSampler, proc_kib  # noqa: E402
from opad.queue.protocol import QUEUE_KEY, now_iso  # noqa: E402
from tests.conftest import RedisServer  # noqa: E402
from tests.crew.conftest import TELEMETRY_OFF, crew_values  # noqa: E402
from tests.crew.fake_llm import FakeLLM  # noqa: E402
from tests.crew.fake_news import FakeNews  # noqa: E402
from tests.processes import Stack, base_env, wait_until  # noqa: E402

TERMINAL = {"succeeded", "failed", "cancelled"}


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process so far."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


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


def default_processes() -> int:
    """What `opad worker` starts by default: one process per core."""
    from opad.worker.group import default_processes as cores

    return cores()


def _profile(pid: int, out: Path) -> subprocess.Popen[bytes]:
    """py-spy on `pid`, only the thread holding the GIL, collapsed stacks to `out`."""
    spy = Path(sys.executable).with_name("py-spy")
    command = [str(spy), "record", "--pid", str(pid), "--gil", "-r", "200", "-f", "raw"]
    return subprocess.Popen(
        [*command, "-o", str(out)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )


def measure(
    processes: int,
    rounds: tuple[int, ...],
    delay: float,
    concurrency: int,
    profile: Path | None = None,
    speech: str = "off",
) -> dict[str, Any]:
    """One `opad worker --processes N` with `concurrency` slots in all, through `rounds`."""
    with (
        tempfile.TemporaryDirectory(prefix="opad-bench-") as tmp,
        FakeLLM(delay=delay) as llm,
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
            OPAD_WORKER_CONCURRENCY=str(concurrency // processes),
            OPAD_WORKER_PROCESSES=str(processes),
            OPAD_LOG_LEVEL="WARNING",
            OPAD_SPEECH=speech,
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
                spy = _profile(pids[0], profile) if profile and jobs == max(rounds) else None
                cpu = sum(cpu_seconds(pid) for pid in pids)
                load = os.getloadavg()[0]
                result = run_round(redis, jobs, f"round {jobs}")
                if spy is not None:
                    spy.send_signal(signal.SIGINT)  # py-spy writes its file on SIGINT
                    spy.wait(60)
                peaks = [s.peak() / 1024 for s in samplers]
                result["peak_rss_mb"] = round(max(peaks), 1)
                result["peak_rss_mb_sum"] = round(sum(peaks), 1)
                result["worker_cpu_seconds"] = round(sum(cpu_seconds(pid) for pid in pids) - cpu, 2)
                result["load_average_1m"] = round(load, 2)
                results.append(result)
                print(
                    f"  {processes} process(es), {jobs:>3} jobs: {result['wall_seconds']} s",
                    file=sys.stderr,
                )
            hwm = [proc_kib(pid, "VmHWM") / 1024 for pid in pids]
            for sampler in samplers:
                sampler.stop()
        finally:
            stack.stop()
            redis_server.stop()

    base = results[0]["wall_seconds"]
    for r in results:
        r["ratio_to_first"] = round(r["wall_seconds"] / base, 2)
    return {
        "worker_processes": processes,
        "slots_per_process": concurrency // processes,
        "llm_requests_served": len(llm.served),
        "warmup": warmup,
        "rounds": results,
        "peak_rss_mb": round(max(hwm), 1),
        "peak_rss_mb_sum": round(sum(hwm), 1),
        "by_jobs": {
            str(r["jobs"]): {
                "wall_s": r["wall_seconds"],
                "ratio": r["ratio_to_first"],
                "peak_rss_mb": r["peak_rss_mb"],
                "peak_rss_mb_sum": r["peak_rss_mb_sum"],
                "cpu_s": r["worker_cpu_seconds"],
                "load_1m": r["load_average_1m"],
            }
            for r in results
        },
    }


def run_once(
    rounds: tuple[int, ...] = (1, 20, 50),
    delay: float = 1.0,
    concurrency: int = 50,
    processes: tuple[int, ...] | None = None,
    profile: Path | None = None,
    speech: str = "off",
) -> dict[str, Any]:
    """One measurement of every round with each process count (default: 1 and one per
    core), in the same run; what `make bench` repeats. `by_jobs` is the default process
    count's (what `opad worker` runs), `by_processes` has every count's."""
    counts = processes or tuple(dict.fromkeys((1, default_processes())))
    measured = {str(n): measure(n, rounds, delay, concurrency, profile, speech) for n in counts}
    default = measured[str(counts[-1])]
    return {
        "benchmark": "crew_concurrency",
        "at": datetime.now(UTC).isoformat(timespec="seconds"),
        "delay_per_completion": delay,
        "worker_concurrency": concurrency,
        "worker_processes": default["worker_processes"],
        "speech": speech,
        "load_average": [round(x, 2) for x in os.getloadavg()],
        "by_jobs": default["by_jobs"],
        "by_processes": measured,
    }


def main() -> None:
    """Run the rounds and report."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--rounds", default="1,20,50")
    parser.add_argument("--delay", type=float, default=1.0, help="seconds per LLM completion")
    parser.add_argument("--concurrency", type=int, default=50, help="slots in all")
    parser.add_argument(
        "--processes", default="", help="process counts to measure (default: 1 and the cores)"
    )
    parser.add_argument("--profile", type=Path, help="py-spy the largest round (collapsed)")
    parser.add_argument("--speech", default="off", help="OPAD_SPEECH of the worker")
    args = parser.parse_args()
    rounds = tuple(int(n) for n in args.rounds.split(","))
    counts = tuple(int(n) for n in args.processes.split(",") if n) or None
    report = run_once(rounds, args.delay, args.concurrency, counts, args.profile, args.speech)
    out = ROOT / "bench" / "results"
    out.mkdir(parents=True, exist_ok=True)
    path = out / f"crew_concurrency-{datetime.now(UTC):%Y%m%dT%H%M%SZ}.json"
    path.write_text(json.dumps(report, indent=2))

    print(f"crew concurrency: one worker, {args.delay:g} s per LLM completion\n")
    print(
        "| processes | jobs at once | succeeded | wall time (s) | × one job | median job (s) "
        "| worker CPU (s) | peak RSS max / sum (MB) | load (1 min) |"
    )
    print("|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for n, measured in report["by_processes"].items():
        for r in measured["rounds"]:
            print(
                f"| {n} | {r['jobs']} | {r['succeeded']}/{r['jobs']} | {r['wall_seconds']} | "
                f"{r['ratio_to_first']} | {r['job_seconds_median']} | "
                f"{r['worker_cpu_seconds']} | {r['peak_rss_mb']} / {r['peak_rss_mb_sum']} | "
                f"{r['load_average_1m']} |"
            )
    print(f"\nresults: {path.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
