"""Accounts in the web: sign-in cookie, bearer token to the API, 401 → sign-in, CSRF, limits."""

from __future__ import annotations

import re
from http.cookies import SimpleCookie
from urllib.parse import quote

import httpx
import pytest
from fastapi import FastAPI

from opad.settings import Settings
from opad.web.app import create_app
from opad.web.deps import safe_next
from opad.web.session import COOKIE

from .conftest import WebClient
from .fake_api import FAIL_STEPS, FakeApi

GOOD_FORM = {"language": "German", "level": "B2", "length": "300", "topic": "city parks"}
PASSWORD = "correct horse battery"


def session_cookie(response: httpx.Response) -> dict[str, str]:
    """The attributes of the session cookie the response sets ('value' included)."""
    for header in response.headers.get_list("set-cookie"):
        jar: SimpleCookie = SimpleCookie()
        jar.load(header)
        if COOKIE in jar:
            morsel = jar[COOKIE]
            attributes = {key: str(value) for key, value in morsel.items() if value}
            return {"value": morsel.value, **attributes}
    raise AssertionError(f"no {COOKIE} cookie in {response.headers.get_list('set-cookie')}")


@pytest.fixture
def production(fake: FakeApi) -> FakeApi:
    """The fake API as in production: no token, no articles."""
    fake.require_auth = True
    return fake


# --- signing in -------------------------------------------------------------------------


def test_login_sets_an_httponly_lax_cookie_and_the_token_reaches_the_api(
    client: WebClient, production: FakeApi
) -> None:
    production.add_user("ana@example.org")
    response = client.post(
        "/login", data={"email": "ana@example.org", "password": PASSWORD, "next": "/library"}
    )
    assert response.status_code == 303 and response.headers["location"] == "/library"
    cookie = session_cookie(response)
    assert cookie["httponly"] and cookie["samesite"] == "Lax" and cookie["path"] == "/"
    assert "secure" not in cookie  # plain http: a Secure cookie would never come back
    (secret,) = production.tokens
    assert secret not in response.text  # the token lives in the signed cookie only

    html = client.get("/library").text
    assert ("/articles", f"Bearer {secret}") in production.authorizations
    assert "ana@example.org" in html and ">Sign out</button>" in html
    assert 'action="/logout"' in html


def test_the_cookie_is_secure_behind_an_https_proxy(client: WebClient, production: FakeApi) -> None:
    production.add_user("ana@example.org")
    token = client.csrf_token()
    response = client.post(
        "/login",
        data={"email": "ana@example.org", "password": PASSWORD, "csrf_token": token},
        headers={"X-Forwarded-Proto": "https"},
    )
    assert response.status_code == 303
    cookie = session_cookie(response)
    assert cookie["secure"] and cookie["httponly"] and cookie["samesite"] == "Lax"


@pytest.mark.parametrize(
    ("path", "next_path"),
    [
        ("/library", "/library"),
        ("/library?level=B1&page=2", "/library?level=B1&page=2"),
        ("/articles/abc", "/articles/abc"),
        ("/jobs/abc", "/jobs/abc"),
        ("/", "/"),
    ],
)
def test_pages_send_strangers_to_sign_in_and_back(
    client: WebClient, production: FakeApi, path: str, next_path: str
) -> None:
    response = client.get(path)
    assert response.status_code == 303
    assert response.headers["location"] == f"/login?next={quote(next_path, safe='')}"
    login = client.get(response.headers["location"])
    assert f'name="next" value="{next_path.replace("&", "&amp;")}"' in login.text

    production.add_user("ana@example.org")
    back = client.post(
        "/login", data={"email": "ana@example.org", "password": PASSWORD, "next": next_path}
    )
    assert back.headers["location"] == next_path


def test_json_and_streams_answer_401_instead_of_redirecting(
    client: WebClient, production: FakeApi
) -> None:
    article = production.add_article()
    job_id = production.start_job(article["id"], [(0, "queued", 0, "Job queued...")])
    for path in (f"/jobs/{job_id}/status.json", f"/jobs/{job_id}/events"):
        response = client.get(path)
        assert response.status_code == 401 and response.json()["error"] == "unauthorized"


