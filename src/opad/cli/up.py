"""`opad up`: the whole stack on one machine, each service its own process."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from types import FrameType

from opad.db.migrate import current_revision, upgrade
from opad.db.session import make_engine
from opad.queue import embedded
from opad.settings import Settings, local_url

SERVICES = ("api", "worker", "web")
LABELS = {"api": "the API", "worker": "the worker", "web": "the web"}
STOP_SECONDS = 40  # the worker's grace period, and a little more
PATIENCE_SECONDS = 2.0  # after this, say again what the stop is waiting for


# One Ctrl-C can arrive twice within milliseconds: under `make run` the terminal sends
# SIGINT to the whole process group and `uv run` forwards its own copy to `opad up` (uv
# forwards SIGINT when its stdin is no terminal or the child left its group). A person's
# second Ctrl-C comes later than this.
SAME_SIGNAL_SECONDS = 0.5


class _Signals:
    """Ctrl-C (or SIGTERM) count: the first stops gracefully, the second at once; copies
    of one signal arriving within SAME_SIGNAL_SECONDS count once."""

    def __init__(self) -> None:
        self.count = 0
        self.last = -SAME_SIGNAL_SECONDS

    def __call__(self, _signum: int, _frame: FrameType | None) -> None:
        now = time.monotonic()
        if now - self.last >= SAME_SIGNAL_SECONDS:
            self.count += 1
        self.last = now


def _port_problem(host: str, port: int) -> str | None:
    """Why a server could not listen on host:port now, or None when it could."""
    try:
        # As uvicorn binds (SO_REUSEADDR): a port in TIME_WAIT is free, a listener is not.
        with socket.create_server((host, port)):
            return None
    except OSError as exc:
        return exc.strerror or str(exc)


def _free_port_near(host: str, port: int, avoid: set[int]) -> int | None:
    for candidate in range(port + 1, min(port + 100, 65536)):
        if candidate not in avoid and _port_problem(host, candidate) is None:
            return candidate
    return None


def port_problems(settings: Settings) -> list[str]:
    """One message per port `opad up` needs that is taken, each saying how to pick another."""
    wanted = [
        ("the API", "OPAD_API_PORT", settings.api_host, settings.api_port),
        ("the web", "OPAD_WEB_PORT", settings.web_host, settings.web_port),
    ]
    if settings.worker_metrics_port:
        wanted.append(
            (
                "the worker's metrics",
                "OPAD_WORKER_METRICS_PORT",
                settings.worker_metrics_host,
                settings.worker_metrics_port,
            )
        )
    ports = {port for *_, port in wanted}
    problems: list[str] = []
    seen: dict[int, str] = {}
    for label, variable, host, port in wanted:
        if port in seen:
            problems.append(
                f"{label} and {seen[port]} are both set to port {port}: give {variable} "
                "another value."
            )
            continue
        seen[port] = variable
        reason = _port_problem(host, port)
        if reason is None:
            continue
        other = _free_port_near(host, port, ports)
        # Not suggested twice: with the API's and the web's ports both taken, each gets
        # its own free one.
        ports.add(other if other else port + 1)
        example = f"{variable}={other if other else port + 1}"
        problems.append(
            f"port {port} on {host}, which {label} uses, is not available ({reason}); "
            "another program, perhaps an OPAD started earlier, listens there. Stop it, or "
            f"choose another port: `{example} make run` (or `{example} opad up`, or "
            f"{variable} in .env)."
        )
    return problems


def run_stack(settings: Settings) -> int:
    """Start everything, print the URLs, and stop it all on Ctrl-C; returns the exit code."""
    problems = port_problems(settings)
    if problems:
        for problem in problems:
            print(f"error: {problem}", file=sys.stderr)
        return 1
    env = dict(os.environ)
    env["OPAD_DATA_DIR"] = str(settings.data_path)
    started_redis = False
    if not settings.redis_url:
        url, started_redis = embedded.ensure_running(settings.data_path)
        env["REDIS_URL"] = url
        print(f"Redis (embedded): {url}")
    # The web talks to the API started here, wherever OPAD_API_URL may point.
    env["OPAD_API_URL"] = local_url(settings.api_host, settings.api_port)

    engine = make_engine(settings)
    upgrade(engine)
    print(f"Database: {engine.url.render_as_string()} (revision {current_revision(engine)})")
    engine.dispose()

    procs: dict[str, subprocess.Popen[bytes]] = {}
    signals = _Signals()
    signal.signal(signal.SIGINT, signals)
    signal.signal(signal.SIGTERM, signals)
    code = 0
    try:
        for name in SERVICES:
            # Own process groups: Ctrl-C reaches only `opad up`, which stops them in order.
            procs[name] = subprocess.Popen(
                [sys.executable, "-m", "opad", name], env=env, start_new_session=True
            )
        print(f"API:  {env['OPAD_API_URL']}  (docs at {env['OPAD_API_URL']}/docs)")
        print(f"Web:  {local_url(settings.web_host, settings.web_port)}")
        print(f"Data: {settings.data_path}   — Ctrl-C stops everything")
        while not signals.count and not code:
            for name, proc in procs.items():
                if proc.poll() is not None:
                    print(
                        f"opad {name} exited with code {proc.returncode}; stopping", file=sys.stderr
                    )
                    code = 1
                    break
            time.sleep(0.1)
    finally:
        started = time.monotonic()
        _stop_all(procs, signals)
        if started_redis:
            print("Stopping: the embedded Redis (it saves the queue to disk)…", flush=True)
            embedded.stop(settings.data_path)
        print(f"stopped in {time.monotonic() - started:.1f} s")
    return code


def _stop_all(procs: dict[str, subprocess.Popen[bytes]], signals: _Signals) -> None:
    """SIGTERM every service, say what is still running, and kill on a second Ctrl-C."""
    running = {name: proc for name, proc in procs.items() if proc.poll() is None}
    if not running:
        return
    print(f"Stopping: waiting for {_names(running)} to finish…", flush=True)
    for proc in running.values():
        proc.send_signal(signal.SIGTERM)
    first_signals = signals.count
    start = time.monotonic()
    told = False
    while running:
        for name in [n for n, p in running.items() if p.poll() is not None]:
            del running[name]
        elapsed = time.monotonic() - start
        if not running:
            break
        if signals.count > first_signals or elapsed > STOP_SECONDS:
            print(f"Stopping at once: {_names(running)}", flush=True)
            for proc in running.values():
                proc.kill()
                proc.wait()
            break
        if not told and elapsed > PATIENCE_SECONDS:
            told = True
            why = " (it finishes or hands back its jobs)" if "worker" in running else ""
            print(
                f"Still waiting for {_names(running)}{why}; Ctrl-C again to stop at once.",
                flush=True,
            )
        time.sleep(0.05)


def _names(procs: dict[str, subprocess.Popen[bytes]]) -> str:
    labels = [LABELS.get(name, name) for name in procs]
    return labels[0] if len(labels) == 1 else ", ".join(labels[:-1]) + " and " + labels[-1]
