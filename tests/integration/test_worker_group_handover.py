"""The worker group's side of a hand-over (worker/group.py, worker/memory.py), with
stand-in processes for the workers: a process that says it drains is replaced at once
and left to finish, and a stop that comes while the replacement is being started
reaches it too (before, the group then waited for ever on a process nobody had told to
stop)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from opad.worker import group

# A stand-in worker: the first one says it drains, finishes its "jobs" and exits 0; the
# others work until SIGTERM, then stop cleanly.
STAND_IN = textwrap.dedent(
    """
    import os, signal, sys, time
    from opad.worker.memory import tell_group
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    if os.environ.get("FIRST") == "1":
        time.sleep(0.3)
        assert tell_group()  # what a worker over its limit says
        time.sleep(1.5)
        sys.exit(0)
    while True:
        time.sleep(0.1)
    """
)


@pytest.fixture
def handlers() -> Iterator[None]:
    """run_group sets SIGTERM and SIGINT handlers in this process: put them back."""
    saved = {s: signal.getsignal(s) for s in (signal.SIGTERM, signal.SIGINT)}
    yield
    for sig, handler in saved.items():
        signal.signal(sig, handler)


def stand_ins(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, *, stop_during_replacement: bool
) -> list[subprocess.Popen[bytes]]:
    script = tmp_path / "stand_in.py"
    script.write_text(STAND_IN)
    real = subprocess.Popen
    started: list[subprocess.Popen[bytes]] = []

    def popen(command: list[str], env: dict[str, str], **kwargs: Any) -> subprocess.Popen[bytes]:
        env = {**env, "FIRST": "1" if not started else ""}
        if started and stop_during_replacement and len(started) == 1:
            os.kill(os.getpid(), signal.SIGTERM)  # the group's handler runs inside Popen
        child = real([sys.executable, str(script)], env=env, **kwargs)
        started.append(child)
        return child

    monkeypatch.setattr(group.subprocess, "Popen", popen)
    return started


def test_a_stop_while_the_replacement_starts_reaches_it(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, handlers: None
) -> None:
    started = stand_ins(monkeypatch, tmp_path, stop_during_replacement=True)
    began = time.monotonic()
    code = group.run_group(1, None, restarts_per_minute=5)
    assert time.monotonic() - began < 20  # it did not wait on an unsignalled process
    assert code == 0
    assert len(started) == 2 and all(c.returncode is not None for c in started)


def test_a_process_that_drains_is_replaced_at_once_and_not_restarted(
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    handlers: None,
    caplog: pytest.LogCaptureFixture,
) -> None:
    started = stand_ins(monkeypatch, tmp_path, stop_during_replacement=False)

    def stop_later() -> None:
        # Once the first has handed over and exited: the replacement alone is left.
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            if len(started) == 2 and started[0].poll() is not None:
                break
            time.sleep(0.05)
        os.kill(os.getpid(), signal.SIGTERM)

    import threading

    threading.Thread(target=stop_later, daemon=True).start()
    caplog.set_level("INFO", logger="opad.worker")
    assert group.run_group(1, None, restarts_per_minute=0) == 0
    # Replaced while it still ran (not after it exited), with no restart spent: with a
    # budget of 0 a crash would have ended the group with an error.
    assert len(started) == 2 and started[0].returncode == 0 and started[1].returncode == 0
    assert "hands over" in caplog.text and "restart" not in caplog.text
