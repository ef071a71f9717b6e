"""`opad generate` against a running API, and `opad up` as a newcomer runs it."""

from __future__ import annotations

import signal
import subprocess
from pathlib import Path

import httpx

from opad.queue import embedded
from tests.processes import OPAD, Stack, base_env, free_port, http_ok, wait_until


def run_cli(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*OPAD, *args], env={**env, "COLUMNS": "100"}, capture_output=True, text=True, timeout=120
    )


def test_generate_wait_prints_the_article(stack: Stack) -> None:
    out = run_cli(
        stack.env,
        "generate",
        "--language",
        "German",
        "--level",
        "A2",
        "--length",
        "150",
        "--topic",
        "Museum",
        "--wait",
    )
    assert out.returncode == 0, out.stderr
    assert "Source" in out.stdout and "Vocabulary" in out.stdout


def test_generate_reports_bad_input_and_unreachable_api(stack: Stack, tmp_path: Path) -> None:
    out = run_cli(stack.env, "generate", "--language", "German", "--level", "Z9", "--topic", "x")
    assert out.returncode == 2 and "level" in out.stderr
    env = {**stack.env, "OPAD_API_URL": f"http://127.0.0.1:{free_port()}"}
    out = run_cli(env, "generate", "--language", "German", "--level", "B1", "--topic", "x")
    assert out.returncode == 1 and "cannot reach the OPAD API" in out.stderr


def test_opad_up_starts_everything_and_stops_cleanly(tmp_path: Path) -> None:
    api_port, web_port = free_port(), free_port()
    env = base_env(tmp_path / "data", OPAD_API_PORT=str(api_port), OPAD_WEB_PORT=str(web_port))
    api = f"http://127.0.0.1:{api_port}"

    def up() -> subprocess.Popen[str]:
        return subprocess.Popen(
            [*OPAD, "up"], env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
        )

    proc = up()
    try:
        wait_until(lambda: http_ok(f"{api}/health/ready"), 60, "the API of opad up")
        wait_until(lambda: http_ok(f"http://127.0.0.1:{web_port}/health"), 30, "the web")
        job = httpx.post(
            f"{api}/generate",
            json={"language": "fr", "level": "A1", "length": 100, "topic": "musique"},
        ).json()
        wait_until(
            lambda: httpx.get(f"{api}/jobs/{job['job_id']}").json()["status"] == "succeeded",
            60,
            "the job",
        )
    finally:
        proc.send_signal(signal.SIGINT)
        output, _ = proc.communicate(timeout=60)
    assert proc.returncode == 0, output
    assert f"http://127.0.0.1:{web_port}" in output and "stopped" in output
    assert not embedded.is_running(tmp_path / "data")  # opad up stops the Redis it started
    assert not http_ok(f"{api}/health")

    # A second run reuses the data: the article is still there.
    proc = up()
    try:
        wait_until(lambda: http_ok(f"{api}/health/ready"), 60, "the API of the second opad up")
        article = httpx.get(f"{api}/articles/{job['article_id']}").json()
        assert article["status"] == "ready"
    finally:
        proc.send_signal(signal.SIGINT)
        proc.communicate(timeout=60)
    assert proc.returncode == 0
