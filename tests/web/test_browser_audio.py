"""Issue 13 in Chromium against the real stack: a reading's audio (espeak-ng, the default
where installed), the spoken sentence highlighted, one sentence replayed, the speed."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.e2e.helpers import follow
from tests.processes import free_port, http_ok, wait_until

from .conftest import BrowserPage

pytestmark = [pytest.mark.browser, pytest.mark.slow]

SPEAKING = "() => Array.from(new Set(Array.from(document.querySelectorAll('.w.speaking'))" \
    ".map(e => Number(e.dataset.s))))"  # fmt: skip
PLAYER = "document.getElementById('audio-player')"


@pytest.fixture(scope="module")
def speaking_web(speaking_stack: Any) -> str:
    """`opad web` in front of the stack whose readings get audio."""
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    web = speaking_stack.start(
        "web", "--port", str(port), extra_env={"OPAD_API_URL": speaking_stack.api_url}
    )
    try:
        wait_until(lambda: http_ok(f"{url}/health"), 120, "the web to answer")
    except AssertionError as exc:
        raise AssertionError(f"{exc}\n{web.output()}") from None
    return url


def make_reading(api_url: str, language: str, topic: str) -> str:
    body = {"language": language, "level": "A2", "length": 100, "topic": topic}
    accepted = httpx.post(f"{api_url}/generate", json=body, timeout=30).json()
    status, _ = follow(api_url, accepted["job_id"], timeout=240)
    assert status["status"] == "succeeded", status
    return str(accepted["article_id"])


def test_listen_highlight_replay_and_speed(
    speaking_stack: Any, speaking_web: str, web_page: BrowserPage, screenshots: Path
) -> None:
    article_id = make_reading(speaking_stack.api_url, "English", "parks")
    page = web_page.page
    page.goto(f"{speaking_web}/articles/{article_id}", timeout=90_000)
    section = page.locator("#audio")
    assert section.get_attribute("data-status") == "ready"
    meta = section.locator(".audio-meta").inner_text()
    assert "Listen" in meta
    # In a learner's terms: no file size, no engine's name ("voice: espeak-ng").
    assert "KB" not in meta and "voice:" not in meta and "espeak" not in meta.lower()
    assert section.locator(".audio-engine").inner_text() == "Computer voice"
    assert section.locator(".audio-duration").inner_text().count(":") == 1
    timings = json.loads(page.locator("#audio-timings").inner_text())
    assert len(timings) >= 3
    # A play mark before every spoken sentence, each sentence number one the page has.
    assert page.locator(".article-body button.say").count() == len(timings)
    for t in timings:
        assert page.locator(f'.article-body .w[data-s="{t["sentence"]}"]').count() > 0
    page.wait_for_function(f"() => {PLAYER}.readyState >= 1")
    duration = page.evaluate(f"{PLAYER}.duration")
    assert duration == pytest.approx(timings[-1]["end"], abs=0.2)

    # Replay one sentence: it is highlighted while it plays, and playback stops at its end.
    third = timings[2]
    page.locator(f'button.say[data-say="{third["sentence"]}"]').click()
    page.wait_for_function(f"() => ({SPEAKING})().includes({third['sentence']})", timeout=10_000)
    assert page.evaluate(SPEAKING) == [third["sentence"]]
    assert (
        page.locator(f'button.say[data-say="{third["sentence"]}"]').get_attribute("aria-current")
        == "true"
    )
    page.screenshot(path=str(screenshots / "audio-replay-sentence.png"), full_page=True)
    page.wait_for_function(f"() => {PLAYER}.paused", timeout=30_000)
    stopped = page.evaluate(f"{PLAYER}.currentTime")
    assert third["end"] - 0.1 <= stopped <= third["end"] + 0.5, (stopped, third)

    # Play from the start at 1.25×: the highlight follows the speech into the next sentence.
    page.get_by_role("button", name="1.25×").click()
    assert page.evaluate(f"{PLAYER}.playbackRate") == 1.25
    assert page.get_by_role("button", name="1.25×").get_attribute("aria-pressed") == "true"
    page.evaluate(f"() => {{ {PLAYER}.currentTime = 0; return {PLAYER}.play(); }}")
    page.wait_for_function(
        f"() => ({SPEAKING})().includes({timings[0]['sentence']})", timeout=10_000
    )
    page.wait_for_function(
        f"() => ({SPEAKING})().includes({timings[1]['sentence']})", timeout=30_000
    )
    assert page.evaluate(SPEAKING) == [timings[1]["sentence"]]
    page.screenshot(path=str(screenshots / "audio-playing.png"), full_page=True)
    page.evaluate(f"() => {PLAYER}.pause()")

    # The page's audio comes through the web, with ranges, so the player can seek.
    ranged = httpx.get(
        f"{speaking_web}/articles/{article_id}/audio", headers={"Range": "bytes=0-15"}, timeout=30
    )
    assert ranged.status_code == 206 and ranged.content[:4] == b"OggS"
    assert ranged.headers["content-range"].startswith("bytes 0-15/")


@pytest.mark.parametrize(
    ("language", "topic"), [("German", "Wetter"), ("Spanish", "ciudad"), ("French", "parcs")]
)
def test_other_languages_have_a_player_too(
    speaking_stack: Any, speaking_web: str, web_page: BrowserPage, language: str, topic: str
) -> None:
    article_id = make_reading(speaking_stack.api_url, language, topic)
    page = web_page.page
    page.goto(f"{speaking_web}/articles/{article_id}", timeout=90_000)
    assert page.locator("#audio").get_attribute("data-status") == "ready"
    timings = json.loads(page.locator("#audio-timings").inner_text())
    assert timings and page.locator(".article-body button.say").count() == len(timings)
    page.locator(f'button.say[data-say="{timings[0]["sentence"]}"]').click()
    page.wait_for_function(
        f"() => ({SPEAKING})().includes({timings[0]['sentence']})", timeout=10_000
    )
