"""Browser sign-ins as expiring, revocable tokens: the real web in front of the real API
(production mode, in this process over real HTTP, so the test controls the clock)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest

from opad.api.app import create_app as create_api
from opad.bootstrap import Services, build_services
from opad.db.migrate import upgrade
from opad.services import accounts
from opad.web.app import create_app as create_web
from tests.conftest import RedisServer, make_settings
from tests.integration.test_tokens import Clock
from tests.processes import ServerThread

PASSWORD = "correct horse battery"
EMAIL = "ana@example.org"


@dataclass
class Site:
    web: str
    services: Services
    user_id: str

    def tokens(self) -> list[dict[str, Any]]:
        return accounts.list_tokens(self.services, self.user_id)


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> Clock:
    clock = Clock()
    monkeypatch.setattr(accounts, "utcnow", clock)
    return clock


@pytest.fixture
def site(tmp_path: Path, redis_server: RedisServer, clock: Clock) -> Iterator[Site]:
    settings = make_settings(
        tmp_path,
        REDIS_URL=redis_server.url,
        OPAD_ENV="production",
        OPAD_SECRET_KEY="k" * 48,
        OPAD_SESSION_IDLE_DAYS=30,
    )
    services = build_services(settings)
    upgrade(services.db.engine)
    user = accounts.create_user(services, EMAIL, PASSWORD)
    with ServerThread(create_api(settings, services)) as api:
        web_settings = settings.model_copy(update={"api_url": api.url})
        with ServerThread(create_web(web_settings)) as web:
            yield Site(web.url, services, user.id)
    services.close()


class Browser(httpx.Client):
    def form_token(self, path: str = "/login") -> str:
        found = re.search(r'name="csrf_token" value="([^"]+)"', self.get(path).text)
        assert found, f"no CSRF token on {path}"
        return found.group(1)

    def sign_in(self) -> httpx.Response:
        data = {"email": EMAIL, "password": PASSWORD, "csrf_token": self.form_token()}
        return self.post("/login", data=data)


@pytest.fixture
def visitor(site: Site) -> Iterator[Browser]:
    """An HTTP client of the web that keeps its cookies, like a visitor."""
    with Browser(base_url=site.web, timeout=15) as client:
        yield client


def states(site: Site) -> list[tuple[str, str]]:
    return [(t["kind"], t["state"]) for t in site.tokens()]


def test_signing_in_again_or_out_revokes_the_cookies_token(site: Site, visitor: Browser) -> None:
    assert visitor.sign_in().status_code == 303
    assert states(site) == [("session", "active")]
    # Signing in again replaces the cookie: the token it held is revoked, not left behind.
    assert visitor.sign_in().status_code == 303
    assert states(site) == [("session", "revoked"), ("session", "active")]
    assert visitor.get("/library").status_code == 200
    # Signing out revokes the current one.
    visitor.post("/logout", data={"csrf_token": visitor.form_token("/library")})
    assert states(site) == [("session", "revoked"), ("session", "revoked")]
    assert visitor.get("/library").headers["location"] == "/login?next=%2Flibrary"


def test_an_idle_sign_in_expires_and_the_browser_is_sent_to_sign_in(
    site: Site, visitor: Browser, clock: Clock
) -> None:
    assert visitor.sign_in().status_code == 303
    clock.advance(days=29)
    assert visitor.get("/library").status_code == 200  # used: the 30 days start again
    clock.advance(days=29)
    assert visitor.get("/library").status_code == 200
    clock.advance(days=30, minutes=1)
    refused = visitor.get("/library")
    assert refused.status_code == 303
    assert refused.headers["location"] == "/login?next=%2Flibrary&ended=1"
    assert "Your sign-in has ended" in visitor.get(refused.headers["location"]).text
    assert states(site) == [("session", "expired")]


def test_the_account_page_lists_makes_and_revokes_tokens(site: Site, visitor: Browser) -> None:
    visitor.sign_in()
    page = visitor.get("/account")
    assert page.status_code == 200
    assert f'id="account-email">{EMAIL}<' in page.text
    assert 'id="account-since">1 January 2026<' in page.text
    assert "this browser" in page.text and "Browser sign-in" in page.text
    # Bad input names the field; nothing is made.
    token = visitor.form_token("/account")
    bad = visitor.post(
        "/account/tokens", data={"name": "ci", "expires_in_days": "0", "csrf_token": token}
    )
    assert bad.status_code == 422 and "Enter a number of days from 1 to 3650" in bad.text
    made = visitor.post(
        "/account/tokens", data={"name": "ci", "expires_in_days": "7", "csrf_token": token}
    )
    assert made.status_code == 201
    secret = re.search(r'id="new-token-secret">(opad_[^<]+)<', made.text)
    assert secret and "8 January 2026" in made.text
    ci = next(t for t in site.tokens() if t["name"] == "ci")
    assert ci["kind"] == "personal" and ci["state"] == "active"
    assert ci["id"] in visitor.get("/account").text
    # Revoke it from the page.
    revoked = visitor.post(f"/account/tokens/{ci['id']}/revoke", data={"csrf_token": token})
    assert revoked.status_code == 303 and revoked.headers["location"] == "/account"
    assert next(t for t in site.tokens() if t["id"] == ci["id"])["state"] == "revoked"
    # Revoking this browser's own sign-in signs it out.
    own = next(t for t in site.tokens() if t["kind"] == "session")
    out = visitor.post(f"/account/tokens/{own['id']}/revoke", data={"csrf_token": token})
    assert out.headers["location"] == "/login"
    assert visitor.get("/account").headers["location"] == "/login?next=%2Faccount"
    # Without the form's token nothing is revoked.
    visitor.sign_in()
    again = next(t for t in site.tokens() if t["state"] == "active")
    forged = visitor.post(f"/account/tokens/{again['id']}/revoke", data={})
    assert forged.status_code == 403
    assert next(t for t in site.tokens() if t["id"] == again["id"])["state"] == "active"


@pytest.mark.browser
def test_in_chromium_the_account_page_makes_and_revokes_a_token(
    site: Site, web_page: Any, screenshots: Path
) -> None:
    page = web_page.page
    page.goto(f"{site.web}/login")
    page.fill("#email", EMAIL)
    page.fill("#password", PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.get_by_role("link", name=EMAIL).click()
    page.wait_for_url(f"{site.web}/account")
    assert page.locator("tr.token-active").count() == 1
    assert "this browser" in page.locator("tr.token-active").inner_text()
    page.fill("#token-name", "my laptop")
    page.fill("#token-days", "30")
    page.get_by_role("button", name="Make a token").click()
    secret = page.locator("#new-token-secret").inner_text()
    assert secret.startswith("opad_")
    page.screenshot(path=str(screenshots / "account-tokens.png"), full_page=True)
    made = next(t for t in site.tokens() if t["name"] == "my laptop")
    page.get_by_role("button", name=f"Revoke my laptop ({made['prefix']}…)").click()
    page.wait_for_url(f"{site.web}/account")
    row = page.locator(f'tr[data-token-id="{made["id"]}"]')
    assert row.locator(".token-state").inner_text() == "Revoked"
    assert next(t for t in site.tokens() if t["id"] == made["id"])["state"] == "revoked"
