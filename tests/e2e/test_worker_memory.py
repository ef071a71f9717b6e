"""A worker process over OPAD_WORKER_MAX_RSS_MB after jobs in two languages finishes its
jobs and starts afresh in its own place (worker/memory.py; issue 32: a worker that had run
every shipped language held 1.6 GB). Real `opad api` and `opad worker` processes, leveler
engine, real Redis and SQLite."""

from __future__ import annotations

import socket
import time
from pathlib import Path

import httpx

from tests.conftest import RedisServer
from tests.processes import Stack, base_env, free_port, wait_until

KOREAN = (
    "오늘 아침에 시장에 갔습니다. 사과와 배를 샀습니다. 시장은 사람들로 가득했습니다. "
    "아이들은 공원에서 놀았습니다. 저녁에는 가족과 함께 김치찌개를 먹었습니다."
)
ENGLISH = (
    "The town opened a new park on Saturday. Many families walked to the lake. The "
    "children played by the fountain. The mayor thanked the helpers. In the evening "
    "there was music and food for everyone in the park."
)
# Between what a leveler worker holds at start (~95 MB, speech off) and what it holds
# after Korean (Kiwi's model, ~500 MB more): docs/benchmarks.md §13.
LIMIT_MB = 300


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise AssertionError(f"no VmRSS for {pid}")


def live_pids(api: str) -> set[int]:
    return {int(w["pid"]) for w in httpx.get(f"{api}/workers", timeout=10).json()}


def submit(api: str, language: str, text: str) -> str:
    body = {"language": language, "level": "B1", "length": 60, "source_text": text}
    return str(httpx.post(f"{api}/generate", json=body, timeout=30).json()["job_id"])


def succeeded(api: str, job: str) -> bool:
    status = httpx.get(f"{api}/jobs/{job}", timeout=10).json()["status"]
    assert status not in ("failed", "cancelled"), status
    return bool(status == "succeeded")


def test_a_worker_over_its_memory_limit_starts_afresh(
    tmp_path: Path, redis_server: RedisServer
) -> None:
    env = base_env(tmp_path, REDIS_URL=redis_server.url, OPAD_ENGINE="leveler",
                   OPAD_WORKER_MAX_RSS_MB=str(LIMIT_MB))  # fmt: skip
    stack = Stack(env, tmp_path)
    stack.migrate()
    stack.start_api()
    worker = stack.start("worker")
    api = stack.api_url

    def workers() -> list[str]:
        live = httpx.get(f"{api}/workers", timeout=10).json()
        return [w["id"] for w in live if w["pid"] == worker.proc.pid]

    def reading(language: str, text: str) -> None:
        job = submit(api, language, text)
        wait_until(lambda: succeeded(api, job), 180, f"the {language} job to succeed")

    try:
        wait_until(lambda: bool(workers()), 180, "the worker to register")
        first_id = workers()
        # One language, however large: a fresh process would grow back on its next job,
        # so the worker keeps it (Korean alone is over the limit).
        reading("Korean", KOREAN)
        reading("Korean", KOREAN)
        assert rss_mb(worker.proc.pid) > LIMIT_MB
        assert workers() == first_id
        assert "starting afresh" not in worker.output()
        # A second language over the limit: it finishes, leaves, and runs again in place.
        reading("English", ENGLISH)
        wait_until(lambda: "starting afresh (OPAD_WORKER_MAX_RSS_MB)" in worker.output(),
                   60, "the worker to hand over")  # fmt: skip
        wait_until(lambda: bool(workers()) and workers() != first_id, 180, "the new worker")
        assert worker.proc.poll() is None  # the same process (pid), never a crash
        log = worker.output()
        assert "holds" in log and "after jobs in en, ko" in log, log[-3000:]
        assert log.count(" ready: ") == 2, log[-3000:]
        # Back to what a fresh worker holds, and it goes on making readings.
        assert rss_mb(worker.proc.pid) < LIMIT_MB
        reading("English", ENGLISH)
        assert len(httpx.get(f"{api}/workers", timeout=10).json()) == 1
        assert worker.stop() == 0
    finally:
        stack.stop()


