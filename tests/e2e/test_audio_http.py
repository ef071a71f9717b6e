"""A reading's audio over real HTTP: api + worker processes (embedded Redis, SQLite), the
default speech engine (espeak-ng, installed on CI), range requests, the CLI."""

from __future__ import annotations

import subprocess
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.e2e.helpers import follow
from tests.processes import OPAD, Stack, wait_until


@pytest.fixture(scope="module")
def spoken(speaking_stack: Stack) -> dict[str, Any]:
    """An English reading made by the stack, with its audio (the job's own step)."""
    body = {"language": "English", "level": "A2", "length": 120, "topic": "parks"}
    accepted = httpx.post(f"{speaking_stack.api_url}/generate", json=body, timeout=30).json()
    status, _ = follow(speaking_stack.api_url, accepted["job_id"], timeout=240)
    assert status["status"] == "succeeded" and "No audio" not in status["message"], status
    article = httpx.get(
        f"{speaking_stack.api_url}/articles/{accepted['article_id']}", timeout=30
    ).json()
    return article


def test_article_says_its_audio_and_timings_are_served(
    speaking_stack: Stack, spoken: dict[str, Any]
) -> None:
    audio = spoken["audio"]
    assert audio["status"] == "ready" and audio["engine"] == "espeak-ng"
    assert audio["duration"] > 5 and audio["size"] > 1000 and audio["mime"] == "audio/ogg"
    timings = httpx.get(
        f"{speaking_stack.api_url}/articles/{spoken['id']}/audio/timings", timeout=30
    )
    assert timings.status_code == 200
    sentences = timings.json()["sentences"]
    assert len(sentences) == audio["sentences"] and sentences[0]["start"] == 0
    assert sentences[-1]["end"] == pytest.approx(audio["duration"], abs=0.01)


def test_range_requests(speaking_stack: Stack, spoken: dict[str, Any]) -> None:
    url = f"{speaking_stack.api_url}/articles/{spoken['id']}/audio"
    size = spoken["audio"]["size"]
    whole = httpx.get(url, timeout=30)
    assert whole.status_code == 200 and whole.headers["accept-ranges"] == "bytes"
    assert whole.headers["content-type"] == "audio/ogg" and len(whole.content) == size
    assert whole.content[:4] == b"OggS"

    first = httpx.get(url, headers={"Range": "bytes=0-99"}, timeout=30)
    assert first.status_code == 206 and first.content == whole.content[:100]
    assert first.headers["content-range"] == f"bytes 0-99/{size}"
    assert first.headers["content-length"] == "100"

    middle = httpx.get(url, headers={"Range": f"bytes=1000-{size + 500}"}, timeout=30)
    assert middle.status_code == 206 and middle.content == whole.content[1000:]
    assert middle.headers["content-range"] == f"bytes 1000-{size - 1}/{size}"

    tail = httpx.get(url, headers={"Range": "bytes=-50"}, timeout=30)
    assert tail.status_code == 206 and tail.content == whole.content[-50:]

    past = httpx.get(url, headers={"Range": f"bytes={size}-"}, timeout=30)
    assert past.status_code == 416 and past.headers["content-range"] == f"bytes */{size}"

    # A copy of another audio (If-Range not matching) gets the whole file.
    other = httpx.get(url, headers={"Range": "bytes=0-9", "If-Range": '"x"'}, timeout=30)
    assert other.status_code == 200 and len(other.content) == size


def test_head_answers_like_get_without_a_body(
    speaking_stack: Stack, spoken: dict[str, Any]
) -> None:
    url = f"{speaking_stack.api_url}/articles/{spoken['id']}/audio"
    size = spoken["audio"]["size"]
    whole = httpx.head(url, timeout=30)
    assert whole.status_code == 200 and whole.content == b""
    assert whole.headers["content-length"] == str(size)
    assert (
        whole.headers["accept-ranges"] == "bytes" and whole.headers["content-type"] == "audio/ogg"
    )
    assert whole.headers["etag"] == httpx.get(url, timeout=30).headers["etag"]
    part = httpx.head(url, headers={"Range": "bytes=10-109"}, timeout=30)
    assert part.status_code == 206 and part.content == b""
    assert part.headers["content-length"] == "100"
    assert part.headers["content-range"] == f"bytes 10-109/{size}"
    past = httpx.head(url, headers={"Range": f"bytes={size}-"}, timeout=30)
    assert past.status_code == 416 and past.headers["content-range"] == f"bytes */{size}"
    missing = httpx.head(
        f"{speaking_stack.api_url}/articles/00000000-0000-0000-0000-000000000000/audio"
    )
    assert missing.status_code == 404


def test_a_method_not_allowed_names_the_allowed_ones(
    speaking_stack: Stack, spoken: dict[str, Any]
) -> None:
    base = f"{speaking_stack.api_url}/articles/{spoken['id']}/audio"
    refused = httpx.delete(base, timeout=30)
    assert refused.status_code == 405 and refused.headers["allow"] == "GET, HEAD, POST"
    timings = httpx.put(f"{base}/timings", timeout=30)
    assert timings.status_code == 405 and timings.headers["allow"] == "GET"


def test_unknown_article_and_not_yet_made(speaking_stack: Stack) -> None:
    missing = httpx.get(
        f"{speaking_stack.api_url}/articles/00000000-0000-0000-0000-000000000000/audio"
    )
    assert missing.status_code == 404 and missing.json()["detail"]
    draft = httpx.post(
        f"{speaking_stack.api_url}/articles",
        json={"language": "French", "level": "A1", "length": 80, "topic": "parcs"},
        timeout=30,
    ).json()
    no_text = httpx.post(f"{speaking_stack.api_url}/articles/{draft['id']}/audio", timeout=30)
    assert no_text.status_code == 409 and "no text yet" in no_text.json()["detail"]
    assert httpx.get(f"{speaking_stack.api_url}/articles/{draft['id']}/audio").status_code == 404


def test_remake_on_request_and_download_with_the_cli(
    speaking_stack: Stack, spoken: dict[str, Any], tmp_path: Path
) -> None:
    article_id = spoken["id"]
    timings_url = f"{speaking_stack.api_url}/articles/{article_id}/audio/timings"
    before = httpx.get(timings_url, timeout=30).json()["made_at"]
    made = httpx.post(f"{speaking_stack.api_url}/articles/{article_id}/audio", timeout=30)
    # Audio already there: the answer says ready, and a worker makes it again.
    assert made.status_code == 202 and made.json()["status"] == "ready"
    wait_until(
        lambda: httpx.get(timings_url, timeout=30).json()["made_at"] > before,
        120,
        "the audio to be made again",
    )

    out = tmp_path / "reading.ogg"
    timings = tmp_path / "timings.json"
    done = subprocess.run(
        [*OPAD, "audio", article_id, "-o", str(out), "--timings", str(timings)],
        env=speaking_stack.env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert out.read_bytes()[:4] == b"OggS" and timings.exists()
    assert "KB" in done.stderr and "sentences" in done.stderr
    probe = subprocess.run(
        ["ffprobe", "-v", "error", "-show_entries", "format=duration", "-of", "csv=p=0", str(out)],
        capture_output=True,
        text=True,
        check=True,
    )
    assert float(probe.stdout) == pytest.approx(spoken["audio"]["duration"], abs=0.2)

    unknown = subprocess.run(
        [*OPAD, "audio", "00000000-0000-0000-0000-000000000000", "-o", str(tmp_path / "x.ogg")],
        env=speaking_stack.env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert unknown.returncode == 1 and "no article" in unknown.stderr
