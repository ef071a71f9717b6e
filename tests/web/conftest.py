"""Fixtures of the web tests: a fake API on a real port, the web app, and a real browser."""

from __future__ import annotations

import os
import re
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
import uvicorn
from fastapi import FastAPI

from opad.settings import Settings
from opad.web.app import create_app
from tests.browser import CHROMIUM

from .fake_api import FakeApi, analyzed, create_fake_api

SCREENSHOTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "screenshots"


def free_port() -> int:
    """A TCP port nobody listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class ServerThread:
    """An ASGI app served by uvicorn on a free port in a background thread."""

    def __init__(self, app: Any) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        config = uvicorn.Config(
            app, host="127.0.0.1", port=self.port, log_level="warning", ws="none",
            timeout_graceful_shutdown=1,
        )  # fmt: skip
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, daemon=True)

    def __enter__(self) -> ServerThread:
        self.thread.start()
        deadline = time.monotonic() + 10
        while not self.server.started:
            if time.monotonic() > deadline or not self.thread.is_alive():
                raise RuntimeError(f"server on {self.url} did not start")
            time.sleep(0.02)
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=10)


@pytest.fixture(scope="session")
def fake_server() -> Iterator[tuple[FakeApi, str]]:
    """One fake API for the session; `fake` resets its state for each test."""
    state = FakeApi()
    # The fake stands in for the worker's analysis too: load the English analyzers now,
    # not inside the first page's request (a busy machine took longer than its timeout).
    warm = state.add_article()
    analyzed(warm, state.contents)
    with ServerThread(create_fake_api(state)) as server:
        yield state, server.url


@pytest.fixture
def fake(fake_server: tuple[FakeApi, str], fake_web_app: FastAPI) -> FakeApi:
    """The fake API's state, fresh for this test (and the web in front forgets what it
    learned from it, such as that it wants sign-in)."""
    state = fake_server[0]
    state.__init__()  # type: ignore[misc]
    fake_web_app.state.auth_required = False
    return state


@pytest.fixture
def fake_api_url(fake_server: tuple[FakeApi, str], fake: FakeApi) -> str:
    """The fake API's base URL."""
    return fake_server[1]


@pytest.fixture(scope="session")
def fake_web_app(fake_server: tuple[FakeApi, str]) -> FastAPI:
    """The web app in front of the fake API (development settings)."""
    return create_app(Settings(_env_file=None, OPAD_API_URL=fake_server[1]))  # type: ignore[call-arg]


@pytest.fixture(scope="session")
def fake_web(fake_web_app: FastAPI) -> Iterator[str]:
    """The web app on a real port, in front of the fake API."""
    with ServerThread(fake_web_app) as server:
        yield server.url


class WebClient(httpx.Client):
    """A client of the web that keeps its cookies and, like a browser submitting a page's
    form, sends the session's CSRF token with every post (`csrf=False`: without one)."""

    def csrf_token(self) -> str:
        """The token the web puts in this session's forms."""
        found = re.search(r'name="csrf_token" value="([^"]+)"', self.get("/login").text)
        assert found, "no CSRF token on the sign-in page"
        return found.group(1)

    def post(  # type: ignore[override]
        self, url: str, *, data: dict[str, str] | None = None, csrf: bool = True, **kwargs: Any
    ) -> httpx.Response:
        """POST a form, with the CSRF token unless told not to (or the data has one)."""
        form = dict(data or {})
        if csrf and "csrf_token" not in form:
            form["csrf_token"] = self.csrf_token()
        return super().post(url, data=form, **kwargs)

    def sign_in(self, email: str, password: str = "correct horse battery") -> httpx.Response:
        """Sign in through the web's form."""
        return self.post("/login", data={"email": email, "password": password})


@pytest.fixture
def client(fake_web: str, fake: FakeApi) -> Iterator[WebClient]:
    """An HTTP client of the web app (in front of a freshly reset fake API)."""
    with WebClient(base_url=fake_web, timeout=10) as http:
        yield http