def test_in_a_group_a_fresh_process_takes_over_at_once(
    tmp_path: Path, redis_server: RedisServer
) -> None:
    # With metrics on, each process serves them on a port of its own (the first, +1): the
    # fresh one takes the port of the one it replaces, which lets it go as its drain begins.
    metrics = free_port()
    while True:
        try:
            socket.create_server(("127.0.0.1", metrics + 1)).close()
            break
        except OSError:
            metrics = free_port()
    env = base_env(tmp_path, REDIS_URL=redis_server.url, OPAD_ENGINE="leveler",
                   OPAD_WORKER_MAX_RSS_MB=str(LIMIT_MB),
                   OPAD_WORKER_METRICS_PORT=str(metrics))  # fmt: skip
    stack = Stack(env, tmp_path)
    stack.migrate()
    stack.start_api()
    api = stack.api_url
    group = stack.start("worker", "--processes", "2", "--concurrency", "1")
    try:
        wait_until(lambda: len(live_pids(api)) == 2, 180, "two worker processes")
        first = live_pids(api)
        # One slot each and two jobs at once: both processes read Korean.
        jobs = [submit(api, "Korean", KOREAN) for _ in range(2)]
        wait_until(lambda: all(succeeded(api, j) for j in jobs), 180, "the Korean jobs")
        assert all(rss_mb(pid) > LIMIT_MB for pid in first)
        # English next, whichever process takes it: two languages, over the limit.
        job = submit(api, "English", ENGLISH)
        wait_until(lambda: succeeded(api, job), 180, "the English job")
        wait_until(lambda: "hands over (OPAD_WORKER_MAX_RSS_MB)" in group.output(), 60,
                   "the hand-over")  # fmt: skip
        wait_until(lambda: len(live_pids(api) - first) == 1 and len(live_pids(api)) == 2,
                   180, "the fresh process to replace the one that handed over")  # fmt: skip
        gone = (first - live_pids(api)).pop()
        wait_until(lambda: not Path(f"/proc/{gone}").exists() or
                   "zombie" in Path(f"/proc/{gone}/status").read_text(), 60,
                   "the old process to exit")  # fmt: skip
        log = group.output()
        # A hand-over, not a crash: nothing restarted, no error.
        assert "restart(s) this minute" not in log and "exited (" not in log, log[-3000:]
        assert "a fresh process takes its place now" in log, log[-3000:]
        (fresh,) = live_pids(api) - first
        assert rss_mb(fresh) < LIMIT_MB
        assert "cannot serve metrics" not in log
        for port in (metrics, metrics + 1):
            answer = httpx.get(f"http://127.0.0.1:{port}/metrics", timeout=10)
            assert answer.status_code == 200 and "opad_" in answer.text
        more = submit(api, "English", ENGLISH)
        wait_until(lambda: succeeded(api, more), 180, "a job after the hand-over")
        assert group.stop() == 0
    finally:
        stack.stop()


def test_a_group_stopped_while_its_processes_start_stops_cleanly(
    tmp_path: Path, redis_server: RedisServer
) -> None:
    # What a hand-over's fresh process meets when the group is stopped at that moment:
    # the stop's signal kills a process still starting (it holds no job), a clean stop.
    stack = Stack(base_env(tmp_path, REDIS_URL=redis_server.url), tmp_path)
    stack.migrate()
    group = stack.start("worker", "--processes", "2")
    try:
        wait_until(lambda: "worker group: 2 processes" in group.output(), 120, "the group")
        time.sleep(0.2)
        assert " ready: " not in group.output()  # its processes are still starting
        assert group.stop() == 0, group.output()[-3000:]
    finally:
        stack.stop()
