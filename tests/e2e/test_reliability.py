"""A queue that loses nothing: real worker processes killed, paused, stopped and cut off.

Workers run the `noop` engine with a delay (four steps with progress), a short lease and
fast retries, against a private Redis; the API and the database are real too.
"""

from __future__ import annotations

import json
import signal
import time
from typing import Any

import httpx
import pytest

from tests.e2e.cluster import LEASE, Cluster
from tests.processes import wait_until


def test_sigkill_mid_job_completes_elsewhere_once(cluster: Cluster) -> None:
    first = cluster.worker()
    job = cluster.submit()
    cluster.wait_status(job["job_id"], "running")
    first.stop(signal.SIGKILL)
    started = time.monotonic()
    cluster.worker()  # returns once live: its own start is left out of the bound below
    startup = time.monotonic() - started
    status = cluster.wait_status(job["job_id"], "succeeded", timeout=90)
    recovery = time.monotonic() - started - startup
    assert status["attempts"] == 2
    assert cluster.job_row(job["job_id"]).attempts == 2
    assert cluster.succeeded_lines(job["job_id"]) == 1
    assert cluster.processing_total() == 0
    # Lease expiry + reaper period + the 2 s job, plus 10 s for a loaded machine: still far
    # below what a lost lease or the default 60 s lease would take (a failure mode, not a
    # speed figure; speed lives in bench/).
    assert recovery < float(LEASE) * 3 + 4 + 10


def test_paused_worker_cannot_overwrite_the_newer_attempt(cluster: Cluster) -> None:
    first = cluster.worker()
    job = cluster.submit()
    cluster.wait_status(job["job_id"], "running")
    first.proc.send_signal(signal.SIGSTOP)
    try:
        cluster.worker()
        done = cluster.wait_status(job["job_id"], "succeeded", timeout=90)
        content = cluster.stack.data_dir / "content" / "articles" / job["article_id"] / "article.md"
        written = content.stat().st_mtime_ns
    finally:
        first.proc.send_signal(signal.SIGCONT)
    wait_until(
        lambda: (
            f"job {job['job_id']} stopped" in first.output()
            or f"job {job['job_id']}: result discarded" in first.output()
        ),
        15,
        "the resumed worker to give up its stale run",
    )
    assert cluster.status(job["job_id"]) == done  # unchanged by the stale run
    assert content.stat().st_mtime_ns == written  # the article was written once
    assert cluster.succeeded_lines(job["job_id"]) == 1
    assert done["attempts"] == 2


@pytest.mark.parametrize("point", ["after_claim", "before_running", "after_work", "after_commit"])
def test_crash_at_each_handoff_ends_in_one_terminal_state(cluster: Cluster, point: str) -> None:
    crashing = cluster.worker(OPAD_FAULT_INJECT=point, OPAD_NOOP_SECONDS="0.2")
    job = cluster.submit()
    assert crashing.proc.wait(30) == 97, crashing.output()
    cluster.worker(OPAD_NOOP_SECONDS="0.2")
    status = cluster.wait_status(job["job_id"], "succeeded", timeout=90)
    row = cluster.job_row(job["job_id"])
    assert row.status == "succeeded" and status["progress"] == 100
    assert cluster.succeeded_lines(job["job_id"]) == 1
    # A message left by the crash is reaped and then dropped as already ended.
    wait_until(
        lambda: cluster.processing_total() == 0 and cluster.redis.llen("opad:jobs") == 0,
        15,
        "empty processing lists and queue",
    )


def test_sigterm_hands_a_long_job_back_at_once(cluster: Cluster) -> None:
    first = cluster.worker(OPAD_NOOP_SECONDS="20")
    job = cluster.submit()
    cluster.wait_status(job["job_id"], "running")
    started = time.monotonic()
    assert first.stop(signal.SIGTERM, timeout=15) == 0
    assert time.monotonic() - started < 6  # 1 s grace, then at once (no lease wait)
    status = cluster.status(job["job_id"])
    assert status["status"] == "queued" and status["attempts"] == 0
    assert json.loads(cluster.redis.lindex("opad:jobs", -1) or "{}")["job_id"] == job["job_id"]
    cluster.worker(OPAD_NOOP_SECONDS="0.2")
    done = cluster.wait_status(job["job_id"], "succeeded")
    assert done["attempts"] == 1


