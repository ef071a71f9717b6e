"""Safe exports, the API's headers, streams that end with their token, and the web
session (issue 30, part 5 and the stream half of part 3): a real API and a real web app
over HTTP, a private Redis, SQLite and PostgreSQL.
"""

from __future__ import annotations

import base64
import csv
import io
import threading
import time
from collections.abc import Iterator

import httpx
import pytest
from itsdangerous import URLSafeSerializer

from opad.api.app import create_app
from opad.bootstrap import Services
from opad.services.accounts import create_user
from opad.settings import Settings
from opad.web.app import create_app as create_web
from opad.web.session import COOKIE
from tests.processes import ServerThread

PASSWORD = "correct horse battery"
BODY = {"language": "English", "level": "B1", "length": 100, "topic": "parks"}


class Stack:
    def __init__(self, api: str, web: str, token: str, services: Services) -> None:
        self.api, self.web, self.token, self.services = api, web, token, services

    def client(self, token: str | None = None) -> httpx.Client:
        headers = {"Authorization": f"Bearer {token or self.token}"}
        return httpx.Client(base_url=self.api, headers=headers, timeout=30)


@pytest.fixture
def stack(services: Services) -> Iterator[Stack]:
    settings = services.settings
    settings.env = "production"
    settings.secret_key = "k" * 48  # type: ignore[assignment]
    settings.rate_limit_per_hour = 0
    settings.max_queued_per_user = 0
    create_user(services, "ana@example.org", PASSWORD)
    with ServerThread(create_app(settings, services)) as api:
        web_settings = Settings(
            _env_file=None,  # type: ignore[call-arg]
            OPAD_DATA_DIR=settings.data_dir,
            OPAD_API_URL=api.url,
            OPAD_ENV="production",
            OPAD_SECRET_KEY="w" * 48,
        )
        with ServerThread(create_web(web_settings)) as web:
            body = {"email": "ana@example.org", "password": PASSWORD}
            token = httpx.post(f"{api.url}/auth/login", json=body).json()["token"]
            yield Stack(api.url, web.url, token, services)


# -- CSV -----------------------------------------------------------------------------------


def test_csv_export_neutralises_every_formula_cell(stack: Stack) -> None:
    # The issue's: 13 cells starting with =, +, -, @ were written as they were, titles from
    # third-party text included. Ours: tab and carriage return (OWASP's list) too.
    with stack.client() as api:
        article = api.post("/articles", json={**BODY, "topic": "=cmd|' /C calc'!A0"}).json()
        rows = [
            ("Wiese", '=HYPERLINK("http://evil.example","click")', "+1+2", "@SUM(A1:A9)"),
            ("Haus", "-2+3", "\t=1+1", "\r=1+1"),
        ]
        for word, meaning, notes, sentence in rows:
            saved = api.post(
                "/words",
                json={"language": "de", "word": word, "meaning": meaning, "notes": notes,
                      "sentence": f"{sentence} {word}", "article_id": article["id"]},
            )  # fmt: skip
            assert saved.status_code == 201, saved.text
        table = api.get("/words/export.csv")
    cells = [c for row in csv.reader(io.StringIO(table.text)) for c in row]
    dangerous = [c for c in cells if c[:1] in ("=", "+", "-", "@", "\t", "\r")]
    assert dangerous == [], dangerous
    assert '\'=HYPERLINK("http://evil.example","click")' in cells
    assert "'-2+3" in cells and any(c.startswith("'@SUM") for c in cells)
    # Each row links to the reading's page on the web (OPAD_WEB_URL, by default from
    # OPAD_WEB_HOST/PORT), never to the API's JSON (issue 33).
    links = [row["link"] for row in csv.DictReader(io.StringIO(table.text))]
    assert links == [f"http://127.0.0.1:8000/articles/{article['id']}"] * 2, links


# -- the API's headers ------------------------------------------------------------------------


@pytest.mark.parametrize("path", ["/health", "/auth/me", "/articles", "/no/such/path"])
def test_the_api_sends_the_headers_a_json_api_should(stack: Stack, path: str) -> None:
    # The issue's: the API sent no security headers. Errors (404) carry them too (ours).
    with stack.client() as api:
        resp = api.get(path)
    assert resp.headers["x-content-type-options"] == "nosniff"
    assert resp.headers["x-frame-options"] == "DENY"
    assert "frame-ancestors 'none'" in resp.headers["content-security-policy"]
    assert resp.headers["cache-control"] == "no-store"
    assert resp.headers["referrer-policy"] == "no-referrer"
    assert "strict-transport-security" not in resp.headers  # plain HTTP: it means nothing


def test_a_new_token_is_never_cached_and_https_gets_hsts(stack: Stack) -> None:
    # Ours: the answers that carry a token's secret say no-store; behind a TLS proxy the
    # API asks browsers to stay on HTTPS.
    body = {"email": "ana@example.org", "password": PASSWORD}
    login = httpx.post(f"{stack.api}/auth/login", json=body, headers={"X-Forwarded-Proto": "https"})
    assert login.status_code == 200 and login.headers["cache-control"] == "no-store"
    assert login.headers["strict-transport-security"].startswith("max-age=")
    docs = httpx.get(f"{stack.api}/docs")
    assert docs.status_code == 200 and "default-src 'none'" not in docs.headers.get(
        "content-security-policy", ""
    )  # Swagger UI still runs


