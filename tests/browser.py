"""One headless Chromium (Debian's, driven by Playwright) for the whole test session.

Playwright's sync API allows one running instance per thread, and both tests/web and
tests/crew drive a browser: they share this one instead of each starting their own.
"""

from __future__ import annotations

import atexit
from typing import Any

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
_running: dict[str, Any] = {}


def shared_browser() -> Any:
    """The session's browser, launched on first use and closed when the session ends."""
    if "browser" not in _running:
        from playwright.sync_api import sync_playwright

        playwright = sync_playwright().start()
        _running["playwright"] = playwright
        _running["browser"] = playwright.chromium.launch(
            executable_path=CHROMIUM, args=CHROMIUM_ARGS
        )
        atexit.register(close_browser)
    return _running["browser"]


def close_browser() -> None:
    """Close the browser and stop Playwright (idempotent)."""
    browser = _running.pop("browser", None)
    playwright = _running.pop("playwright", None)
    if browser is not None:
        browser.close()
    if playwright is not None:
        playwright.stop()
