"""Following a job over HTTP, as a client would."""

from __future__ import annotations

import time
from typing import Any

import httpx


def follow(api_url: str, job_id: str, timeout: float = 60) -> tuple[dict[str, Any], list[Any]]:
    """Poll GET /jobs/{id} until it ends; returns the last status and every one seen."""
    seen: list[Any] = []
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        status = httpx.get(f"{api_url}/jobs/{job_id}", timeout=5).json()
        if not seen or seen[-1] != (status["status"], status["progress"], status["message"]):
            seen.append((status["status"], status["progress"], status["message"]))
        if status["status"] in ("succeeded", "failed", "cancelled"):
            return status, seen
        time.sleep(0.02)
    raise AssertionError(f"job {job_id} did not end within {timeout} s: {seen}")