# -- event streams end with their token ----------------------------------------------------


def _stream_until_closed(url: str, token: str, opened: threading.Event, ended: list[float]) -> None:
    headers = {"Authorization": f"Bearer {token}"}
    with httpx.stream("GET", url, headers=headers, timeout=60) as resp:
        for _ in resp.iter_lines():
            opened.set()
    ended.append(time.monotonic())


def test_revoking_a_token_closes_its_open_event_stream(stack: Stack) -> None:
    # The issue's: a stream opened before its token was revoked kept delivering.
    with stack.client() as api:
        job = api.post("/generate", json=BODY).json()  # no worker: it stays queued
        made = api.post("/auth/tokens", json={"name": "watcher"}).json()
    opened, ended = threading.Event(), []
    url = f"{stack.api}/jobs/{job['job_id']}/events"
    watcher = threading.Thread(
        target=_stream_until_closed, args=(url, made["token"], opened, ended)
    )
    watcher.start()
    assert opened.wait(10)
    time.sleep(0.3)
    assert not ended  # a queued job's stream stays open
    revoked_at = time.monotonic()
    with stack.client() as api:
        assert api.delete(f"/auth/tokens/{made['id']}").status_code == 204
    watcher.join(10)
    assert ended and ended[0] - revoked_at < 3, "the stream outlived its token"
    # And a new stream with the revoked token is refused.
    with stack.client(made["token"]) as again:
        assert again.get(f"/jobs/{job['job_id']}/events").status_code == 401


def test_another_tokens_revocation_leaves_a_stream_open(stack: Stack) -> None:
    # Ours: only the revoked token's streams end.
    with stack.client() as api:
        job = api.post("/generate", json=BODY).json()
        other = api.post("/auth/tokens", json={"name": "other"}).json()
    opened, ended = threading.Event(), []
    url = f"{stack.api}/jobs/{job['job_id']}/events"
    watcher = threading.Thread(
        target=_stream_until_closed, args=(url, stack.token, opened, ended), daemon=True
    )
    watcher.start()
    assert opened.wait(10)
    with stack.client() as api:
        assert api.delete(f"/auth/tokens/{other['id']}").status_code == 204
    time.sleep(1.0)
    assert not ended


# -- the web session -----------------------------------------------------------------------


@pytest.fixture
def browser(stack: Stack) -> Iterator[httpx.Client]:
    """A browser-like client signed in to the web."""
    with httpx.Client(base_url=stack.web, timeout=30, follow_redirects=False) as client:
        yield _sign_in(client)


def _sign_in(browser: httpx.Client) -> httpx.Client:
    page = browser.get("/login")
    csrf = page.text.split('name="csrf_token" value="', 1)[1].split('"', 1)[0]
    resp = browser.post(
        "/login", data={"email": "ana@example.org", "password": PASSWORD, "csrf_token": csrf}
    )
    assert resp.status_code == 303, resp.text
    return browser


def test_the_session_cookie_never_carries_the_token_readably(browser: httpx.Client) -> None:
    # The issue's: the cookie was signed, not encrypted: its token could be read from it.
    cookie = browser.cookies[COOKIE]
    # Read as an attacker would: base64, and itsdangerous's unsigned reading (which also
    # unpacks its zlib-compressed payloads) without knowing the key.
    padded = cookie + "=" * (-len(cookie) % 4)
    _, unsigned = URLSafeSerializer("not the key").loads_unsafe(cookie)
    for text in (cookie, base64.urlsafe_b64decode(padded).decode("latin-1"), str(unsigned)):
        assert "opad_" not in text and "ana@example.org" not in text
    assert browser.get("/account").status_code == 200  # and it still signs in


def test_a_refused_cross_site_post_leaves_the_session_alone(
    stack: Stack, browser: httpx.Client
) -> None:
    # The issue's: a refused cross-site POST answered 403 and set a fresh, empty session
    # cookie, so any site could sign a learner out.
    before = browser.cookies[COOKIE]
    for headers in ({"Sec-Fetch-Site": "cross-site"}, {"Origin": "https://evil.example"}, {}):
        refused = browser.post("/logout", data={"csrf_token": "forged"}, headers=headers)
        assert refused.status_code == 403
        assert "set-cookie" not in refused.headers
    # A browser sends no Lax cookie with another site's POST: refused, and no cookie set.
    bare = httpx.post(f"{stack.web}/logout", data={}, headers={"Sec-Fetch-Site": "cross-site"})
    assert bare.status_code == 403 and "set-cookie" not in bare.headers
    assert browser.cookies[COOKIE] == before
    assert browser.get("/account").status_code == 200  # still signed in


def test_the_page_with_a_new_secret_is_not_stored(browser: httpx.Client) -> None:
    # The issue's: the page showing a new token's secret had no Cache-Control: no-store.
    page = browser.get("/account")
    assert page.headers["cache-control"] == "no-store"
    csrf = page.text.split('name="csrf_token" value="', 1)[1].split('"', 1)[0]
    made = browser.post("/account/tokens", data={"name": "cli", "csrf_token": csrf})
    assert made.status_code == 201 and "opad_" in made.text
    assert made.headers["cache-control"] == "no-store"
