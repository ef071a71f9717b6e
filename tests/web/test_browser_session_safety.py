"""The web session in Chromium (issue 30, parts 2 and 5): the browser's time zone reaches
the account at sign-in and is editable; another site's form post cannot sign the learner
out. A real API and web app over HTTP (tests/integration/test_exports_and_session.py's
stack), SQLite and PostgreSQL."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import httpx
import pytest

from tests.integration.test_exports_and_session import PASSWORD, Stack, stack

pytestmark = [pytest.mark.browser]
__all__ = ["stack"]  # the fixture, used by name


def sign_in(page: Any, web: str) -> None:
    page.goto(f"{web}/login")
    page.fill("#email", "ana@example.org")
    page.fill("#password", PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"{web}/")


def me(stack: Stack) -> dict[str, Any]:
    with stack.client() as api:
        return dict(api.get("/auth/me").json())


def test_the_browsers_time_zone_is_the_learners_and_can_be_changed(
    stack: Stack, new_page: Callable[..., Any]
) -> None:
    # The issue's: no time-zone setting at all. Detected in the browser, editable.
    assert me(stack)["time_zone"] is None
    page = new_page(timezone_id="Asia/Tokyo").page
    sign_in(page, stack.web)
    assert me(stack)["time_zone"] == "Asia/Tokyo"
    page.goto(f"{stack.web}/account")
    field = page.locator("#time-zone")
    assert field.input_value() == "Asia/Tokyo"
    field.fill("Mars/Olympus")
    page.get_by_role("button", name="Save the time zone").click()
    assert "time zone name" in page.locator("#time_zone-error").inner_text()
    page.locator("#time-zone").fill("Europe/Berlin")
    page.get_by_role("button", name="Save the time zone").click()
    page.wait_for_url(f"{stack.web}/account")
    assert me(stack)["time_zone"] == "Europe/Berlin"
    # Signing in again from a browser elsewhere keeps the learner's choice.
    other = new_page(timezone_id="America/Lima").page
    sign_in(other, stack.web)
    assert me(stack)["time_zone"] == "Europe/Berlin"


class EvilSite:
    """Another site (localhost, not 127.0.0.1) whose page posts a form to the web."""

    def __init__(self, target: str) -> None:
        page = (
            f'<form id="f" method="post" action="{target}/logout">'
            '<input name="csrf_token" value="guess"></form>'
            "<script>document.getElementById('f').submit()</script>"
        ).encode()

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802
                self.send_response(200)
                self.send_header("Content-Type", "text/html")
                self.send_header("Content-Length", str(len(page)))
                self.end_headers()
                self.wfile.write(page)

            def log_message(self, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://localhost:{self.server.server_port}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()


@pytest.fixture
def evil(stack: Stack) -> Iterator[EvilSite]:
    site = EvilSite(stack.web)
    yield site
    site.server.shutdown()
    site.server.server_close()


def test_another_sites_form_cannot_sign_the_learner_out(
    stack: Stack, evil: EvilSite, new_page: Callable[..., Any]
) -> None:
    # The issue's: any web site could sign a learner out (a refused cross-site POST
    # answered 403 and set a fresh, empty session cookie).
    page = new_page().page
    sign_in(page, stack.web)
    before = {c["name"]: c["value"] for c in page.context.cookies()}
    with page.expect_response(lambda r: r.url.endswith("/logout")) as answer:
        page.goto(evil.url)
    assert answer.value.status == 403
    after = {c["name"]: c["value"] for c in page.context.cookies()}
    assert after == before
    page.goto(f"{stack.web}/account")
    assert page.url == f"{stack.web}/account"  # still signed in
    assert httpx.get(f"{stack.web}/health").status_code == 200
