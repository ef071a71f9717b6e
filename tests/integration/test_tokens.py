"""Tokens that expire and can be revoked, on a production-mode API over real HTTP, with a
controllable clock (the API runs in this process, so the test moves its time)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
import pytest

from opad.api.app import create_app
from opad.bootstrap import Services, build_services
from opad.db.migrate import upgrade
from opad.services import accounts
from opad.services.accounts import create_user
from tests.conftest import RedisServer, make_settings
from tests.processes import ServerThread

PASSWORD = "correct horse battery"


class Clock:
    """Now, as the account service sees it; `advance` moves it forward."""

    def __init__(self) -> None:
        self.now = datetime(2026, 1, 1, 12, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += timedelta(**delta)


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> Clock:
    clock = Clock()
    monkeypatch.setattr(accounts, "utcnow", clock)
    return clock


@pytest.fixture
def api(tmp_path: Path, redis_server: RedisServer, clock: Clock) -> Iterator[tuple[str, Services]]:
    settings = make_settings(
        tmp_path,
        REDIS_URL=redis_server.url,
        OPAD_ENV="production",
        OPAD_SECRET_KEY="s" * 48,
        OPAD_SESSION_IDLE_DAYS=30,
    )
    services = build_services(settings)
    upgrade(services.db.engine)
    create_user(services, "a@example.org", PASSWORD)
    with ServerThread(create_app(settings, services)) as server:
        yield server.url, services
    services.close()


def login(url: str, **extra: object) -> dict[str, object]:
    body = {"email": "a@example.org", "password": PASSWORD, **extra}
    resp = httpx.post(f"{url}/auth/login", json=body, timeout=10)
    assert resp.status_code == 200, resp.text
    return dict(resp.json())


def me(url: str, token: object) -> httpx.Response:
    return httpx.get(f"{url}/auth/me", headers={"Authorization": f"Bearer {token}"}, timeout=10)


def test_a_session_token_slides_then_expires_after_the_idle_days(
    api: tuple[str, Services], clock: Clock
) -> None:
    url, _ = api
    session = login(url, session=True, token_name="web sign-in")
    assert session["kind"] == "session" and session["state"] == "active"
    assert session["expires_at"] == "2026-01-31T12:00:00Z"
    # Used every 29 days it never expires: each use moves the end 30 days on.
    for _ in range(3):
        clock.advance(days=29)
        assert me(url, session["token"]).status_code == 200
    clock.advance(days=30, seconds=1)
    expired = me(url, session["token"])
    assert expired.status_code == 401
    assert expired.json() == {
        "error": "unauthorized",
        "detail": "the sign-in expired after 30 days without use: sign in again",
    }


def test_a_personal_token_expires_when_chosen_and_not_otherwise(
    api: tuple[str, Services], clock: Clock
) -> None:
    url, _ = api
    short = login(url, token_name="ci", expires_in_days=7)
    forever = login(url, token_name="laptop")
    assert short["kind"] == "personal" and short["expires_at"] == "2026-01-08T12:00:00Z"
    assert forever["expires_at"] is None
    clock.advance(days=6, hours=23)
    assert me(url, short["token"]).status_code == 200
    clock.advance(hours=1)
    refused = me(url, short["token"])
    assert refused.status_code == 401
    assert refused.json()["detail"] == "the token expired on 2026-01-08 12:00 UTC: make a new token"
    clock.advance(days=400)
    assert me(url, forever["token"]).status_code == 200
    # The list says which is which.
    headers = {"Authorization": f"Bearer {forever['token']}"}
    listed = httpx.get(f"{url}/auth/tokens", headers=headers, timeout=10).json()
    assert {t["name"]: t["state"] for t in listed} == {"ci": "expired", "laptop": "active"}


def test_expiry_days_are_checked(api: tuple[str, Services]) -> None:
    url, _ = api
    token = login(url)["token"]
    headers = {"Authorization": f"Bearer {token}"}
    for days in (0, -1, 3651, "soon"):
        resp = httpx.post(
            f"{url}/auth/tokens", json={"name": "x", "expires_in_days": days}, headers=headers
        )
        assert resp.status_code == 422, resp.text
        assert [f["field"] for f in resp.json()["fields"]] == ["expires_in_days"]
    made = httpx.post(
        f"{url}/auth/tokens", json={"name": "x", "expires_in_days": 1}, headers=headers
    )
    assert made.status_code == 201 and made.json()["expires_at"] is not None


def test_a_revoked_token_says_so_and_others_keep_working(api: tuple[str, Services]) -> None:
    url, _ = api
    first, second = login(url, token_name="one"), login(url, token_name="two")
    headers = {"Authorization": f"Bearer {second['token']}"}
    gone = httpx.delete(f"{url}/auth/tokens/{first['id']}", headers=headers, timeout=10)
    assert gone.status_code == 204
    refused = me(url, first["token"])
    assert refused.status_code == 401
    assert refused.json()["detail"] == "the token was revoked: sign in again or make a new token"
    assert me(url, second["token"]).status_code == 200
    unknown = me(url, "opad_not-a-real-token")
    assert unknown.status_code == 401 and "not valid" in unknown.json()["detail"]


def test_me_answers_the_real_created_at(api: tuple[str, Services], clock: Clock) -> None:
    url, services = api
    user = accounts.user_by_email(services, "a@example.org")
    assert user is not None
    answer = me(url, login(url)["token"]).json()
    assert answer["created_at"] is not None
    assert datetime.fromisoformat(answer["created_at"]) == user.created_at
    assert answer["email"] == "a@example.org" and answer["id"] == user.id


def test_long_ended_tokens_are_purged_and_live_ones_kept(
    api: tuple[str, Services], clock: Clock
) -> None:
    url, services = api
    revoked = login(url, token_name="revoked")
    login(url, token_name="idle session", session=True)
    login(url, token_name="week", expires_in_days=7)
    login(url, token_name="forever")
    busy = login(url, token_name="busy session", session=True)
    headers = {"Authorization": f"Bearer {busy['token']}"}
    assert httpx.delete(f"{url}/auth/tokens/{revoked['id']}", headers=headers).status_code == 204
    # Day 29: ended, but recently (revoked on day 0, the week on day 7): still listed, so
    # the learner sees what ended.
    clock.advance(days=29)
    assert me(url, busy["token"]).status_code == 200
    assert accounts.purge_ended_tokens(services) == 0
    # Day 38: the revoked token and the week's go; the idle session ended on day 30 only.
    clock.advance(days=9)
    assert me(url, busy["token"]).status_code == 200
    assert accounts.purge_ended_tokens(services) == 2
    # Day 61: the idle session goes too; the busy one is used, and "forever" stays.
    clock.advance(days=23)
    assert accounts.purge_ended_tokens(services) == 1
    listed = httpx.get(f"{url}/auth/tokens", headers=headers, timeout=10).json()
    assert sorted(t["name"] for t in listed) == ["busy session", "forever"]
