"""Is OPAD running? The API at OPAD_API_URL (its readiness: Redis, database, store) and the
live workers it sees (GET /workers: workers with an unexpired lease)."""

from __future__ import annotations

import httpx

from opad.cli.client import stored_token
from opad.cli.doctor.checks import Check
from opad.settings import Settings

TIMEOUT = 5.0  # a check, not a request a learner waits for
START = "start it with `make run` (or `opad up`; `opad api` alone for the API)"


def _headers(api_url: str) -> dict[str, str]:
    token = stored_token(api_url)
    return {"Authorization": f"Bearer {token}"} if token else {}


def check_api(settings: Settings) -> Check:
    """GET /health/ready: the API answers and its dependencies are up."""
    url = settings.api_url.rstrip("/")
    try:
        response = httpx.get(f"{url}/health/ready", timeout=TIMEOUT)
    except httpx.HTTPError as exc:
        return Check("api", False, f"nothing answers at {url} ({type(exc).__name__}): {START}")
    if response.status_code == 200:
        return Check("api", True, f"answers at {url}; Redis, database and storage are up")
    try:
        checks = response.json().get("checks", {})
        down = [name for name, c in checks.items() if c.get("status") != "ok"]
    except (ValueError, AttributeError):
        down = []
    detail = f"{', '.join(down)} down" if down else f"HTTP {response.status_code}"
    return Check("api", False, f"answers at {url}, but {detail} (GET {url}/health/ready)")


def check_workers(settings: Settings, api: Check) -> Check:
    """GET /workers: how many workers hold a live lease (none: readings wait forever)."""
    url = settings.api_url.rstrip("/")
    if not api.ok:
        return Check("worker", False, "not checked: the API does not answer (see above)")
    try:
        response = httpx.get(f"{url}/workers", timeout=TIMEOUT, headers=_headers(url))
    except httpx.HTTPError as exc:
        return Check("worker", False, f"the API did not say ({type(exc).__name__})")
    if response.status_code == 401:
        return Check("worker", False, "this API asks you to sign in: run `opad login` first")
    if response.status_code != 200:
        return Check("worker", False, f"the API did not say (HTTP {response.status_code})")
    workers = response.json()
    if not workers:
        return Check("worker", False, f"none is running, so readings wait in the queue: {START}")
    hosts = sorted({str(w.get("host", "?")) for w in workers})
    slots = sum(int(w.get("concurrency", 0)) for w in workers)
    return Check(
        "worker",
        True,
        f"{len(workers)} running on {', '.join(hosts)} ({slots} jobs at a time in all)",
    )
