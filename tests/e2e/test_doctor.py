"""`opad doctor` checks that OPAD runs, not only that it is set up (issue 33 item 6): it
said "ready" with no API and no worker running."""

from __future__ import annotations

import subprocess
from pathlib import Path

import httpx

from tests.processes import OPAD, Stack, base_env, free_port, wait_until


def _doctor(env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*OPAD, "doctor"], env={**env, "COLUMNS": "200"}, capture_output=True, text=True,
        timeout=120,
    )  # fmt: skip


def test_doctor_says_not_running_without_an_api_or_a_worker(tmp_path: Path) -> None:
    port = free_port()
    out = _doctor(base_env(tmp_path, OPAD_API_PORT=str(port)))
    assert out.returncode == 1, out.stdout + out.stderr
    lines = out.stdout.splitlines()
    assert lines[0] == "engine: leveler"
    api = next(line for line in lines if line.startswith("api: "))
    assert api.startswith(f"api: PROBLEM — nothing answers at http://127.0.0.1:{port}")
    assert "`make run`" in api
    assert any(line.startswith("worker: PROBLEM") for line in lines)
    assert lines[-1].startswith("verdict: NOT running — the setup is ready")
    assert "the API and a worker are not running" in lines[-1]


def test_doctor_is_ready_when_the_api_and_a_worker_run(stack: Stack) -> None:
    # The session's worker registers once it has started (a fresh stack: a few seconds).
    wait_until(
        lambda: bool(httpx.get(f"{stack.api_url}/workers", timeout=5).json()), 120, "a worker"
    )
    out = _doctor(stack.env)
    assert out.returncode == 0, out.stdout + out.stderr
    lines = out.stdout.splitlines()
    assert f"api: ok — answers at {stack.api_url}; Redis, database and storage are up" in lines
    worker = next(line for line in lines if line.startswith("worker: "))
    assert worker.startswith("worker: ok — 1 running on "), worker
    assert lines[-1] == "verdict: ready — the leveler engine needs nothing more"


def test_doctor_says_when_no_worker_runs(tmp_path: Path) -> None:
    from opad.queue import embedded

    alone = Stack(env=base_env(tmp_path), data_dir=tmp_path)
    alone.migrate()
    alone.start_api()
    try:
        out = _doctor(alone.env)
    finally:
        alone.stop()
        embedded.stop(tmp_path)
    assert out.returncode == 1
    lines = out.stdout.splitlines()
    assert any(line.startswith("api: ok") for line in lines), lines
    worker = next(line for line in lines if line.startswith("worker: "))
    assert "none is running, so readings wait in the queue" in worker
    assert "a worker is not running" in lines[-1]
