"""Sign-in throttling counts the learner's own address, through the web, with real
processes (`opad api`, `opad web`) and real source addresses on the loopback network:
a stranger at 127.0.0.3 cannot lock out the owner at 127.0.0.2, and nobody untrusted can
pretend to be someone else with an X-Forwarded-For header."""

from __future__ import annotations

import re
import secrets
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass, field

import httpx
import pytest

from tests.processes import OPAD, Service, Stack, base_env, free_port, http_ok, wait_until

VICTIM = "victim@example.org"
PASSWORD = "the victim's password"
PROXY = "127.0.0.6"  # plays a reverse proxy in front of the web


@dataclass
class Deployment:
    stack: Stack
    api: Service
    web_url: str
    browsers: list[Browser] = field(default_factory=list)

    def browser(self, address: str) -> Browser:
        """A browser whose connections come from `address` (closed after the test)."""
        self.browsers.append(Browser(self, address))
        return self.browsers[-1]

    def close_browsers(self) -> None:
        for browser in self.browsers:
            browser.http.close()
        self.browsers.clear()


class Browser:
    """A form-posting web client whose TCP connections leave from a given source address."""

    def __init__(self, deployment: Deployment, address: str) -> None:
        self.deployment = deployment
        self.address = address
        self.http = httpx.Client(
            base_url=deployment.web_url,
            transport=httpx.HTTPTransport(local_address=address),
            timeout=15,
        )

    def sign_in(self, email: str, password: str, **headers: str) -> httpx.Response:
        page = self.http.get("/login")
        csrf = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
        assert csrf, page.text
        form = {"email": email, "password": password, "csrf_token": csrf.group(1)}
        return self.http.post("/login", data=form, headers=headers)


@pytest.fixture(scope="module")
def deployment(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Deployment]:
    """Production mode on SQLite and the embedded Redis; 3 failures per email and address,
    6 per address; the web trusts the API's default (127.0.0.1) and PROXY."""
    data_dir = tmp_path_factory.mktemp("client-address")
    env = base_env(
        data_dir,
        OPAD_ENV="production",
        OPAD_SECRET_KEY=secrets.token_urlsafe(48),
        OPAD_LOGIN_MAX_FAILURES="3",
        OPAD_LOGIN_MAX_FAILURES_PER_ADDRESS="6",
        OPAD_TRUSTED_PROXIES=f"127.0.0.1,{PROXY}",
    )
    stack = Stack(env=env, data_dir=data_dir)
    try:
        stack.migrate()
        subprocess.run(
            [*OPAD, "user", "create", VICTIM],
            env={**env, "OPAD_NEW_USER_PASSWORD": PASSWORD},
            check=True,
            capture_output=True,
        )
        api_port, web_port = free_port(), free_port()
        stack.api_url = env["OPAD_API_URL"] = f"http://127.0.0.1:{api_port}"
        api = stack.start("api", "--port", str(api_port))
        web = stack.start("web", "--port", str(web_port))
        url = f"http://127.0.0.1:{web_port}"
        for service, health in ((api, stack.api_url), (web, url)):
            try:  # generous: on a busy 2-core machine the imports alone can take a while
                wait_until(lambda h=health: http_ok(f"{h}/health"), 120, f"{service.name}")
            except AssertionError as exc:
                raise AssertionError(f"{exc}\n{service.output()}") from None
        yield Deployment(stack, api, url)
    finally:
        stack.stop()
        from opad.queue import embedded

        embedded.stop(data_dir)


@pytest.fixture(autouse=True)
def _close_browsers(deployment: Deployment) -> Iterator[None]:
    yield
    deployment.close_browsers()


def signed_in(resp: httpx.Response) -> bool:
    return resp.status_code == 303 and resp.headers["location"] == "/"


def test_a_stranger_is_throttled_while_the_owner_still_signs_in(deployment: Deployment) -> None:
    attacker, victim = deployment.browser("127.0.0.3"), deployment.browser("127.0.0.2")
    for _ in range(3):
        assert attacker.sign_in(VICTIM, "a wrong guess").status_code == 401
    # The stranger is stopped, even with the right password…
    throttled = attacker.sign_in(VICTIM, PASSWORD)
    assert throttled.status_code == 429
    assert "Too many failed sign-ins" in throttled.text
    # …while the owner, from their own address, signs in at once.
    assert signed_in(victim.sign_in(VICTIM, PASSWORD))
    assert victim.http.get("/account").status_code == 200
    # The API saw each browser's own address, not the web's.
    log = deployment.api.output()
    assert f"failed login email={VICTIM} ip=127.0.0.3" in log
    assert "ip=127.0.0.1" not in log


def test_an_untrusted_client_cannot_borrow_another_address(deployment: Deployment) -> None:
    attacker = deployment.browser("127.0.0.4")
    for _ in range(3):
        assert attacker.sign_in(VICTIM, "another wrong guess").status_code == 401
    # Claiming to be someone else, to the web: 127.0.0.4 is no proxy of ours, ignored.
    spoofed = attacker.sign_in(VICTIM, PASSWORD, **{"X-Forwarded-For": "127.0.0.2"})
    assert spoofed.status_code == 429
    # Nor straight to the API.
    transport = httpx.HTTPTransport(local_address="127.0.0.4")
    with httpx.Client(transport=transport, timeout=15) as http:
        direct = http.post(
            f"{deployment.stack.api_url}/auth/login",
            json={"email": VICTIM, "password": PASSWORD},
            headers={"X-Forwarded-For": "198.51.100.9"},
        )
    assert direct.status_code == 429, direct.text


def test_one_address_guessing_many_accounts_is_throttled(deployment: Deployment) -> None:
    guesser, victim = deployment.browser("127.0.0.5"), deployment.browser("127.0.0.2")
    for n in range(6):  # 6 different emails, each under its own limit of 3
        assert guesser.sign_in(f"someone{n}@example.org", "guess").status_code == 401
    assert guesser.sign_in("someone-else@example.org", "guess").status_code == 429
    # Signing in to an account of its own does not reset the address's count.
    assert guesser.sign_in(VICTIM, PASSWORD).status_code == 429
    assert signed_in(victim.sign_in(VICTIM, PASSWORD))


def test_behind_a_trusted_reverse_proxy_the_browser_address_counts(
    deployment: Deployment,
) -> None:
    proxy = deployment.browser(PROXY)
    browser_a = {"X-Forwarded-For": "203.0.113.7"}
    browser_b = {"X-Forwarded-For": "203.0.113.8"}
    for _ in range(3):
        assert proxy.sign_in(VICTIM, "wrong via the proxy", **browser_a).status_code == 401
    assert proxy.sign_in(VICTIM, PASSWORD, **browser_a).status_code == 429
    proxy.http.cookies.clear()
    assert signed_in(proxy.sign_in(VICTIM, PASSWORD, **browser_b))
    assert f"failed login email={VICTIM} ip=203.0.113.7" in deployment.api.output()
