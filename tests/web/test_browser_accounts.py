"""Two accounts in Chromium against the real stack in production mode: each sees only theirs."""

from __future__ import annotations

import re
import secrets
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.processes import Stack, base_env, free_port, http_ok, wait_until

from .conftest import BrowserPage

pytestmark = [pytest.mark.browser, pytest.mark.slow]

ARTICLE_URL = re.compile(r"/articles/[0-9a-f-]+$")
JOB_PATH = re.compile(r"/jobs/[0-9a-f-]+$")
PASSWORD = "a long enough password"


@pytest.fixture(scope="module")
def production_web(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """`opad api` + `opad worker` + `opad web` with OPAD_ENV=production and open registration."""
    data_dir = tmp_path_factory.mktemp("production")
    env = base_env(
        data_dir,
        OPAD_ENV="production",
        OPAD_SECRET_KEY=secrets.token_urlsafe(48)[:64],
        OPAD_REGISTRATION="open",
    )
    stack = Stack(env=env, data_dir=data_dir)
    try:
        stack.migrate()
        stack.start_api()
        stack.start("worker")
        url = f"http://127.0.0.1:{free_port()}"
        web = stack.start("web", "--port", url.rsplit(":", 1)[1])
        try:
            wait_until(lambda: http_ok(f"{url}/health"), 30, "the web to answer")
        except AssertionError as exc:
            raise AssertionError(f"{exc}\n{web.output()}") from None
        yield url
    finally:
        stack.stop()
        from opad.queue import embedded

        embedded.stop(data_dir)


def register(page: Any, web: str, email: str, screenshots: Path | None = None) -> None:
    """Open the library as a stranger, get sent to sign in, register and come back."""
    page.goto(f"{web}/library")
    assert page.url == f"{web}/login?next=%2Flibrary"
    if screenshots:
        page.screenshot(path=str(screenshots / "sign-in.png"), full_page=True)
    page.get_by_role("link", name="Register").click()
    page.fill("#email", email)
    page.fill("#password", PASSWORD)
    if screenshots:
        page.screenshot(path=str(screenshots / "register.png"), full_page=True)
    page.get_by_role("button", name="Create my account").click()
    page.wait_for_url(f"{web}/library")
    assert page.locator(".account-email").inner_text() == email


def test_two_users_see_only_their_own_readings(
    production_web: str, new_page: Any, screenshots: Path
) -> None:
    web = production_web
    ana: BrowserPage = new_page()
    bo: BrowserPage = new_page()
    seen: list[str] = []
    ana.page.on("request", lambda request: seen.append(request.url))
    console: list[str] = []
    for bp in (ana, bo):
        bp.page.on("console", lambda message: console.append(message.text))

    register(ana.page, web, "ana@example.org", screenshots)
    page = ana.page
    page.goto(web)
    page.check("input[name=level][value=A2]")
    page.fill("#length", "120")
    page.fill("#topic", "city parks")
    page.click("form.generate-form button[type=submit]")
    page.wait_for_url(ARTICLE_URL, timeout=60_000)
    article_url = page.url
    job_url = next(url for url in seen if JOB_PATH.search(url))
    assert page.locator(".article-body p").count() > 0
    page.screenshot(path=str(screenshots / "signed-in-reader.png"), full_page=True)

    register(bo.page, web, "bo@example.org")
    for url in (article_url, job_url):
        response = bo.page.goto(url)
        assert response is not None and response.status == 404, url
        assert bo.page.locator("h1").inner_text() == "Not found"
    # Not even with a valid form of Bo's own: Ana's reading is not there for Bo to delete.
    bo.page.goto(f"{web}/library")
    assert bo.page.locator("#library-count").inner_text() == "0 readings"
    token = bo.page.locator("input[name=csrf_token]").first.get_attribute("value")
    refused = bo.page.request.post(
        f"{article_url}/delete", form={"csrf_token": token or "", "confirmed": "yes"}
    )
    assert refused.status == 404

    page.goto(f"{web}/library")
    article_id = article_url.rsplit("/", 1)[1]
    assert page.locator(f"li[data-article-id='{article_id}']").is_visible()
    page.get_by_role("button", name="Sign out").click()
    page.wait_for_url(re.compile(r"/login$"))
    page.goto(f"{web}/library")
    assert page.url == f"{web}/login?next=%2Flibrary"
    assert page.locator(".account-email").count() == 0
    assert not [text for text in console if "Content Security Policy" in text], console
