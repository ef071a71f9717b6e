"""`opad generate`: the API over HTTP, with a live progress bar."""

from __future__ import annotations

import time
from typing import Any

import httpx
from rich.console import Console
from rich.markdown import Markdown
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

POLL_SECONDS = 0.5
WAIT_LIMIT_SECONDS = 3600


def _error_text(resp: httpx.Response) -> str:
    try:
        body = resp.json()
    except ValueError:
        return f"HTTP {resp.status_code}: {resp.text[:200]}"
    if body.get("fields"):
        return "; ".join(f"{f['field']}: {f['message']}" for f in body["fields"])
    return f"{body.get('error', resp.status_code)}: {body.get('detail', '')}"


def generate_reading(api_url: str, body: dict[str, Any], *, wait: bool) -> int:
    """Submit, optionally follow and print; returns the process exit code."""
    console, err = Console(), Console(stderr=True)
    body = {k: v for k, v in body.items() if v is not None}
    try:
        with httpx.Client(base_url=api_url, timeout=10) as client:
            resp = client.post("/generate", json=body)
            if resp.status_code != 202:
                err.print(f"[red]error:[/] {_error_text(resp)}")
                return 2 if resp.status_code == 422 else 1
            accepted = resp.json()
            if not wait:
                console.print(f"job {accepted['job_id']} for article {accepted['article_id']}")
                return 0
            status = _follow(client, accepted["job_id"], err)
            if status["status"] != "succeeded":
                err.print(
                    f"[red]job {status['status']}:[/] {status.get('error') or status['message']}"
                )
                return 1
            content = client.get(f"/articles/{accepted['article_id']}/content")
            if content.status_code != 200:
                err.print(f"[red]error:[/] {_error_text(content)}")
                return 1
            console.print(Markdown(content.text))
            if status["message"] != "Completed!":
                err.print(f"[yellow]{status['message']}[/]")
            return 0
    except httpx.HTTPError as exc:
        err.print(f"[red]error:[/] cannot reach the OPAD API at {api_url}: {exc}")
        return 1


def _follow(client: httpx.Client, job_id: str, err: Console) -> dict[str, Any]:
    """Poll the job until it ends, drawing a progress bar with the step message."""
    columns = (
        TextColumn("{task.description}"),
        BarColumn(),
        TextColumn("{task.percentage:>3.0f}%"),
        TimeElapsedColumn(),
    )
    deadline = time.monotonic() + WAIT_LIMIT_SECONDS
    with Progress(*columns, console=err, transient=True) as bar:
        task = bar.add_task("Job queued...", total=100)
        while True:
            resp = client.get(f"/jobs/{job_id}")
            if resp.status_code != 200:
                raise httpx.HTTPError(_error_text(resp))
            status: dict[str, Any] = resp.json()
            bar.update(task, completed=status["progress"], description=status["message"])
            if status["status"] in ("succeeded", "failed", "cancelled"):
                return status
            if time.monotonic() > deadline:
                raise httpx.HTTPError(f"job {job_id} still {status['status']} after an hour")
            time.sleep(POLL_SECONDS)
