"""`opad generate`: the API over HTTP, with a live progress bar."""

from __future__ import annotations

import json
import os
import time
from pathlib import Path
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


def credentials_path() -> Path:
    """Where `opad login` keeps tokens, one per API URL."""
    base = os.environ.get("XDG_CONFIG_HOME") or str(Path.home() / ".config")
    return Path(base) / "opad" / "credentials.json"


def stored_token(api_url: str) -> str | None:
    """OPAD_TOKEN, else the token `opad login` stored for this API."""
    if os.environ.get("OPAD_TOKEN"):
        return os.environ["OPAD_TOKEN"]
    try:
        tokens = json.loads(credentials_path().read_text())
    except (OSError, ValueError):
        return None
    token = tokens.get(api_url.rstrip("/"))
    return token if isinstance(token, str) else None


def login(api_url: str, email: str, password: str) -> int:
    """Exchange credentials for a token and store it (mode 600); returns the exit code."""
    err = Console(stderr=True)
    try:
        resp = httpx.post(
            f"{api_url}/auth/login",
            timeout=10,
            json={"email": email, "password": password, "token_name": "opad CLI"},
        )
    except httpx.HTTPError as exc:
        err.print(f"[red]error:[/] cannot reach the OPAD API at {api_url}: {exc}")
        return 1
    if resp.status_code != 200:
        err.print(f"[red]error:[/] {_error_text(resp)}")
        return 1
    path = credentials_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        tokens = json.loads(path.read_text())
    except (OSError, ValueError):
        tokens = {}
    tokens[api_url.rstrip("/")] = resp.json()["token"]
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as fh:
        json.dump(tokens, fh)
    Console().print(f"signed in to {api_url} as {email}; token kept in {path}")
    return 0


def generate_reading(
    api_url: str, body: dict[str, Any], *, wait: bool, token: str | None = None
) -> int:
    """Submit, optionally follow and print; returns the process exit code."""
    console, err = Console(), Console(stderr=True)
    body = {k: v for k, v in body.items() if v is not None}
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    try:
        with httpx.Client(base_url=api_url, timeout=10, headers=headers) as client:
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