def test_a_form_post_without_sign_in_goes_to_sign_in(
    client: WebClient, production: FakeApi
) -> None:
    response = client.post("/generate", data=GOOD_FORM)
    assert response.status_code == 303 and response.headers["location"] == "/login?next=%2F"
    assert not production.jobs


@pytest.mark.parametrize(
    "target",
    ["https://evil.example/", "//evil.example/x", "/\\evil.example", "javascript:alert(1)",
     "/login", "library", "/ok\r\nSet-Cookie: x=1"],
)  # fmt: skip
def test_only_same_site_next_values_are_honoured(
    client: WebClient, production: FakeApi, target: str
) -> None:
    production.add_user("ana@example.org")
    response = client.post(
        "/login", data={"email": "ana@example.org", "password": PASSWORD, "next": target}
    )
    assert response.status_code == 303 and response.headers["location"] == "/"
    assert safe_next(target) == "/"


def test_wrong_password_and_login_throttling_are_explained(
    client: WebClient, production: FakeApi
) -> None:
    production.add_user("ana@example.org")
    for _ in range(5):
        response = client.post("/login", data={"email": "ana@example.org", "password": "nope"})
        assert response.status_code == 401 and "Wrong email or password." in response.text
        assert 'value="ana@example.org"' in response.text  # kept for the next try
    throttled = client.post("/login", data={"email": "ana@example.org", "password": PASSWORD})
    assert throttled.status_code == 429
    assert "Too many failed logins: try again later (in about 15 minutes)." in throttled.text
    assert not production.tokens


def test_logout_revokes_the_token_and_clears_the_cookie(
    client: WebClient, production: FakeApi
) -> None:
    production.add_user("ana@example.org")
    client.sign_in("ana@example.org")
    (token,) = production.tokens.values()
    response = client.post("/logout")
    assert response.status_code == 303
    assert token["revoked"]
    # This web was not told the API wants sign-in, so it goes home and the API's 401 there
    # sends it on to the sign-in page.
    landing = client.get(response.headers["location"], follow_redirects=True)
    assert landing.url.path == "/login" and "Sign out" not in landing.text
    cookie = session_cookie(response)
    assert cookie["value"] == "" and cookie["max-age"] == "0"
    assert client.get("/library").headers["location"] == "/login?next=%2Flibrary"


def test_a_token_revoked_elsewhere_sends_the_browser_to_sign_in(
    client: WebClient, production: FakeApi
) -> None:
    production.add_user("ana@example.org")
    client.sign_in("ana@example.org")
    for token in production.tokens.values():
        token["revoked"] = True  # e.g. with `DELETE /auth/tokens/{id}` from the CLI
    response = client.get("/library")
    # `ended=1`: the sign-in page says the earlier sign-in ended (expired or revoked).
    assert response.headers["location"] == "/login?next=%2Flibrary&ended=1"
    assert "ana@example.org" not in client.get("/login").text  # the dead token is forgotten


def test_a_tampered_cookie_counts_as_no_session(client: WebClient, production: FakeApi) -> None:
    production.add_user("ana@example.org")
    client.sign_in("ana@example.org")
    value = client.cookies[COOKIE]
    client.cookies.set(COOKIE, value[:-3] + ("AAA" if not value.endswith("AAA") else "BBB"))
    assert client.get("/library").status_code == 303


def test_without_required_auth_nothing_asks_to_sign_in(client: WebClient, fake: FakeApi) -> None:
    fake.add_article(title="Local reading")
    html = client.get("/library").text
    assert "Local reading" in html and "Sign in" not in html and "Sign out" not in html
    assert ("/articles", None) in fake.authorizations  # anonymous: the local user


def test_the_web_learns_from_the_api_that_sign_in_is_needed(
    client: WebClient, production: FakeApi
) -> None:
    # This web runs with development settings; the API's 401 alone tells it.
    assert client.get("/library").status_code == 303
    assert client.get("/").headers["location"] == "/login?next=%2F"
    assert 'href="/login">Sign in</a>' in client.get("/nowhere").text


def test_production_without_a_secret_key_refuses_to_start() -> None:
    settings = Settings(_env_file=None, OPAD_ENV="production")  # type: ignore[call-arg]
    with pytest.raises(ValueError, match="OPAD_SECRET_KEY"):
        create_app(settings)
    key = "k" * 64
    app = create_app(Settings(_env_file=None, OPAD_ENV="production", OPAD_SECRET_KEY=key))  # type: ignore[call-arg]
    assert isinstance(app, FastAPI) and app.state.auth_required


