"""No speech engine on the server: the reading is made, its page says plainly that audio is
not available, and asking for it names the reason (API 503 `speech unavailable`).

Real API and web over HTTP, a real worker with OPAD_SPEECH=off, SQLite and Redis."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from opad.api.app import create_app as create_api
from opad.bootstrap import Services
from opad.services import audio as audio_service
from opad.settings import Settings
from opad.web.app import create_app as create_web
from tests.conftest import RedisServer
from tests.e2e.helpers import follow
from tests.integration.test_audio import running_worker, services_for
from tests.processes import ServerThread, wait_until

from .conftest import WebClient

SWITCHED_OFF = "audio is switched off (OPAD_SPEECH=off)"


@pytest.fixture
def silent(tmp_path: Path, redis_server: RedisServer) -> Iterator[Services]:
    services = services_for(tmp_path, redis_server, OPAD_SPEECH="off")
    worker = running_worker(services)
    yield services
    worker.stop()
    services.close()


def test_without_a_speech_engine_the_page_says_so(silent: Services) -> None:
    with ServerThread(create_api(silent.settings, silent)) as api:
        settings = Settings(_env_file=None, OPAD_API_URL=api.url)  # type: ignore[call-arg]
        with (
            ServerThread(create_web(settings)) as web,
            WebClient(base_url=web.url, timeout=30) as browser,
        ):
            body = {"language": "Spanish", "level": "A2", "length": 80, "topic": "ciudad"}
            accepted = httpx.post(f"{api.url}/generate", json=body, timeout=30).json()
            status, _ = follow(api.url, accepted["job_id"], timeout=120)
            assert status["status"] == "succeeded" and "No audio" not in status["message"]
            article_id = accepted["article_id"]
            wait_until(
                lambda: audio_service.speech_report(silent)[0] is False, 30, "the worker's report"
            )

            article = httpx.get(f"{api.url}/articles/{article_id}", timeout=30).json()
            assert article["audio"]["status"] == "unavailable"
            refused = httpx.post(f"{api.url}/articles/{article_id}/audio", timeout=30)
            assert refused.status_code == 503
            assert refused.json()["error"] == "speech unavailable"
            assert refused.json()["detail"] == SWITCHED_OFF
            assert httpx.get(f"{api.url}/articles/{article_id}/audio").status_code == 404

            page = browser.get(f"/articles/{article_id}").text
            text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", page))
            assert f"Audio is not available on this server: {SWITCHED_OFF}." in text
            assert 'id="audio-player"' not in page
            # Asked for anyway (a stale page): back to the reading, which says why not.
            asked = browser.post(f"/articles/{article_id}/audio", follow_redirects=False)
            assert asked.status_code == 303 and "audio_error=" in asked.headers["location"]
            again = browser.get(asked.headers["location"]).text
            assert "The audio could not be asked for: " in again and "OPAD_SPEECH=off" in again


def test_a_language_without_a_voice_says_so_in_the_job_the_api_and_the_page(
    tmp_path: Path, redis_server: RedisServer
) -> None:
    # The server's only voice is a Piper voice for German (a program with piper's command
    # line): a Japanese reading gets no audio, and every place says why and what to do.
    import sys

    from tests.integration.test_speech import PIPER_STAND_IN

    program = tmp_path / "piper"
    root = str(Path(__file__).resolve().parents[2])
    program.write_text(PIPER_STAND_IN.format(python=sys.executable, root=root))
    program.chmod(0o755)
    voices = tmp_path / "voices"
    voices.mkdir()
    (voices / "de_DE-thorsten-medium.onnx").write_bytes(b"")
    services = services_for(
        tmp_path,
        redis_server,
        OPAD_SPEECH="piper",
        OPAD_PIPER_VOICES=str(voices),
        OPAD_PIPER_BIN=str(program),
    )
    worker = running_worker(services)
    no_voice = "no voice for Japanese on this server — how to add one: "
    try:
        with ServerThread(create_api(services.settings, services)) as api:
            settings = Settings(_env_file=None, OPAD_API_URL=api.url)  # type: ignore[call-arg]
            with (
                ServerThread(create_web(settings)) as web,
                WebClient(base_url=web.url, timeout=30) as browser,
            ):
                body = {"language": "Japanese", "level": "A2", "length": 120, "topic": "公園"}
                accepted = httpx.post(f"{api.url}/generate", json=body, timeout=30).json()
                status, _ = follow(api.url, accepted["job_id"], timeout=120)
                assert status["status"] == "succeeded"
                assert f"No audio: {no_voice}" in status["message"]
                assert "try again" not in status["message"]  # nothing to retry
                article_id = accepted["article_id"]
                wait_until(
                    lambda: audio_service.speech_report(services)[0] is True, 30, "the report"
                )
                article = httpx.get(f"{api.url}/articles/{article_id}", timeout=30).json()
                assert article["audio"]["status"] == "unavailable"
                assert article["audio"]["detail"].startswith(no_voice)
                refused = httpx.post(f"{api.url}/articles/{article_id}/audio", timeout=30)
                assert refused.status_code == 503
                assert refused.json()["detail"].startswith(no_voice)
                page = browser.get(f"/articles/{article_id}").text
                text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", page))
                assert f"No audio: {no_voice}" in text
                assert 'id="audio-player"' not in page

                # German has the Piper voice: its audio through the web, HEAD like GET.
                body = {"language": "German", "level": "A2", "length": 60, "topic": "Park"}
                german = httpx.post(f"{api.url}/generate", json=body, timeout=30).json()
                status, _ = follow(api.url, german["job_id"], timeout=120)
                assert "No audio" not in status["message"]
                url = f"/articles/{german['article_id']}/audio"
                got = browser.get(url, headers={"Range": "bytes=0-99"})
                head = browser.head(url, headers={"Range": "bytes=0-99"})
                assert got.status_code == head.status_code == 206 and head.content == b""
                for name in ("content-length", "content-range", "accept-ranges", "etag"):
                    assert head.headers[name] == got.headers[name], name
                assert head.headers["content-length"] == "100"
    finally:
        worker.stop()
        services.close()
