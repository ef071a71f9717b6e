"""`opad generate`, `opad status`, `opad show`: the API over HTTP, with a live progress bar."""

from __future__ import annotations

import json
import os
import sys
import time
from pathlib import Path
from typing import Any
from urllib.parse import quote

import httpx
from rich.console import Console
from rich.markdown import Markdown
from rich.markup import escape
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

from opad.queue.status import LiveStatus
from opad.states import JobStatus
from opad.wording import Terms, for_learner

POLL_SECONDS = 0.5
WAIT_LIMIT_SECONDS = 3600


# The CLI's names for the API's fields, so a message points at the option to change.
OPTIONS = {
    "language": "--language",
    "level": "--level",
    "length": "--length",
    "topic": "--topic",
    "source_text": "--source-file",
    "source_url": "--source-url",
}


def _cli_terms(languages: str) -> Terms:
    return Terms(
        topic="--topic",
        text="--source-file",
        url="--source-url",
        languages=f"it can level {languages}" if languages else "see the supported languages",
    )


def _language_names(client: httpx.Client | None) -> str:
    """The languages the API offers, as "Arabic, Bulgarian, …" ("" when it cannot say)."""
    if client is None:
        return ""
    try:
        names = [str(lang["name"]) for lang in client.get("/languages").json()]
    except (httpx.HTTPError, ValueError, KeyError, TypeError):
        return ""
    return ", ".join(names)


SIGN_IN = (
    "this OPAD asks you to sign in: run `opad login` (it asks for your email and password "
    "and keeps a token for this API), or set OPAD_TOKEN to a personal token"
)


def _error_text(resp: httpx.Response, client: httpx.Client | None = None) -> str:
    try:
        body = resp.json()
    except ValueError:
        return f"HTTP {resp.status_code}: {resp.text[:200]}"
    if resp.status_code == 401:
        # The API speaks HTTP ("POST /auth/login, then send Authorization…"); the CLI user
        # needs the command that does it.
        detail = str(body.get("detail", ""))
        if detail.startswith("sign in first"):
            return SIGN_IN
        return f"{detail or 'not signed in'}: run `opad login` again, or set OPAD_TOKEN"
    if body.get("fields"):
        fields = body["fields"]
        languages = ""
        if any(f.get("field") == "language" for f in fields):
            languages = _language_names(client)
        terms = _cli_terms(languages)
        return "; ".join(
            f"{OPTIONS.get(f['field'], f['field'])}: {for_learner(f['field'], f['message'], terms)}"
            for f in fields
        )
    return f"{body.get('error', resp.status_code)}: {body.get('detail', '')}"


def unreachable(api_url: str, exc: Exception) -> str:
    """What to say when the API does not answer: where we looked and how to look elsewhere."""
    return (
        f"cannot reach the OPAD API at {api_url} ({exc}). Is it running (`make run` or "
        "`opad up`)? If it listens elsewhere, pass --api-url URL or set OPAD_API_URL (or "
        "OPAD_API_PORT when only its port changed)."
    )


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
        _error(err, unreachable(api_url, exc))
        return 1
    if resp.status_code != 200:
        _error(err, _error_text(resp))
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


def _error(err: Console, message: str) -> None:
    # Escaped: API messages may hold brackets ("[Errno …]") that rich takes for markup.
    err.print(f"[red]error:[/] {escape(message)}", soft_wrap=True)


def generate_reading(
    api_url: str,
    body: dict[str, Any],
    *,
    wait: bool,
    token: str | None = None,
    web_url: str | None = None,
) -> int:
    """Submit, then follow and print (`wait`) or say how to follow; returns the exit code."""
    err = Console(stderr=True)
    body = {k: v for k, v in body.items() if v is not None}
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    try:
        with httpx.Client(base_url=api_url, timeout=10, headers=headers) as client:
            resp = client.post("/generate", json=body)
            if resp.status_code != 202:
                _error(err, _error_text(resp, client))
                return 2 if resp.status_code == 422 else 1
            accepted = resp.json()
            if not wait:
                # Plain print: rich would wrap the links and commands at 80 columns.
                print(_how_to_follow(accepted, web_url), flush=True)
                return 0
            return _wait_and_print(client, accepted["job_id"], accepted["article_id"])
    except httpx.HTTPError as exc:
        _error(err, unreachable(api_url, exc))
        return 1


