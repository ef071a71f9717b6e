"""Accounts, ownership and abuse limits, on a production-mode API over real HTTP."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import httpx
import pytest

from opad.api.app import create_app
from opad.bootstrap import build_services
from opad.db.migrate import upgrade
from opad.services.accounts import create_user
from tests.conftest import RedisServer, make_settings
from tests.processes import ServerThread

SECRET = "s" * 48
BODY = {"language": "English", "level": "B1", "length": 100, "topic": "parks"}


class Api:
    """A production-mode API with two users, A and B, signed in."""

    def __init__(self, url: str, services: Any) -> None:
        self.url = url
        self.services = services
        self.tokens: dict[str, str] = {}

    def login(self, who: str, email: str, password: str = "correct horse battery") -> None:
        resp = httpx.post(f"{self.url}/auth/login", json={"email": email, "password": password})
        assert resp.status_code == 200, resp.text
        self.tokens[who] = resp.json()["token"]

    def as_(self, who: str | None) -> httpx.Client:
        headers = {"Authorization": f"Bearer {self.tokens[who]}"} if who else {}
        return httpx.Client(base_url=self.url, headers=headers, timeout=10)


@pytest.fixture
def api(tmp_path: Path, redis_server: RedisServer) -> Iterator[Api]:
    settings = make_settings(
        tmp_path,
        REDIS_URL=redis_server.url,
        OPAD_ENV="production",
        OPAD_SECRET_KEY=SECRET,
        OPAD_RATE_LIMIT_PER_HOUR=3,
        OPAD_MAX_QUEUED_PER_USER=2,
        OPAD_MAX_BODY_BYTES=200_000,
        OPAD_FETCH_ALLOW_NETWORKS="127.0.0.2/32",
    )
    services = build_services(settings)
    upgrade(services.db.engine)
    for email in ("a@example.org", "b@example.org"):
        create_user(services, email, "correct horse battery")
    with ServerThread(create_app(settings, services)) as server:
        client = Api(server.url, services)
        client.login("A", "a@example.org")
        client.login("B", "b@example.org")
        yield client
    services.close()


def test_nobody_reads_or_spends_what_is_not_theirs(api: Api) -> None:
    with api.as_("A") as a, api.as_("B") as b, api.as_(None) as anonymous:
        article = a.post("/articles", json=BODY).json()
        job = a.post(f"/articles/{article['id']}/generate").json()
        aid, jid = article["id"], job["job_id"]
        owned = [
            ("GET", f"/articles/{aid}"),
            ("GET", f"/articles/{aid}/content"),
            ("POST", f"/articles/{aid}/generate"),
            ("GET", f"/jobs/{jid}"),
            ("GET", f"/jobs/{jid}/events"),
            ("POST", f"/jobs/{jid}/cancel"),
            ("DELETE", f"/articles/{aid}"),
        ]
        for method, path in owned:
            resp = b.request(method, path)
            assert resp.status_code == 404, (method, path, resp.text)  # not 403: no leak
            unknown = b.request(method, path.replace(aid, "0" * 36).replace(jid, "1" * 36))
            assert unknown.json() == {**unknown.json(), "error": "not found"}
            resp = anonymous.request(method, path)
            assert resp.status_code == 401, (method, path)
            assert resp.headers["www-authenticate"] == "Bearer"
        assert b.get("/articles").json()["total"] == 0
        assert a.get("/articles").json()["total"] == 1
        for path in ("/articles", "/workers", "/auth/me", "/auth/tokens"):
            assert anonymous.get(path).status_code == 401
        assert anonymous.post("/generate", json=BODY).status_code == 401
        # Still A's, still there; A may cancel and delete.
        assert a.get(f"/jobs/{jid}").json()["status"] == "queued"
        assert a.post(f"/jobs/{jid}/cancel").json()["status"] == "cancelled"
        assert a.delete(f"/articles/{aid}").status_code == 204
        # Public: health and the form's lists.
        for path in ("/health", "/languages", "/levels"):
            assert anonymous.get(path).status_code == 200


def test_tokens_list_and_revoke(api: Api) -> None:
    with api.as_("A") as a:
        tokens = a.get("/auth/tokens").json()
        assert len(tokens) == 1 and "token" not in tokens[0]
        extra = a.post("/auth/tokens", json={"name": "laptop"}).json()
        assert extra["token"].startswith("opad_")
        with httpx.Client(
            base_url=api.url, headers={"Authorization": f"Bearer {extra['token']}"}
        ) as laptop:
            assert laptop.get("/auth/me").json()["email"] == "a@example.org"
            assert a.delete(f"/auth/tokens/{extra['id']}").status_code == 204
            assert laptop.get("/auth/me").status_code == 401
        with api.as_("B") as b:
            assert b.delete(f"/auth/tokens/{tokens[0]['id']}").status_code == 404
    assert (
        httpx.get(f"{api.url}/auth/me", headers={"Authorization": "Bearer nope"}).status_code == 401
    )
    assert (
        httpx.post(
            f"{api.url}/auth/register", json={"email": "c@example.org", "password": "x" * 12}
        ).status_code
        == 403
    )


def test_rate_limit_and_queue_cap_answer_429_and_enqueue_nothing(api: Api) -> None:
    queue = api.services.queue
    with api.as_("A") as a, api.as_("B") as b:
        for _ in range(2):
            assert a.post("/generate", json=BODY).status_code == 202
        depth = queue.depth()
        capped = a.post("/generate", json=BODY)  # two waiting already: the queue cap
        assert capped.status_code == 429 and int(capped.headers["retry-after"]) > 0
        assert "waiting" in capped.json()["detail"]
        assert queue.depth() == depth
        # B's own budget: 3 per hour.
        for _ in range(2):
            b.post("/generate", json=BODY)
            jid = b.get("/articles").json()["items"][0]["latest_job_id"]
            b.post(f"/jobs/{jid}/cancel")
        b.post("/generate", json=BODY)
        depth = queue.depth()
        limited = b.post("/generate", json=BODY)
        assert limited.status_code == 429
        assert 0 < int(limited.headers["retry-after"]) <= 3600
        assert "per hour" in limited.json()["detail"]
        assert queue.depth() == depth


def test_login_throttling(api: Api) -> None:
    for _ in range(5):
        resp = httpx.post(
            f"{api.url}/auth/login", json={"email": "a@example.org", "password": "wrong password!"}
        )
        assert resp.status_code == 401
    throttled = httpx.post(
        f"{api.url}/auth/login",
        json={"email": "a@example.org", "password": "correct horse battery"},
    )
    assert throttled.status_code == 429 and int(throttled.headers["retry-after"]) > 0


class Redirector:
    """A page on 127.0.0.2 (an allowed network) that redirects to wherever it is told."""

    def __init__(self) -> None:
        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802
                self.send_response(302)
                self.send_header("Location", self.path[1:])
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.2", 0), Handler)
        self.url = f"http://127.0.0.2:{self.server.server_port}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()


@pytest.mark.parametrize(
    ("url", "fragment"),
    [
        ("http://127.0.0.1:8001/articles", "loopback"),
        ("http://10.0.0.1/news", "private"),
        ("http://169.254.169.254/latest/meta-data/", "link-local"),
        ("file:///etc/passwd", "http:// or https://"),
        ("REDIRECT:http://127.0.0.1:8001/", "127.0.0.1, a loopback"),
    ],
)
def test_ssrf_attempts_are_refused_with_422(api: Api, url: str, fragment: str) -> None:
    redirector = None
    if url.startswith("REDIRECT:"):
        redirector = Redirector()
        url = f"{redirector.url}/{url.removeprefix('REDIRECT:')}"
    try:
        with api.as_("A") as a:
            resp = a.post("/generate", json={**BODY, "source_url": url})
    finally:
        if redirector:
            redirector.server.shutdown()
            redirector.server.server_close()
    assert resp.status_code == 422, resp.text
    fields = {f["field"]: f["message"] for f in resp.json().get("fields") or []}
    assert "source_url" in fields or resp.json()["detail"].startswith("source_url")
    assert fragment in json.dumps(resp.json())
    assert api.services.queue.depth() == 0


def test_body_size_cap(api: Api) -> None:
    with api.as_("A") as a:
        resp = a.post(
            "/generate", content=b"x" * 300_000, headers={"content-type": "application/json"}
        )
    assert resp.status_code == 413 and resp.json()["error"] == "request too large"
