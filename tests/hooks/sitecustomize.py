"""Test-only actions at the named points of a job's life (opad/hooks.py).

Every process a test stack starts has this folder on PYTHONPATH (tests/processes.py), so
Python imports this file at start-up; it does nothing unless a test asked for it:

- `OPAD_FAULT_INJECT=after_claim,after_commit,…`: the process exits (status 97) there,
  as if it crashed at that hand-off.
- `OPAD_TEST_PAUSE=point=/some/file`: at `point`, touch `/some/file.reached` and wait (up
  to 120 s) until the test creates `/some/file.go` — time for it to break something.
"""

from __future__ import annotations

import logging
import os
import time
from pathlib import Path


def _exit(point: str) -> None:
    logging.getLogger("opad.worker").error("fault injected at %s: exiting", point)
    os._exit(97)


def _pauser(path: Path):  # type: ignore[no-untyped-def]
    def pause(point: str) -> None:
        Path(f"{path}.reached").touch()
        deadline = time.monotonic() + 120
        while not Path(f"{path}.go").exists() and time.monotonic() < deadline:
            time.sleep(0.05)

    return pause


def _install() -> None:
    faults = [p for p in os.environ.get("OPAD_FAULT_INJECT", "").split(",") if p]
    pause = os.environ.get("OPAD_TEST_PAUSE", "")
    if not faults and not pause:
        return
    from opad import hooks

    for point in faults:
        hooks.install(point, _exit)
    if pause:
        point, _, path = pause.partition("=")
        hooks.install(point, _pauser(Path(path)))


_install()
