"""Issue 33, item 12 in Chromium against real processes: on a local install (development
mode), registering no longer hides the readings and words made before — the web offers to
move them into the new account, and then they are there."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.e2e.helpers import follow
from tests.processes import Stack, base_env, free_port, http_ok, wait_until

from .conftest import BrowserPage

pytestmark = [pytest.mark.browser, pytest.mark.slow]

PASSWORD = "a long enough password"
TEXT = "The town has a new library. Children read there every afternoon after school."


@pytest.fixture
def local_web(tmp_path: Path) -> Iterator[tuple[Stack, str]]:
    """api + worker + web of a local install (no sign-in required), for this test alone:
    it moves every local reading into an account."""
    stack = Stack(env=base_env(tmp_path), data_dir=tmp_path)
    try:
        stack.migrate()
        stack.start_api()
        stack.start("worker")
        url = f"http://127.0.0.1:{free_port()}"
        stack.start("web", "--port", url.rsplit(":", 1)[1])
        wait_until(lambda: http_ok(f"{url}/health"), 60, "the web to answer")
        yield stack, url
    finally:
        stack.stop()
        from opad.queue import embedded

        embedded.stop(tmp_path)


def test_register_offers_to_move_what_was_made_before(
    local_web: tuple[Stack, str], web_page: BrowserPage, screenshots: Path
) -> None:
    stack, web = local_web
    api = stack.api_url
    # Made without an account: a reading, two words and a quiz answer.
    job = httpx.post(
        f"{api}/generate",
        json={"language": "English", "level": "A2", "length": 50, "source_text": TEXT},
        timeout=60,
    ).json()
    status, _ = follow(api, job["job_id"], timeout=120)
    assert status["status"] == "succeeded", status
    for word in ("library", "afternoon"):
        httpx.post(
            f"{api}/words", json={"language": "en", "word": word, "state": "learning"}, timeout=60
        ).raise_for_status()

    page = web_page.page
    page.goto(f"{web}/register")
    page.fill("#email", "ana@example.org")
    page.fill("#password", PASSWORD)
    page.get_by_role("button", name="Create my account").click()
    page.wait_for_url(f"{web}/account/local-data")
    found = page.locator("#local-found").inner_text()
    assert "1 reading" in found and "2 words" in found, found
    page.screenshot(path=str(screenshots / "local-data-offer.png"))
    # "Not now", then from the account page, where the offer stays until taken.
    page.get_by_role("link", name="Not now").click()
    page.goto(f"{web}/account")
    assert "1 reading and 2 words" in page.locator("#account-local-data").inner_text()
    page.get_by_role("link", name="Move them into this account").click()
    page.get_by_role("button", name="Move them into my account").click()
    page.wait_for_url(f"{web}/account/local-data?moved=*")
    assert page.locator("#local-moved").inner_text().startswith("1 reading and 2 words")

    page.goto(f"{web}/library")
    assert page.locator(f".library-item[data-article-id='{job['article_id']}']").count() == 1
    page.goto(f"{web}/words")
    listed = page.locator(".word-item").all_inner_texts()
    assert len(listed) == 2 and any("afternoon" in t for t in listed)
    # Nothing is left to move, and a second account is offered nothing.
    page.goto(f"{web}/account/local-data")
    assert page.locator("#local-title").inner_text() == "Nothing to move"
    other = httpx.post(
        f"{api}/auth/register", json={"email": "bo@example.org", "password": PASSWORD},
        timeout=60,
    )  # fmt: skip
    assert other.status_code == 201, other.text
    token = httpx.post(
        f"{api}/auth/login", json={"email": "bo@example.org", "password": PASSWORD}, timeout=60
    ).json()["token"]
    headers = {"Authorization": f"Bearer {token}"}
    offer = httpx.get(f"{api}/account/local-data", headers=headers, timeout=30).json()
    assert offer == {"readings": 0, "words": 0, "can_move": False}
    # Without a token there is nobody to move them to.
    assert httpx.post(f"{api}/account/local-data/move", timeout=30).status_code == 409
