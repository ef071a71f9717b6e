"""Real processes for the tests: free ports, services started as `opad …`, waits."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import httpx

OPAD = [sys.executable, "-m", "opad"]


def free_port() -> int:
    """A TCP port nobody listens on right now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_until(check: Callable[[], bool], timeout: float, what: str) -> None:
    """Poll `check` until true, or fail the test saying what did not happen."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if check():
            return
        time.sleep(0.05)
    raise AssertionError(f"timed out after {timeout:g} s waiting for {what}")


def http_ok(url: str) -> bool:
    """True when GET `url` answers 200."""
    try:
        return httpx.get(url, timeout=1).status_code == 200
    except httpx.HTTPError:
        return False


@dataclass
class Service:
    name: str
    proc: subprocess.Popen[bytes]
    log: Path

    def stop(self, sig: int = signal.SIGTERM, timeout: float = 45) -> int:
        """Signal the process and wait for it; kill it if it will not go."""
        if self.proc.poll() is None:
            self.proc.send_signal(sig)
            try:
                self.proc.wait(timeout)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        return int(self.proc.returncode)

    def output(self) -> str:
        """What the process logged so far."""
        return self.log.read_text(errors="replace") if self.log.exists() else ""


@dataclass
class Stack:
    """api + worker processes on one data dir, with their environment."""

    env: dict[str, str]
    data_dir: Path
    api_url: str = ""
    services: list[Service] = field(default_factory=list)

    def start(self, name: str, *args: str, extra_env: dict[str, str] | None = None) -> Service:
        """Start `opad name args…` with this stack's environment."""
        log = self.data_dir / f"{name}-{len(self.services)}.log"
        env = {**self.env, **(extra_env or {})}
        with open(log, "wb") as fh:
            proc = subprocess.Popen(
                [*OPAD, name, *args], env=env, stdout=fh, stderr=subprocess.STDOUT
            )
        service = Service(name, proc, log)
        self.services.append(service)
        return service

    def start_api(self, timeout: float = 120) -> Service:
        """Start the API on a free port and wait up to `timeout` s until it answers (a
        machine busy with other tests can take most of a minute to import it)."""
        port = free_port()
        self.api_url = f"http://127.0.0.1:{port}"
        self.env["OPAD_API_URL"] = self.api_url
        api = self.start("api", "--port", str(port))
        try:
            wait_until(lambda: http_ok(f"{self.api_url}/health"), timeout, "the API to answer")
        except AssertionError as exc:
            raise AssertionError(f"{exc}\n{api.output()}") from None
        return api

    def migrate(self) -> None:
        """Run `opad migrate`."""
        subprocess.run([*OPAD, "migrate"], env=self.env, check=True, capture_output=True)

    def stop(self) -> None:
        """Stop every process of the stack."""
        for service in reversed(self.services):
            service.stop()
        self.services.clear()


def base_env(data_dir: Path, **extra: str) -> dict[str, str]:
    """The environment of a test stack: our variables only, nothing from the developer's."""
    env = {
        k: v for k, v in os.environ.items() if not k.startswith(("OPAD_", "REDIS_", "DATABASE_"))
    }
    # The test-only hooks (tests/hooks/sitecustomize.py): crash and pause points.
    hooks = str(Path(__file__).resolve().parent / "hooks")
    env.update(
        PYTHONPATH=os.pathsep.join(p for p in (hooks, env.get("PYTHONPATH", "")) if p),
        OPAD_DATA_DIR=str(data_dir),
        OPAD_ENGINE="offline",
        # Audio has its own tests (speaking_stack); elsewhere a job is the reading alone, so
        # the time-bound tests measure what they always measured.
        OPAD_SPEECH="off",
        # One process per `opad worker`, so a Service is one worker (its pid is the one
        # GET /workers lists); the process group has its own test (test_worker_group).
        OPAD_WORKER_PROCESSES="1",
        OPAD_LOG_LEVEL="INFO",
        PYTHONUNBUFFERED="1",
    )
    env.update(extra)
    return env


class ServerThread:
    """An ASGI app served by uvicorn in a thread of the test process, over real HTTP."""

    def __init__(self, app: object) -> None:
        import threading

        import uvicorn

        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        config = uvicorn.Config(
            app, host="127.0.0.1", port=self.port, log_level="warning", lifespan="on"
        )  # type: ignore[arg-type]
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, daemon=True)

    def __enter__(self) -> ServerThread:
        self.thread.start()
        wait_until(lambda: self.server.started, 15, "the test server to start")
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.should_exit = True
        self.thread.join(15)
