"""The CLI as a new user meets it: ports, the default API URL, following a job, stopping."""

from __future__ import annotations

import re
import signal
import socket
import subprocess
from pathlib import Path

import httpx

from opad.queue import embedded
from tests.processes import OPAD, Stack, base_env, free_port, http_ok, wait_until

from .test_cli import run_cli


def _port_only_env(stack: Stack) -> dict[str, str]:
    """The stack's environment with the API's port as OPAD_API_PORT and no OPAD_API_URL."""
    env = {k: v for k, v in stack.env.items() if k != "OPAD_API_URL"}
    env["OPAD_API_PORT"] = stack.api_url.rsplit(":", 1)[1]
    return env


def test_generate_finds_the_api_from_its_port_and_says_how_to_follow(stack: Stack) -> None:
    env = {**_port_only_env(stack), "OPAD_WEB_PORT": "8765"}
    out = run_cli(env, "generate", "--language", "en", "--level", "A2", "--topic", "bees")
    assert out.returncode == 0, out.stderr
    job_id = re.search(r"opad status (\S+) --wait", out.stdout)
    article_id = re.search(r"opad show (\S+)", out.stdout)
    assert job_id and article_id, out.stdout
    assert f"http://127.0.0.1:8765/jobs/{job_id.group(1)}" in out.stdout

    status = run_cli(env, "status", job_id.group(1), "--wait")
    assert status.returncode == 0, status.stderr
    assert "Vocabulary" in status.stdout
    again = run_cli(env, "status", job_id.group(1))
    assert again.stdout.startswith("succeeded 100%") and "opad show" in again.stdout
    shown = run_cli(env, "show", article_id.group(1))
    assert shown.returncode == 0 and "Vocabulary" in shown.stdout
    for command in ("status", "show"):
        missing = run_cli(env, command, "no-such-id")
        assert missing.returncode == 1 and "there is no" in missing.stderr


def test_cli_errors_say_what_to_do(stack: Stack) -> None:
    env = _port_only_env(stack)
    out = run_cli(env, "generate", "--language", "Klingon", "--level", "B1", "--topic", "x")
    assert out.returncode == 2
    assert "--language" in out.stderr and "OPAD cannot level 'Klingon'" in out.stderr
    assert "German" in out.stderr and "GET /languages" not in out.stderr
    out = run_cli(env, "generate", "--language", "German", "--level", "B1")
    assert out.returncode == 2
    assert "--topic: Give --topic, or --source-file or --source-url to adapt" in out.stderr
    assert "source_text" not in out.stderr
    url = "https://no-such-host.invalid/story"
    out = run_cli(env, "generate", "--language", "de", "--level", "B1", "--source-url", url)
    assert out.returncode == 2 and "no web site called no-such-host.invalid" in out.stderr
    assert "Errno" not in out.stderr

    dead = {**env, "OPAD_API_PORT": str(free_port())}
    out = run_cli(dead, "generate", "--language", "German", "--level", "B1", "--topic", "x")
    assert out.returncode == 1
    text = " ".join(out.stderr.split())
    assert f"cannot reach the OPAD API at http://127.0.0.1:{dead['OPAD_API_PORT']}" in text
    assert "--api-url" in text and "OPAD_API_URL" in text


def test_opad_up_refuses_a_taken_port_before_starting_anything(tmp_path: Path) -> None:
    data = tmp_path / "data"
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        env = base_env(data, OPAD_API_PORT=str(port), OPAD_WEB_PORT=str(free_port()))
        out = subprocess.run([*OPAD, "up"], env=env, capture_output=True, text=True, timeout=120)
    assert out.returncode == 1
    assert out.stdout == ""  # no URLs, no "Redis", nothing as if all were well
    message = " ".join(out.stderr.split())
    assert f"port {port} on 127.0.0.1, which the API uses, is not available" in message
    assert re.search(r"`OPAD_API_PORT=\d+ make run`", message)
    assert not (data / "redis").exists() and not (data / "opad.db").exists()

    same = base_env(data, OPAD_API_PORT=str(port), OPAD_WEB_PORT=str(port))
    out = subprocess.run([*OPAD, "up"], env=same, capture_output=True, text=True, timeout=120)
    assert out.returncode == 1 and "are both set to port" in out.stderr


def test_ctrl_c_says_what_it_waits_for_and_stops_everything(tmp_path: Path) -> None:
    api_port, web_port = free_port(), free_port()
    data = tmp_path / "data"
    env = base_env(data, OPAD_API_PORT=str(api_port), OPAD_WEB_PORT=str(web_port))
    proc = subprocess.Popen(
        [*OPAD, "up"], env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
    )
    try:
        wait_until(lambda: http_ok(f"http://127.0.0.1:{web_port}/health"), 120, "the web")
        wait_until(lambda: http_ok(f"http://127.0.0.1:{api_port}/health"), 60, "the API")
        meta = httpx.get(f"http://127.0.0.1:{api_port}/meta").json()
        assert meta["engine"] == "leveler"  # "offline" is its old name, still accepted
    finally:
        proc.send_signal(signal.SIGINT)
        output, _ = proc.communicate(timeout=60)
    assert proc.returncode == 0, output
    assert "Stopping: waiting for the API, the worker and the web to finish" in output
    assert "Stopping: the embedded Redis" in output
    assert re.search(r"stopped in \d+\.\d s", output)
    assert not embedded.is_running(data)


