"""One headless Chromium (Debian's, driven by Playwright) for the whole test session.

Playwright's sync API allows one running instance per thread, and both tests/web and
tests/crew drive a browser: they share this one instead of each starting their own.
"""

from __future__ import annotations

import atexit
import time
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

        _retry_screenshots()
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


def _retry_screenshots() -> None:
    """Let `Page.screenshot` try again when Chromium answers "Unable to capture
    screenshot": under load its compositor sometimes has no frame ready (seen once in CI,
    on a page whose assertions had all passed). Any other error, or a third refusal, is
    raised as before. The screenshots are for people to look at; the tests' assertions
    are unchanged."""
    from playwright.sync_api import Error, Page

    if getattr(Page.screenshot, "retries", False):
        return
    original = Page.screenshot

    def screenshot(self: Any, *args: Any, **kwargs: Any) -> bytes:
        for attempt in range(3):
            try:
                return original(self, *args, **kwargs)
            except Error as exc:
                if "Unable to capture screenshot" not in str(exc) or attempt == 2:
                    raise
                time.sleep(0.5)
        raise AssertionError("unreachable")

    screenshot.retries = True  # type: ignore[attr-defined]
    Page.screenshot = screenshot  # type: ignore[method-assign]