# --- registering ------------------------------------------------------------------------


def test_register_creates_the_account_and_signs_in(client: WebClient, production: FakeApi) -> None:
    page = client.get("/register?next=/library")
    assert 'name="email"' in page.text and 'autocomplete="new-password"' in page.text
    response = client.post(
        "/register", data={"email": "bo@example.org", "password": PASSWORD, "next": "/library"}
    )
    assert response.status_code == 303 and response.headers["location"] == "/library"
    assert "bo@example.org" in production.users and len(production.tokens) == 1
    assert "bo@example.org" in client.get("/library").text


def test_register_shows_the_apis_answers(client: WebClient, production: FakeApi) -> None:
    short = client.post("/register", data={"email": "bo@example.org", "password": "short"})
    assert short.status_code == 422
    assert '<p class="field-error" id="password-error">must be at least 10' in short.text

    production.add_user("bo@example.org")
    taken = client.post("/register", data={"email": "bo@example.org", "password": PASSWORD})
    assert taken.status_code == 409 and "exists already" in taken.text

    production.registration_open = False
    closed = client.post("/register", data={"email": "cy@example.org", "password": PASSWORD})
    assert closed.status_code == 403
    assert "Registration is closed: ask an administrator for an account." in closed.text
    assert "cy@example.org" not in production.users


# --- CSRF -------------------------------------------------------------------------------


def _form_posts(fake: FakeApi) -> list[tuple[str, dict[str, str]]]:
    article = fake.add_article()
    return [
        ("/generate", GOOD_FORM),
        (f"/articles/{article['id']}/generate", {}),
        (f"/articles/{article['id']}/delete", {"confirmed": "yes"}),
        ("/login", {"email": "ana@example.org", "password": PASSWORD}),
        ("/register", {"email": "new@example.org", "password": PASSWORD}),
        ("/logout", {}),
    ]


@pytest.mark.parametrize("index", range(6), ids=["generate", "try-again", "delete", "login",
                                                  "register", "logout"])  # fmt: skip
@pytest.mark.parametrize("token", ["missing", "forged", "other-session"])
def test_form_posts_without_this_sessions_csrf_token_are_refused(
    client: WebClient, fake_web: str, fake: FakeApi, index: int, token: str
) -> None:
    fake.add_user("ana@example.org")
    path, data = _form_posts(fake)[index]
    before = (len(fake.jobs), len(fake.articles), len(fake.users), len(fake.tokens))
    client.get("/login")  # the session exists; only the token is wrong
    if token == "missing":
        response = client.post(path, data=data, csrf=False)
    elif token == "forged":
        response = client.post(path, data={**data, "csrf_token": "0" * 64})
    else:
        with WebClient(base_url=fake_web, timeout=10) as other:
            response = client.post(path, data={**data, "csrf_token": other.csrf_token()})
    assert response.status_code == 403
    assert "The form expired, reload and try again" in response.text
    assert (len(fake.jobs), len(fake.articles), len(fake.users), len(fake.tokens)) == before
    assert not any(method == "DELETE" for method, _ in fake.requests)


@pytest.mark.parametrize("index", range(6), ids=["generate", "try-again", "delete", "login",
                                                  "register", "logout"])  # fmt: skip
def test_form_posts_with_the_csrf_token_pass(client: WebClient, fake: FakeApi, index: int) -> None:
    fake.add_user("ana@example.org")
    path, data = _form_posts(fake)[index]
    response = client.post(path, data=data)
    assert response.status_code == 303, response.text


def test_every_post_form_carries_the_csrf_token(client: WebClient, fake: FakeApi) -> None:
    ana = fake.add_user("ana@example.org")
    client.sign_in("ana@example.org")
    article = fake.add_article(owner=ana["id"])
    failed = fake.add_article(content=None, status="failed", owner=ana["id"])
    job_id = fake.start_job(failed["id"], FAIL_STEPS)
    fake.jobs[job_id]["t0"] -= 10  # long failed: the page shows "Try again"
    token = client.csrf_token()
    pages = {  # path: its post forms, the header's "Sign out" included (a reading: audio,
        # quiz, delete; "mark known" asks first, on a page of its own)
        "/": 2, "/library": 3, f"/articles/{article['id']}": 4, f"/articles/{failed['id']}": 3,
        f"/articles/{article['id']}/delete": 2, f"/jobs/{job_id}": 2, "/login": 2,
        "/register": 2,
    }  # fmt: skip
    for path, count in pages.items():
        html = client.get(path).text
        forms = re.findall(r'<form[^>]*method="post"[^>]*>.*?</form>', html, flags=re.S)
        assert len(forms) == count, path
        for form in forms:
            assert f'name="csrf_token" value="{token}"' in form, (path, form[:80])


