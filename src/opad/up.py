"""`opad up`: the whole stack on one machine, each service its own process."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from types import FrameType

from opad.db.migrate import current_revision, upgrade
from opad.db.session import make_engine
from opad.queue import embedded
from opad.settings import Settings

SERVICES = ("api", "worker", "web")
STOP_SECONDS = 40  # the worker's grace period, and a little more


def run_stack(settings: Settings) -> int:
    """Start everything, print the URLs, and stop it all on Ctrl-C; returns the exit code."""
    env = dict(os.environ)
    env["OPAD_DATA_DIR"] = str(settings.data_path)
    started_redis = False
    if not settings.redis_url:
        url, started_redis = embedded.ensure_running(settings.data_path)
        env["REDIS_URL"] = url
        print(f"Redis (embedded): {url}")
    env["OPAD_API_URL"] = f"http://{settings.api_host}:{settings.api_port}"

    engine = make_engine(settings)
    upgrade(engine)
    print(f"Database: {engine.url.render_as_string()} (revision {current_revision(engine)})")
    engine.dispose()

    procs: dict[str, subprocess.Popen[bytes]] = {}
    stopping = False

    def on_signal(_signum: int, _frame: FrameType | None) -> None:
        nonlocal stopping
        stopping = True

    signal.signal(signal.SIGINT, on_signal)
    signal.signal(signal.SIGTERM, on_signal)
    code = 0
    try:
        for name in SERVICES:
            # Own process groups: Ctrl-C reaches only `opad up`, which stops them in order.
            procs[name] = subprocess.Popen(
                [sys.executable, "-m", "opad", name], env=env, start_new_session=True
            )
        print(f"API:  {env['OPAD_API_URL']}  (docs at {env['OPAD_API_URL']}/docs)")
        print(f"Web:  http://{settings.web_host}:{settings.web_port}")
        print(f"Data: {settings.data_path}   — Ctrl-C stops everything")
        while not stopping:
            for name, proc in procs.items():
                if proc.poll() is not None:
                    print(
                        f"opad {name} exited with code {proc.returncode}; stopping", file=sys.stderr
                    )
                    stopping, code = True, 1
                    break
            time.sleep(0.3)
    finally:
        _stop_all(procs)
        if started_redis:
            embedded.stop(settings.data_path)
        print("stopped")
    return code


def _stop_all(procs: dict[str, subprocess.Popen[bytes]]) -> None:
    for proc in procs.values():
        if proc.poll() is None:
            proc.send_signal(signal.SIGTERM)
    deadline = time.monotonic() + STOP_SECONDS
    for proc in procs.values():
        try:
            proc.wait(max(0.1, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