def test_cancel_queued_and_running(cluster: Cluster) -> None:
    queued = cluster.submit()
    resp = httpx.post(f"{cluster.api}/jobs/{queued['job_id']}/cancel", timeout=10)
    assert resp.status_code == 200 and resp.json()["status"] == "cancelled"
    worker = cluster.worker(OPAD_NOOP_SECONDS="6")
    running = cluster.submit()
    cluster.wait_status(running["job_id"], "running")
    assert (
        httpx.post(f"{cluster.api}/jobs/{running['job_id']}/cancel").json()["status"] == "cancelled"
    )
    wait_until(
        lambda: f"job {running['job_id']} stopped" in worker.output(),
        10,
        "the running job to stop at its next step",
    )
    assert f"job {queued['job_id']} skipped" in worker.output()  # claimed, never run
    assert f"job {queued['job_id']} running" not in worker.output()
    for job in (queued, running):
        assert cluster.status(job["job_id"])["status"] == "cancelled"
        article = httpx.get(f"{cluster.api}/articles/{job['article_id']}").json()
        assert article["status"] == "cancelled"
    again = httpx.post(f"{cluster.api}/jobs/{running['job_id']}/cancel")
    assert again.status_code == 409
    assert httpx.post(f"{cluster.api}/jobs/nope/cancel").status_code == 404


def test_timeout_frees_the_slot(cluster: Cluster) -> None:
    cluster.worker(OPAD_NOOP_SECONDS="30", OPAD_JOB_TIMEOUT="1", OPAD_WORKER_CONCURRENCY="1")
    slow = cluster.submit()
    status = cluster.wait_status(slow["job_id"], "failed", timeout=15)
    assert status["error"] == "timed out after 1 s"
    assert cluster.processing_total() == 0


def test_workers_endpoint_and_liveness(cluster: Cluster) -> None:
    worker = cluster.worker()
    wait_until(lambda: len(httpx.get(f"{cluster.api}/workers").json()) == 1, 15, "a live worker")
    info = httpx.get(f"{cluster.api}/workers").json()[0]
    assert info["pid"] == worker.proc.pid and info["jobs_in_hand"] == 0
    import subprocess
    import sys

    alive = subprocess.run(
        [sys.executable, "-m", "opad", "worker-alive", "--max-age", "10"],
        env=cluster.stack.env,
        capture_output=True,
        text=True,
    )
    assert alive.returncode == 0, alive.stdout + alive.stderr
    worker.stop()
    assert httpx.get(f"{cluster.api}/workers").json() == []


def test_sse_stream_of_the_real_api(cluster: Cluster) -> None:
    """GET /jobs/{id}/events: the current status first, every change in order, then the end."""
    job = cluster.submit()
    events: list[dict[str, Any]] = []
    with httpx.stream("GET", f"{cluster.api}/jobs/{job['job_id']}/events", timeout=30) as resp:
        assert resp.status_code == 200
        assert resp.headers["content-type"].startswith("text/event-stream")
        cluster.worker(OPAD_NOOP_SECONDS="1")
        name = None
        for line in resp.iter_lines():  # ends when the server closes the stream
            if line.startswith("event: "):
                name = line[7:]
            elif line.startswith("data: "):
                assert name == "status"
                events.append(json.loads(line[6:]))
    states = [e["status"] for e in events]
    assert states[0] == "queued" and states[-1] == "succeeded"
    assert states.count("succeeded") == 1 and "running" in states
    progress = [e["progress"] for e in events]
    assert progress == sorted(progress) and progress[-1] == 100
    assert len({e["message"] for e in events if e["status"] == "running"}) >= 3  # the steps
    assert all(e["id"] == job["job_id"] for e in events)
    unknown = httpx.get(f"{cluster.api}/jobs/nope/events")
    assert unknown.status_code == 404 and unknown.json()["error"] == "not found"
