"""Identifiers compared one way, and limits that hold (issue 30, parts 3 and 4), on a
production-mode API over real HTTP, a private Redis, SQLite and PostgreSQL.

Clients are told apart by X-Forwarded-For, which the API believes from 127.0.0.1 (the
default OPAD_TRUSTED_PROXIES), as it does from the web or a reverse proxy.
"""

from __future__ import annotations

import threading
import unicodedata
from collections.abc import Iterator

import httpx
import pytest

from opad.api.app import create_app
from opad.bootstrap import Services
from opad.db.models import User
from opad.services.accounts import create_user
from tests.processes import ServerThread

PASSWORD = "correct horse battery"
BODY = {"language": "English", "level": "B1", "length": 100, "topic": "parks"}


class Api:
    def __init__(self, url: str, services: Services) -> None:
        self.url = url
        self.services = services

    def post(self, path: str, body: dict[str, object], ip: str = "198.51.100.1") -> httpx.Response:
        return httpx.post(self.url + path, json=body, headers={"X-Forwarded-For": ip}, timeout=10)

    def login(
        self, email: str, password: str = PASSWORD, ip: str = "198.51.100.1"
    ) -> httpx.Response:
        return self.post("/auth/login", {"email": email, "password": password}, ip)

    def register(self, email: str, ip: str = "198.51.100.1") -> httpx.Response:
        return self.post("/auth/register", {"email": email, "password": PASSWORD}, ip)

    def users(self) -> list[str]:
        with self.services.db.session() as session:
            emails = sorted(u.email for u in session.query(User).all())
        return [e for e in emails if not e.endswith("@opad.invalid")]  # built-in users


@pytest.fixture
def api(services: Services) -> Iterator[Api]:
    settings = services.settings
    settings.env = "production"
    settings.secret_key = "s" * 48  # type: ignore[assignment]
    settings.registration = "open"
    settings.login_max_failures_per_address = 6
    settings.login_max_failures_per_account = 9
    settings.max_queued_per_user = 5
    settings.rate_limit_per_hour = 0
    create_user(services, "alice@example.org", PASSWORD)
    with ServerThread(create_app(settings, services)) as server:
        yield Api(server.url, services)


def field_of(resp: httpx.Response) -> list[str]:
    return [f["field"] for f in resp.json().get("fields", [])]


# -- identifiers --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "look_alike",
    [
        "ａlice@example.org",  # the issue's: a full-width a
        "alice@example.org.",  # the issue's: a trailing dot (the DNS root)
        "alİce@example.org",  # the issue's: dotted capital I
        "alice@ｅｘａｍｐｌｅ.org",  # ours: a full-width domain
        "ALİCE@EXAMPLE.ORG.",  # ours: all of it at once
        "ａｌｉｃｅ＠example.org",  # ours: a full-width at sign
    ],
)
def test_a_look_alike_email_is_the_same_account(api: Api, look_alike: str) -> None:
    resp = api.register(look_alike)
    assert resp.status_code == 409, resp.text
    assert api.users() == ["alice@example.org"]
    assert api.login(look_alike).status_code == 200  # and it signs in to that account


@pytest.mark.parametrize(
    ("email", "code"),
    [
        ("ali\u200bce@example.org", "U+200B"),  # the issue's: a zero-width space
        ("alice@exa\u200dmple.org", "U+200D"),  # ours: a zero-width joiner in the domain
        ("\ufeffalice@example.org", "U+FEFF"),  # ours: a byte-order mark pasted in front
        ("alice\u202e@example.org", "U+202E"),  # ours: a right-to-left override
        ("al\u00adice@example.org", "U+00AD"),  # ours: a soft hyphen
    ],
)
def test_invisible_characters_are_refused_naming_the_field(api: Api, email: str, code: str) -> None:
    for resp in (api.register(email), api.login(email)):
        assert resp.status_code == 422, resp.text
        assert field_of(resp) == ["email"]
        assert code in resp.json()["detail"]
    assert api.users() == ["alice@example.org"]


def test_an_nfd_email_is_one_account_and_signs_in(api: Api) -> None:
    # The issue's: josé in NFD made a second account, and an NFD-registered one got 401.
    nfc, nfd = "josé@example.org", unicodedata.normalize("NFD", "josé@example.org")
    assert nfc != nfd
    assert api.register(nfd).status_code == 201
    assert api.register(nfc).status_code == 409
    assert api.login(nfd).status_code == 200
    assert api.login(nfc).status_code == 200
    assert api.login("JOSÉ@EXAMPLE.ORG").status_code == 200


def test_idna_domains_are_one_domain(api: Api) -> None:
    # Ours: the Unicode and ASCII (punycode) spellings of one domain, and its capitals.
    assert api.register("bob@bücher.de").status_code == 201
    assert api.register("bob@xn--bcher-kva.de").status_code == 409
    assert api.register("bob@BÜCHER.DE").status_code == 409
    assert api.login("bob@xn--bcher-kva.de").status_code == 200
    assert "bob@xn--bcher-kva.de" in api.users()


