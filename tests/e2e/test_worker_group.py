"""`opad worker --processes N`: N workers under one command, each with its own identity,
and the same guarantees as N separate workers (real processes, the noop engine)."""

from __future__ import annotations

import os
import signal
import time
from pathlib import Path

import httpx
import pytest

from tests.e2e.cluster import Cluster
from tests.processes import wait_until

pytestmark = pytest.mark.slow


def live(cluster: Cluster) -> list[dict[str, object]]:
    return list(httpx.get(f"{cluster.api}/workers", timeout=10).json())


def children(pid: int) -> set[int]:
    found = set()
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(stat[1]) == pid:
                found.add(int(entry.name))
    return found


def test_processes_are_workers_of_their_own_and_stop_gracefully(cluster: Cluster) -> None:
    group = cluster.stack.start(
        "worker", "--processes", "2", "--concurrency", "1", extra_env={"OPAD_NOOP_SECONDS": "3"}
    )
    cluster.workers.append(group)
    wait_until(lambda: len(live(cluster)) == 2, 120, "two live workers")
    workers = live(cluster)
    pids = {int(str(w["pid"])) for w in workers}
    assert pids == children(group.proc.pid) and group.proc.pid not in pids
    assert len({w["id"] for w in workers}) == 2
    # One slot each, two jobs: both processes work at once.
    jobs = [cluster.submit(topic=f"group {n}") for n in range(2)]
    for job in jobs:
        cluster.wait_status(job["job_id"], "running", timeout=30)
    assert cluster.processing_total() == 2
    assert len(list(cluster.redis.scan_iter("opad:processing:*"))) == 2
    # SIGTERM: each process stops as a lone worker does (1 s grace, then hands back).
    assert group.stop(signal.SIGTERM, timeout=30) == 0, group.output()
    cluster.workers.remove(group)
    assert live(cluster) == [] and cluster.processing_total() == 0
    statuses = [cluster.status(j["job_id"])["status"] for j in jobs]
    assert all(s in ("succeeded", "queued") for s in statuses), statuses
    assert not any(os.path.exists(f"/proc/{pid}") for pid in pids)
    # Whatever went back to the queue is done by the next worker.
    cluster.worker(OPAD_NOOP_SECONDS="0.2")
    for job in jobs:
        cluster.wait_status(job["job_id"], "succeeded", timeout=60)


def test_a_crash_past_the_restart_limit_ends_the_group_and_its_job_is_recovered(
    cluster: Cluster,
) -> None:
    group = cluster.stack.start(
        "worker",
        "--processes",
        "2",
        extra_env={
            "OPAD_FAULT_INJECT": "after_work",
            "OPAD_NOOP_SECONDS": "0.2",
            # No restarts allowed: the first death is one too many.
            "OPAD_WORKER_RESTARTS_PER_MINUTE": "0",
        },
    )
    cluster.workers.append(group)
    wait_until(lambda: len(live(cluster)) == 2, 120, "two live workers")
    job = cluster.submit(topic="group crash")
    # The process that ran the job exits 97 at the fault; with no restart allowed the group
    # stops the other and exits with that code, for the service manager to see.
    assert group.proc.wait(60) == 97, group.output()
    cluster.workers.remove(group)
    cluster.worker(OPAD_NOOP_SECONDS="0.2")
    done = cluster.wait_status(job["job_id"], "succeeded", timeout=90)
    # 2, or 3 when the sibling (same fault) reaped and ran it again before it stopped.
    assert done["attempts"] in (2, 3)
    assert cluster.job_row(job["job_id"]).status == "succeeded"
    assert cluster.succeeded_lines(job["job_id"]) == 1


def test_killing_the_group_kills_its_processes(cluster: Cluster) -> None:
    group = cluster.stack.start("worker", "--processes", "2")
    cluster.workers.append(group)
    wait_until(lambda: len(live(cluster)) == 2, 120, "two live workers")
    pids = children(group.proc.pid)
    group.stop(signal.SIGKILL)
    cluster.workers.remove(group)
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and any(os.path.exists(f"/proc/{p}") for p in pids):
        time.sleep(0.1)
    # Gone, or zombies of the killed group waiting for init to reap them.
    for pid in pids:
        try:
            state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
        except OSError:
            continue
        assert state == "Z", f"worker process {pid} outlived its group"


def test_4_any_dead_process_is_restarted_and_past_the_limit_the_group_exits(
    cluster: Cluster,
) -> None:
    group = cluster.stack.start(
        "worker", "--processes", "2", extra_env={"OPAD_WORKER_RESTARTS_PER_MINUTE": "2"}
    )
    cluster.workers.append(group)
    wait_until(lambda: len(live(cluster)) == 2, 120, "two live workers")
    for kill in range(2):
        # The second process (not the first, which the old group watched alone).
        second = max(children(group.proc.pid))
        os.kill(second, signal.SIGKILL)

        def replaced(killed: int = second) -> bool:
            now = children(group.proc.pid)
            return killed not in now and len(now) == 2

        wait_until(
            replaced,
            20,
            f"the killed process to be replaced ({kill + 1})",
        )
        wait_until(lambda: len(live(cluster)) == 2, 120, "two live workers again")
        assert group.proc.poll() is None
    assert "restarted as" in group.output()
    # A third death within the minute: past OPAD_WORKER_RESTARTS_PER_MINUTE.
    os.kill(max(children(group.proc.pid)), signal.SIGKILL)
    assert group.proc.wait(60) == 128 + signal.SIGKILL, group.output()
    cluster.workers.remove(group)
    assert "stopping the group" in group.output()
