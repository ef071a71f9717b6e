"""`opad worker --processes N`: N worker processes under one command, one per core.

A crew spends its CPU in Python (CrewAI's event bus, prompt assembly, pydantic), so one
process holds one core whatever its slots. Each process here is a whole `opad worker`
of its own — its own worker id, lease, registry entry and processing list — so every
guarantee of one worker holds for each (docs/protocol.md, "the reliable protocol"):

- SIGTERM/SIGINT reach every process, which stops as a lone worker does (running jobs
  finish within the grace period, the rest go back to the queue); the group then exits 0.
- A process that dies on its own is a crash: its lease expires and a reaper recovers its
  jobs, as for any worker. The group then stops the others gracefully and exits with the
  dead one's code, so the service manager (systemd, Docker, Kubernetes) sees the failure
  and restarts the group — a half-sized group would hide it.
- If the group itself is killed (SIGKILL, OOM), the kernel kills its processes too
  (PR_SET_PDEATHSIG): a crash of the whole worker, recovered the same way.
"""

from __future__ import annotations

import ctypes
import logging
import os
import signal
import subprocess
import sys
import time
from types import FrameType

log = logging.getLogger("opad.worker")

PR_SET_PDEATHSIG = 1
POLL_SECONDS = 0.2


def default_processes() -> int:
    """One process per core this process may run on."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not Linux
        return max(1, os.cpu_count() or 1)


def _die_with_parent() -> None:
    # Runs in the child between fork and exec: ask the kernel for SIGKILL when the group
    # process dies, then make sure it has not died already.
    parent = os.getppid()
    try:
        ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    except (OSError, AttributeError):
        return  # not Linux: the children outlive a killed group (their leases still expire)
    if os.getppid() != parent:
        os._exit(1)


def _child_env(index: int) -> dict[str, str]:
    env = dict(os.environ)
    port = env.get("OPAD_WORKER_METRICS_PORT", "")
    if port.isdigit() and int(port):
        # One metrics endpoint per process: the first on the port asked for, then +1, +2…
        env["OPAD_WORKER_METRICS_PORT"] = str(int(port) + index)
    return env


def run_group(processes: int, concurrency: int | None) -> int:
    """Start `processes` workers; return the exit code the command should end with."""
    command = [sys.executable, "-m", "opad", "worker", "--processes", "1"]
    if concurrency is not None:
        command += ["--concurrency", str(concurrency)]
    children = [
        subprocess.Popen(command, env=_child_env(n), preexec_fn=_die_with_parent)
        for n in range(processes)
    ]
    log.info("worker group: %d processes (pids %s)", processes, [c.pid for c in children])
    stopping = False

    def forward(signum: int, _frame: FrameType | None) -> None:
        nonlocal stopping
        stopping = True
        for child in children:
            if child.poll() is None:
                child.send_signal(signum)

    for sig in (signal.SIGTERM, signal.SIGINT):
        signal.signal(sig, forward)

    code = 0
    while any(c.poll() is None for c in children):
        ended = [c for c in children if c.returncode is not None]
        if not stopping and ended:
            # One process died on its own: stop the others (gracefully) and report it.
            code = next((c.returncode for c in ended if c.returncode), 0)
            log.error("worker process %s exited (%s): stopping the group", ended[0].pid, code)
            forward(signal.SIGTERM, None)
        time.sleep(POLL_SECONDS)
    if not code:
        # A graceful stop: fail only if a process failed to stop cleanly.
        code = next((c.returncode for c in children if c.returncode not in (0, None)), 0)
    return 128 - code if code < 0 else code  # killed by a signal: the shell's convention