def test_failures_count_whatever_the_spelling(api: Api) -> None:
    # Ours: five wrong passwords spelled five ways are five failures of one email.
    spellings = ["alice@example.org", "ALICE@example.org", "ａlice@example.org",
                 "alice@example.org.", "alİce@EXAMPLE.org"]  # fmt: skip
    for email in spellings:
        assert api.login(email, "wrong password!").status_code == 401
    assert api.login("alice@example.org").status_code == 429


# -- login and registration limits --------------------------------------------------------


def test_one_ipv6_64_is_one_client(api: Api) -> None:
    # The issue's: 60 wrong passwords from one /64, each from its own address, were never
    # throttled, then the right password worked. Now the /64 is one client: 5 tries of
    # one email (OPAD_LOGIN_MAX_FAILURES).
    answers = [
        api.login("alice@example.org", "wrong password!", f"2001:db8:1:2::{n:x}").status_code
        for n in range(1, 61)
    ]
    assert answers[:5] == [401] * 5 and set(answers[5:]) == {429}
    assert api.login("alice@example.org", ip="2001:db8:1:2:ffff::1").status_code == 429
    # Another /64 (the next subscriber) is not held back by it.
    assert api.login("alice@example.org", ip="2001:db8:1:3::1").status_code == 200


def test_the_ipv6_prefix_is_configurable(api: Api) -> None:
    # Ours: an operator whose clients get a /56 each counts by /56.
    api.services.settings.login_ipv6_prefix = 56
    for n in range(6):
        assert api.login(f"x{n}@example.org", "wrong!", f"2001:db8:0:{n:x}::1").status_code == 401
    assert api.login("alice@example.org", ip="2001:db8:0:ff::1").status_code == 429
    assert api.login("alice@example.org", ip="2001:db8:0:100::1").status_code == 200


def test_an_ipv4_mapped_address_is_its_ipv4_address(api: Api) -> None:
    # Ours: ::ffff:198.51.100.9 is 198.51.100.9 (a dual-stack proxy writes either).
    for n in range(6):
        ip = "::ffff:198.51.100.9" if n % 2 else "198.51.100.9"
        assert api.login(f"u{n}@example.org", "wrong!", ip).status_code == 401
    assert api.login("alice@example.org", ip="198.51.100.9").status_code == 429
    assert api.login("alice@example.org", ip="::ffff:198.51.100.9").status_code == 429


def test_an_account_is_throttled_whatever_the_addresses(api: Api) -> None:
    # The issue's: per-account failures were never counted; a guessing spread over many
    # addresses (here nine, one try each) then found the password. The account limit is 9.
    for n in range(9):
        assert api.login("alice@example.org", "wrong!", f"203.0.113.{n + 1}").status_code == 401
    assert api.login("alice@example.org", ip="203.0.113.200").status_code == 429
    # Other accounts are not held back by it.
    assert api.register("carol@example.org", ip="192.0.2.50").status_code == 201
    assert api.login("carol@example.org", ip="203.0.113.201").status_code == 200


def test_asking_which_emails_have_accounts_is_throttled(api: Api) -> None:
    # The issue's: with registration open, 409 told anyone which emails had accounts,
    # unthrottled. Now each 409 counts as a failed sign-in of the client.
    for _ in range(6):
        assert api.register("alice@example.org", ip="192.0.2.7").status_code == 409
    refused = api.register("someone-new@example.org", ip="192.0.2.7")
    assert refused.status_code == 429 and int(refused.headers["retry-after"]) > 0
    assert "someone-new@example.org" not in api.users()
    # And the same /64 of IPv6 addresses shares one budget (ours).
    for n in range(6):
        assert api.register("alice@example.org", ip=f"2001:db8:9:9::{n + 1}").status_code == 409
    assert api.register("dave@example.org", ip="2001:db8:9:9::99").status_code == 429
    assert api.register("dave@example.org", ip="2001:db8:9:a::1").status_code == 201


# -- the queued cap -----------------------------------------------------------------------


def _at_once(count: int, fn: object) -> list[int]:
    barrier = threading.Barrier(count)
    answers: list[int] = []
    lock = threading.Lock()

    def one() -> None:
        barrier.wait()
        status = fn()  # type: ignore[operator]
        with lock:
            answers.append(status)

    threads = [threading.Thread(target=one) for _ in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    return answers


def test_thirty_concurrent_generations_never_pass_the_queued_cap(api: Api) -> None:
    # The issue's: 30 concurrent POST /generate by one user got 6-8 accepted against a cap
    # of 5. No worker runs, so every accepted job stays queued.
    token = api.login("alice@example.org").json()["token"]
    headers = {"Authorization": f"Bearer {token}"}
    with httpx.Client(base_url=api.url, headers=headers, timeout=30) as client:
        answers = _at_once(30, lambda: client.post("/generate", json=BODY).status_code)
        assert answers.count(202) == 5, answers
        assert set(answers) == {202, 429}
        assert api.services.queue.depth() == 5
        # And through the two-step path (create, then generate) too (ours).
        made = [client.post("/articles", json=BODY).json()["id"] for _ in range(3)]
        assert all(client.post(f"/articles/{a}/generate").status_code == 429 for a in made)
