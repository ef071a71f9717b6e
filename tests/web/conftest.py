"""Fixtures of the web tests: a fake API on a real port, the web app, and a real browser."""

from __future__ import annotations

import os
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
import uvicorn

from opad.settings import Settings
from opad.web.app import create_app

from .fake_api import FakeApi, create_fake_api

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
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
    with ServerThread(create_fake_api(state)) as server:
        yield state, server.url


@pytest.fixture
def fake(fake_server: tuple[FakeApi, str]) -> FakeApi:
    """The fake API's state, fresh for this test."""
    state = fake_server[0]
    state.__init__()  # type: ignore[misc]
    return state


@pytest.fixture
def fake_api_url(fake_server: tuple[FakeApi, str], fake: FakeApi) -> str:
    """The fake API's base URL."""
    return fake_server[1]


@pytest.fixture(scope="session")
def fake_web(fake_server: tuple[FakeApi, str]) -> Iterator[str]:
    """The web app on a real port, in front of the fake API."""
    with ServerThread(create_app(Settings(api_url=fake_server[1]))) as server:
        yield server.url


@pytest.fixture
def client(fake_web: str, fake: FakeApi) -> Iterator[httpx.Client]:
    """An HTTP client of the web app (in front of a freshly reset fake API)."""
    with httpx.Client(base_url=fake_web, timeout=10) as http:
        yield http


@pytest.fixture(scope="session")
def dead_api_url() -> str:
    """An API address where nothing listens."""
    return f"http://127.0.0.1:{free_port()}"


@pytest.fixture(scope="session")
def down_web(dead_api_url: str) -> Iterator[str]:
    """The web app pointed at an API that is not running."""
    with ServerThread(create_app(Settings(api_url=dead_api_url))) as server:
        yield server.url


@pytest.fixture
def down_client(down_web: str) -> Iterator[httpx.Client]:
    """An HTTP client of the web app whose API is down."""
    with httpx.Client(base_url=down_web, timeout=10) as http:
        yield http


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    """Debian's Chromium driven by Playwright."""
    if not os.path.exists(CHROMIUM):
        pytest.skip(f"{CHROMIUM} is missing (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield instance
        instance.close()


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
        wait_until(lambda: http_ok(f"{url}/health"), 30, "the web to answer")
    except AssertionError as exc:
        raise AssertionError(f"{exc}\n{web.output()}") from None
    return url


@pytest.fixture(scope="session")
def screenshots() -> Path:
    """Where the browser tests save their screenshots."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    return SCREENSHOTS