def test_sign_in_pages_have_no_inline_script_or_style(client: WebClient) -> None:
    for path in ("/login", "/register"):
        response = client.get(path)
        csp = response.headers["content-security-policy"]
        assert "script-src 'self'" in csp and "unsafe-inline" not in csp
        html = response.text
        assert re.findall(r"<script(?![^>]*\bsrc=)", html) == []
        assert re.findall(r"\son[a-z]+=", html) == [] and " style=" not in html
        assert "<style" not in html


# --- limits and refused inputs ----------------------------------------------------------


def test_a_rate_limit_is_shown_on_the_form(client: WebClient, fake: FakeApi) -> None:
    fake.limited = "at most 20 readings per hour: the next one is possible in 120 s"
    response = client.post("/generate", data=GOOD_FORM)
    assert response.status_code == 429 and response.headers["retry-after"] == "120"
    notice = response.text.split('id="form-notice"', 1)[1].split("</div>", 1)[0]
    assert "At most 20 readings per hour: the next one is possible in 120 s." in notice
    assert 'value="city parks"' in response.text  # the form keeps what was typed
    assert not fake.jobs


def test_a_rate_limit_on_try_again_gets_a_friendly_page(client: WebClient, fake: FakeApi) -> None:
    article = fake.add_article(content=None, status="failed")
    fake.limited = (
        "you have 5 readings waiting or being made (at most 5): try again when one is ready"
    )
    response = client.post(f"/articles/{article['id']}/generate")
    assert response.status_code == 429 and response.headers["retry-after"] == "120"
    assert "Please wait a little" in response.text
    assert "You have 5 readings waiting or being made (at most 5)" in response.text


def test_a_refused_source_url_is_shown_next_to_its_field(client: WebClient, fake: FakeApi) -> None:
    form = {**GOOD_FORM, "topic": "", "source_url": "http://127.0.0.1:8001/articles"}
    response = client.post("/generate", data=form)
    assert response.status_code == 422
    assert re.search(r'id="source_url"[^>]*aria-invalid="true"', response.text)
    assert re.search(
        r'<p class="field-error" id="source_url-error">127\.0\.0\.1 resolves to 127\.0\.0\.1, '
        r"a loopback address",
        response.text,
    )
    assert '<details class="own-text" open>' in response.text


def test_an_oversized_form_is_refused_before_reaching_the_api(
    client: WebClient, fake: FakeApi
) -> None:
    response = client.post("/generate", data={**GOOD_FORM, "source_text": "x" * 3_100_000})
    assert response.status_code == 413 and not fake.jobs
    assert ("POST", "/generate") not in fake.requests


# --- ownership --------------------------------------------------------------------------


def test_another_users_things_are_404_everywhere(
    client: WebClient, fake_web: str, production: FakeApi
) -> None:
    production.add_user("ana@example.org")
    production.add_user("bo@example.org")
    client.sign_in("ana@example.org")
    job_url = client.post("/generate", data=GOOD_FORM).headers["location"]
    article_id = client.get(f"{job_url}/status.json").json()["article_id"]

    with WebClient(base_url=fake_web, timeout=10) as bo:
        bo.sign_in("bo@example.org")
        for path in (job_url, f"{job_url}/status.json", f"{job_url}/events",
                     f"/articles/{article_id}", f"/articles/{article_id}/delete"):  # fmt: skip
            assert bo.get(path).status_code == 404, path
        for path in (f"/articles/{article_id}/generate", f"/articles/{article_id}/delete"):
            assert bo.post(path, data={"confirmed": "yes"}).status_code == 404, path
        assert article_id not in bo.get("/library").text
        assert "0 readings" in bo.get("/library").text
    assert article_id in production.articles and len(production.jobs) == 1
    assert article_id in client.get("/library").text