def _how_to_follow(accepted: dict[str, Any], web_url: str | None) -> str:
    job_id, article_id = accepted["job_id"], accepted["article_id"]
    lines = [f"Your reading is on its way: job {job_id} for article {article_id}."]
    if web_url:
        lines.append(f"  Follow it in the browser:  {web_url.rstrip('/')}/jobs/{job_id}")
    lines.append(f"  Follow it here:            opad status {job_id} --wait")
    lines.append(f"  Read it when it is ready:  opad show {article_id}")
    return "\n".join(lines)


def _wait_and_print(client: httpx.Client, job_id: str, article_id: str) -> int:
    """Follow the job with a progress bar, then print the article; returns the exit code."""
    console, err = Console(), Console(stderr=True)
    status = _follow(client, job_id, err)
    if status.status != JobStatus.SUCCEEDED:
        why = escape(status.error or status.message)
        err.print(f"[red]job {status.status}:[/] {why}")
        return 1
    content = client.get(f"/articles/{article_id}/content")
    if content.status_code != 200:
        _error(err, _error_text(content))
        return 1
    console.print(Markdown(content.text))
    if status.message != "Completed!":
        err.print(f"[yellow]{escape(status.message)}[/]")
    # The id the other commands take: without it a learner cannot quiz or reopen the text.
    print(
        f"\nArticle {article_id}: answer its questions with `opad quiz {article_id}`, "
        f"show it again with `opad show {article_id}`.",
        file=sys.stderr,
        flush=True,
    )
    return 0


def job_status(api_url: str, job_id: str, *, wait: bool, token: str | None = None) -> int:
    """`opad status`: a job's state (or, with `wait`, follow it and print the article)."""
    console, err = Console(), Console(stderr=True)
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    try:
        with httpx.Client(base_url=api_url, timeout=10, headers=headers) as client:
            resp = client.get(f"/jobs/{quote(job_id, safe='')}")
            if resp.status_code == 404:
                _error(err, f"there is no job {job_id} (or it is someone else's)")
                return 1
            if resp.status_code != 200:
                _error(err, _error_text(resp))
                return 1
            job = LiveStatus.parse(resp.content)
            if wait:  # also when it has ended already: the article is what --wait promises
                return _wait_and_print(client, job_id, job.article_id)
            console.print(
                f"{job.status} {job.progress}%: {job.message}",
                markup=False,
                soft_wrap=True,
            )
            if job.error:
                console.print(f"error: {job.error}", markup=False)
            if job.status == JobStatus.SUCCEEDED:
                console.print(f"Read it: opad show {job.article_id}", markup=False)
            return 0 if job.status not in (JobStatus.FAILED, JobStatus.CANCELLED) else 1
    except httpx.HTTPError as exc:
        _error(err, unreachable(api_url, exc))
        return 1


def show_article(api_url: str, article_id: str, *, token: str | None = None) -> int:
    """`opad show`: print a ready article, or say where it stands."""
    console, err = Console(), Console(stderr=True)
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    try:
        with httpx.Client(base_url=api_url, timeout=10, headers=headers) as client:
            path = f"/articles/{quote(article_id, safe='')}"
            resp = client.get(path)
            if resp.status_code == 404:
                _error(err, f"there is no article {article_id} (or it is someone else's)")
                return 1
            if resp.status_code != 200:
                _error(err, _error_text(resp))
                return 1
            article = resp.json()
            if article["status"] != "ready":
                job = article.get("latest_job") or {}
                follow = f"; follow it with: opad status {job['id']} --wait" if job else ""
                err.print(
                    f"This reading is not ready ({article['status']}){follow}",
                    markup=False,
                    highlight=False,
                )
                return 1
            content = client.get(f"{path}/content")
            if content.status_code != 200:
                _error(err, _error_text(content))
                return 1
            console.print(Markdown(content.text))
            return 0
    except httpx.HTTPError as exc:
        _error(err, unreachable(api_url, exc))
        return 1


def _follow(client: httpx.Client, job_id: str, err: Console) -> LiveStatus:
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
            status = LiveStatus.parse(resp.content)
            bar.update(task, completed=status.progress, description=status.message)
            if status.is_terminal:
                return status
            if time.monotonic() > deadline:
                raise httpx.HTTPError(f"job {job_id} still {status.status} after an hour")
            time.sleep(POLL_SECONDS)
