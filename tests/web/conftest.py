"""Fixtures of the web tests: a fake API on a real port, the web app, and a real browser."""

from __future__ import annotations

import os
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import uvicorn
from fastapi.testclient import TestClient

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


@pytest.fixture
def client(fake_api_url: str) -> Iterator[TestClient]:
    """The web app in process, talking to the fake API over HTTP."""
    with TestClient(create_app(Settings(api_url=fake_api_url))) as test_client:
        yield test_client


@pytest.fixture
def down_client() -> Iterator[TestClient]:
    """The web app pointed at a port where no API listens."""
    with TestClient(create_app(Settings(api_url=f"http://127.0.0.1:{free_port()}"))) as c:
        yield c


@pytest.fixture(scope="session")
def fake_web(fake_server: tuple[FakeApi, str]) -> Iterator[str]:
    """The web app on a real port (for the browser), in front of the fake API."""
    with ServerThread(create_app(Settings(api_url=fake_server[1]))) as server:
        yield server.url


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


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    """A fresh browser page that fails the test on any dialog it did not expect."""
    context = browser.new_context(viewport={"width": 1100, "height": 900})
    context.set_default_timeout(15_000)
    pg = context.new_page()
    pg.dialogs = []  # tests that expect a dialog handle it; the rest are recorded
    yield pg
    context.close()


@pytest.fixture(scope="session")
def screenshots() -> Path:
    """Where the browser tests save their screenshots."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    return SCREENSHOTS