def test_generate_wait_names_the_article_id_the_other_commands_take(stack: Stack) -> None:
    """Issue 33 item 5: `opad quiz` and `opad show` need the id `generate --wait` printed."""
    out = run_cli(
        stack.env, "generate", "--language", "en", "--level", "A2", "--topic", "bees", "--wait"
    )
    assert out.returncode == 0, out.stderr
    found = re.search(r"Article (\S+): answer its questions with `opad quiz \1`", out.stderr)
    assert found, out.stderr
    assert f"`opad show {found.group(1)}`" in out.stderr
    shown = run_cli(stack.env, "show", found.group(1))
    assert shown.returncode == 0 and "Vocabulary" in shown.stdout


def test_audio_refuses_a_file_name_that_promises_another_format(
    stack: Stack, tmp_path: Path
) -> None:
    """Issue 33 item 5: the API serves Opus in Ogg; x.mp3 would hold Ogg without a word."""
    target = tmp_path / "x.mp3"
    out = run_cli(stack.env, "audio", "00000000-0000-0000-0000-000000000000", "-o", str(target))
    assert out.returncode == 2 and not target.exists()
    text = " ".join(out.stderr.split())
    assert f"write it to {tmp_path / 'x.ogg'}" in text and "ffmpeg -i" in text, text


def test_without_a_token_the_cli_names_opad_login(tmp_path: Path) -> None:
    """Issue 33 item 5: an API that wants sign-in; the CLI names the command, not HTTP."""
    signed = Stack(env=base_env(tmp_path, OPAD_AUTH="required"), data_dir=tmp_path)
    signed.migrate()
    signed.start_api()
    try:
        env = {**signed.env, "XDG_CONFIG_HOME": str(tmp_path / "config")}
        for args in (
            ("generate", "--language", "en", "--level", "A2", "--topic", "bees"),
            ("show", "00000000-0000-0000-0000-000000000000"),
            ("words", "list"),
        ):
            out = run_cli(env, *args)
            text = " ".join(out.stderr.split())
            assert out.returncode == 1, (args, out.stderr)
            assert "run `opad login`" in text and "POST /auth/login" not in text, (args, text)
    finally:
        signed.stop()
        embedded.stop(tmp_path)


def test_taken_api_and_web_ports_get_two_different_suggestions(tmp_path: Path) -> None:
    """Issue 33 item 8: both taken, the advice named the same free port for both."""
    with socket.socket() as api, socket.socket() as web:
        # Two ports next to each other (in this helper's range): the free port after the
        # API's is the web's, so a naive suggestion for each is the same number.
        for sock, port in ((api, 18571), (web, 18572)):
            sock.bind(("127.0.0.1", port))
            sock.listen()
        env = base_env(tmp_path / "data", OPAD_API_PORT="18571", OPAD_WEB_PORT="18572")
        out = subprocess.run([*OPAD, "up"], env=env, capture_output=True, text=True, timeout=120)
    assert out.returncode == 1
    text = " ".join(out.stderr.split())
    api_port = re.search(r"`OPAD_API_PORT=(\d+) make run`", text)
    web_port = re.search(r"`OPAD_WEB_PORT=(\d+) make run`", text)
    assert api_port and web_port, text
    assert api_port.group(1) != web_port.group(1)
    assert {api_port.group(1), web_port.group(1)}.isdisjoint({"18571", "18572"})


def test_one_ctrl_c_under_make_run_stops_gracefully(tmp_path: Path) -> None:
    """Issue 33 item 4: Ctrl-C under `make run` reached `opad up` twice (the terminal's and
    one forwarded by `uv run`), so it stopped "at once" and a running job lost its grace.
    Ctrl-C is what the terminal does: SIGINT to the whole foreground process group."""
    import os

    repo = Path(__file__).resolve().parents[2]
    api_port, web_port = free_port(), free_port()
    env = base_env(tmp_path / "data", OPAD_API_PORT=str(api_port), OPAD_WEB_PORT=str(web_port))
    proc = subprocess.Popen(
        ["make", "--no-print-directory", "run"],
        cwd=repo,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,  # its own group, as a terminal's foreground job
    )
    try:
        wait_until(lambda: http_ok(f"http://127.0.0.1:{web_port}/health"), 180, "the web")
        wait_until(lambda: http_ok(f"http://127.0.0.1:{api_port}/health"), 60, "the API")
    finally:
        os.killpg(proc.pid, signal.SIGINT)
        output, _ = proc.communicate(timeout=90)
    assert "Stopping: waiting for the API, the worker and the web to finish" in output, output
    assert "Stopping at once" not in output, output
    assert re.search(r"stopped in \d+\.\d s", output), output
    assert not embedded.is_running(tmp_path / "data")
