"""`opad worker --processes N`: N worker processes under one command, one per core.

A crew spends its CPU in Python (CrewAI's event bus, prompt assembly, pydantic), so one
process holds one core whatever its slots. Each process here is a whole `opad worker`
of its own — its own worker id, lease, registry entry and processing list — so every
guarantee of one worker holds for each (docs/protocol.md, "the reliable protocol"):

- SIGTERM/SIGINT reach every process, which stops as a lone worker does (running jobs
  finish within the grace period, the rest go back to the queue); the group then exits 0.
- Every process is watched. One that dies on its own is a crash: its lease expires and a
  reaper recovers its jobs, as for any worker, and the group starts a new process in its
  place — up to OPAD_WORKER_RESTARTS_PER_MINUTE a minute. One death more in that minute
  and the group stops the others gracefully and exits non-zero (the dead one's code), so
  the service manager (systemd, Docker, Kubernetes) sees the failure and restarts the
  group: a group never runs half-sized in silence.
- If the group itself is killed (SIGKILL, OOM), the kernel kills its processes too
  (PR_SET_PDEATHSIG): a crash of the whole worker, recovered the same way.
- A process over OPAD_WORKER_MAX_RSS_MB (worker/memory.py) says on its pipe that it
  drains: the group starts its replacement at once and lets it finish its jobs and exit —
  a hand-over, not a crash (no restart counted).
"""

from __future__ import annotations

import ctypes
import logging
import os
import signal
import subprocess
import sys
import time
from collections import deque
from types import FrameType

from opad.worker.memory import DRAINING, HANDOVER_FD

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


def _child_env(index: int, handover_fd: int) -> dict[str, str]:
    env = dict(os.environ)
    env[HANDOVER_FD] = str(handover_fd)
    port = env.get("OPAD_WORKER_METRICS_PORT", "")
    if port.isdigit() and int(port):
        # One metrics endpoint per process: the first on the port asked for, then +1, +2…
        env["OPAD_WORKER_METRICS_PORT"] = str(int(port) + index)
    return env


def run_group(processes: int, concurrency: int | None, restarts_per_minute: int = 5) -> int:
    """Start `processes` workers and keep them running; return the exit code the command
    should end with (0 after a requested stop, the dead process's code when the group gave
    up restarting it)."""
    command = [sys.executable, "-m", "opad", "worker", "--processes", "1"]
    if concurrency is not None:
        command += ["--concurrency", str(concurrency)]

    pipes: dict[int, int] = {}  # child pid → the read end of its hand-over pipe
    forwarded: set[int] = set()  # the stop signals received

    def spawn(index: int) -> subprocess.Popen[bytes]:
        read, write = os.pipe()
        try:
            child = subprocess.Popen(
                command,
                env=_child_env(index, write),
                pass_fds=(write,),
                preexec_fn=_die_with_parent,
            )
        finally:
            os.close(write)
        os.set_blocking(read, False)
        pipes[child.pid] = read
        for signum in forwarded:
            # A stop came while it was being started (the handler ran inside Popen, before
            # the child was in `children`): it gets the stop too, else the group waits on
            # a process nobody told to stop.
            child.send_signal(signum)
        return child

    def handing_over(child: subprocess.Popen[bytes]) -> bool:
        try:
            said = os.read(pipes[child.pid], 64)
        except (BlockingIOError, KeyError):
            return False
        return DRAINING in said

    def forget(child: subprocess.Popen[bytes]) -> None:
        read = pipes.pop(child.pid, None)
        if read is not None:
            os.close(read)

    def handed_over(child: subprocess.Popen[bytes]) -> None:
        """One that handed over has ended: a non-zero exit was a crash while draining (its
        jobs' leases expire and a reaper recovers them)."""
        forget(child)
        if child.returncode:
            log.error("worker process %s exited (%s) while handing over",
                      child.pid, child.returncode)  # fmt: skip

    children = [spawn(n) for n in range(processes)]
    leaving: list[subprocess.Popen[bytes]] = []  # handed over, finishing their jobs
    log.info("worker group: %d processes (pids %s)", processes, [c.pid for c in children])
    restarts: deque[float] = deque()  # when each restart of the last minute happened
    stopping = False

    def forward(signum: int, _frame: FrameType | None) -> None:
        nonlocal stopping
        stopping = True
        forwarded.add(signum)
        for child in children + leaving:
            if child.poll() is None:
                child.send_signal(signum)

    for sig in (signal.SIGTERM, signal.SIGINT):
        signal.signal(sig, forward)

    code = 0
    while True:
        for child in children + leaving:
            child.poll()  # every child at every turn: a death is seen whichever it is
        for child in [c for c in leaving if c.returncode is not None]:
            leaving.remove(child)
            handed_over(child)
        if stopping and all(c.returncode is not None for c in children + leaving):
            break
        for n, child in enumerate(children):
            # Read even after it exited: a short job's drain can end within one poll.
            if not stopping and handing_over(child):
                if child.returncode is None:
                    leaving.append(child)
                else:
                    handed_over(child)
                children[n] = spawn(n)
                log.info(
                    "worker process %s hands over (OPAD_WORKER_MAX_RSS_MB): %s takes its "
                    "place while it finishes its jobs",
                    child.pid,
                    children[n].pid,
                )
                continue
            if stopping or child.returncode is None:
                continue
            forget(child)
            now = time.monotonic()
            while restarts and now - restarts[0] > 60:
                restarts.popleft()
            if len(restarts) < restarts_per_minute:
                restarts.append(now)
                children[n] = spawn(n)
                log.error(
                    "worker process %s exited (%s): restarted as %s (%d restart(s) this minute)",
                    child.pid,
                    child.returncode,
                    children[n].pid,
                    len(restarts),
                )
                continue
            code = child.returncode or 1
            log.error(
                "worker process %s exited (%s) after %d restart(s) this minute "
                "(OPAD_WORKER_RESTARTS_PER_MINUTE): stopping the group",
                child.pid,
                child.returncode,
                len(restarts),
            )
            forward(signal.SIGTERM, None)
        time.sleep(POLL_SECONDS)
    if not code:
        # A graceful stop: fail only if a process failed to stop cleanly. One the stop's
        # signal killed was still starting (a worker sets its handlers before its first
        # claim): it held no job, so that is clean too.
        clean = {0, None, *(-signum for signum in forwarded)}
        code = next((c.returncode for c in children if c.returncode not in clean), 0)
    return 128 - code if code < 0 else code  # killed by a signal: the shell's convention