@pytest.fixture(scope="session")
def dead_api_url() -> str:
    """An API address where nothing listens."""
    return f"http://127.0.0.1:{free_port()}"


@pytest.fixture(scope="session")
def down_web(dead_api_url: str) -> Iterator[str]:
    """The web app pointed at an API that is not running."""
    settings = Settings(_env_file=None, OPAD_API_URL=dead_api_url)  # type: ignore[call-arg]
    with ServerThread(create_app(settings)) as server:
        yield server.url


@pytest.fixture
def down_client(down_web: str) -> Iterator[WebClient]:
    """An HTTP client of the web app whose API is down."""
    with WebClient(base_url=down_web, timeout=10) as http:
        yield http


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    """Debian's Chromium driven by Playwright, for one test module.

    Not for the whole session: while Playwright's sync API runs, this thread has a running
    event loop, and CrewAI refuses to run a crew in such a thread (the crew tests that call
    the engine in-process would fail after any browser module on the same pytest worker).
    """
    if not os.path.exists(CHROMIUM):
        pytest.skip(f"{CHROMIUM} is missing (apt-get install chromium)")
    from tests.browser import close_browser, shared_browser

    # Shared with the crew's browser test (tests/browser.py): one Playwright per process.
    yield shared_browser()
    close_browser()


# Reports every value the job page's progress bar takes, across navigations.
_RECORD_PROGRESS = """
document.addEventListener("DOMContentLoaded", () => {
  const bar = document.getElementById("job-progress");
  if (!bar) return;
  window.opadProgress(Number(bar.value));
  new MutationObserver(() => window.opadProgress(Number(bar.value)))
    .observe(bar, { attributes: true, attributeFilter: ["value"] });
});
"""


class BrowserPage:
    """A Playwright page plus what it saw: dialogs (dismissed) and progress values."""

    def __init__(self, context: Any) -> None:
        self.context = context
        self.dialogs: list[str] = []
        self.progress: list[float] = []
        context.expose_function("opadProgress", self._record_progress)
        context.add_init_script(_RECORD_PROGRESS)
        self.page = context.new_page()
        self.page.on("dialog", self._on_dialog)
        self.accept_dialogs = False

    def _record_progress(self, value: float) -> None:
        self.progress.append(value)

    def _on_dialog(self, dialog: Any) -> None:
        self.dialogs.append(dialog.message)
        if self.accept_dialogs:
            dialog.accept()
        else:
            dialog.dismiss()


def _new_page(browser: Any, **options: Any) -> BrowserPage:
    options.setdefault("viewport", {"width": 1100, "height": 900})
    context = browser.new_context(**options)
    context.set_default_timeout(20_000)
    return BrowserPage(context)


@pytest.fixture
def web_page(browser: Any) -> Iterator[BrowserPage]:
    """A fresh browser context and page that records dialogs and progress values."""
    bp = _new_page(browser)
    yield bp
    bp.context.close()


@pytest.fixture
def new_page(browser: Any) -> Iterator[Any]:
    """A factory of extra pages with context options (no JavaScript, dark mode…)."""
    made: list[BrowserPage] = []

    def make(**options: Any) -> BrowserPage:
        made.append(_new_page(browser, **options))
        return made[-1]

    yield make
    for bp in made:
        bp.context.close()


@pytest.fixture(scope="session")
def stack_web(stack: Any) -> str:
    """`opad web` as a real process in front of the real stack's API (from tests/conftest)."""
    from tests.processes import free_port, http_ok, wait_until

    port = free_port()
    url = f"http://127.0.0.1:{port}"
    web = stack.start("web", "--port", str(port), extra_env={"OPAD_API_URL": stack.api_url})
    try:
        wait_until(lambda: http_ok(f"{url}/health"), 120, "the web to answer")
    except AssertionError as exc:
        raise AssertionError(f"{exc}\n{web.output()}") from None
    return url


@pytest.fixture(scope="session")
def screenshots() -> Path:
    """Where the browser tests save their screenshots."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    return SCREENSHOTS
