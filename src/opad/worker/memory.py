"""A worker process that holds too much memory hands over to a fresh copy of itself.

Why: a worker loads a language's word data and analyzer on the first job in it and keeps
them, since the next job in that language would pay the load again (seconds). Per
language that is 50–500 MB (Kiwi's Korean model alone ~500 MB; docs/benchmarks.md §13),
so a process that has run every shipped language holds over 1.6 GB. Python gives little
of it back to the system once freed (its allocator keeps partly used arenas), so the one
way back to idle is a new process — what Celery's `worker_max_memory_per_child` and uWSGI's
`reload-on-rss` do.

The rule (OPAD_WORKER_MAX_RSS_MB, 0 = never): after a job, if the process's resident
memory is over the limit *and* it has run jobs in two languages or more, it drains — no
new claims, the jobs it runs finish (no deadline: a crew's minutes of work are not thrown
away), it leaves the registry like any stopping worker — and a fresh process takes its
place:
- in `opad worker --processes N` (worker/group.py) the group starts the fresh process as
  soon as the drain begins (the process says so on a pipe the group gave it), so the
  slots of the draining one are not idle while its last jobs finish; it then exits 0;
- alone, it replaces itself once drained by the same command line (`exec`: same pid, so a
  service manager sees one process that never died).

A process that has run a single language is left as it is: a fresh one would grow back to
the same size on its next job in that language, so replacing it would only add the load
to every job. For the same reason the languages a worker prepares at start
(OPAD_WORKER_WARM) do not count, and a limit the process nearly fills at start (over
START_SHARE of it) is not applied: it would replace itself after nearly every job.
"""

from __future__ import annotations

import logging
import os
import signal
import sys
from collections.abc import Callable, Iterable

log = logging.getLogger("opad.worker")

# The share of the limit a process may hold at start for the limit to apply: a fresh
# process needs room for a language or two before it is over again.
START_SHARE = 0.75
STOP_SIGNALS = {signal.SIGTERM, signal.SIGINT}


def rss_mb() -> float | None:
    """This process's resident set size in MB (VmRSS of /proc/self/status), or None where
    there is no /proc (not Linux): the limit is then never applied."""
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) / 1024  # the kernel reports kB
    except OSError:
        return None
    return None


class MemoryLimit:
    """Decides, after each job, whether this process should hand over to a fresh one.

    `limit_mb` 0 disables it. `warmed`: the language codes prepared at start (a fresh
    process loads them again, so they do not count). `measure` returns the resident size
    in MB (injectable for the rule's tests)."""

    def __init__(
        self,
        limit_mb: int,
        warmed: Iterable[str] = (),
        measure: Callable[[], float | None] = rss_mb,
    ) -> None:
        self.limit_mb = limit_mb
        self.warmed = set(warmed)
        self.measure = measure
        self.languages: set[str] = set()

    def check_start(self) -> None:
        """At start (after any warming): a limit the process already (nearly) fills could
        only make it start afresh after (nearly) every job, so it is switched off, loudly."""
        size = self.measure() if self.limit_mb else None
        if size is not None and size > self.limit_mb * START_SHARE:
            log.warning(
                "this worker process holds %.0f MB at start, too near OPAD_WORKER_MAX_RSS_MB"
                "=%d to start afresh usefully (fewer languages in OPAD_WORKER_WARM, or a "
                "higher limit): not applied",
                size,
                self.limit_mb,
            )
            self.limit_mb = 0

    def job_ran(self, code: str) -> None:
        """Note a job's language code (any job that reached the engine)."""
        if code not in self.warmed:
            self.languages.add(code)

    def over(self) -> float | None:
        """The resident size in MB when the process should hand over, else None."""
        if not self.limit_mb or len(self.languages) < 2:
            return None
        size = self.measure()
        return size if size is not None and size > self.limit_mb else None


# Set by worker/group.py for its processes: the pipe on which a process tells the group it
# is draining. Internal: not a setting.
HANDOVER_FD = "OPAD_WORKER_HANDOVER_FD"
DRAINING = b"draining\n"


def tell_group() -> bool:
    """Tell the group this process drains (it starts the fresh one now); False when the
    process is not in a group (it will replace itself once drained)."""
    fd = os.environ.get(HANDOVER_FD, "")
    if not fd.isdigit():
        return False
    try:
        os.write(int(fd), DRAINING)
    except OSError:
        return False  # the group is gone: replace itself, as a lone worker
    return True


def replace_process(stop_requested: Callable[[], bool]) -> None:
    """Run this process's own command line again in its place (same pid, fresh memory);
    returns instead when a stop was asked for meanwhile (`stop_requested`, or a SIGTERM or
    SIGINT not yet handled).

    Called only after the worker stopped and closed its connections; file descriptors
    Python opened are close-on-exec, so the new process starts clean. The stop signals
    stay blocked through the exec, so one that comes now waits for the new process
    (opad.worker.runner unblocks them once its handlers are set) instead of being lost."""
    signal.pthread_sigmask(signal.SIG_BLOCK, STOP_SIGNALS)
    if stop_requested() or STOP_SIGNALS & signal.sigpending():
        signal.pthread_sigmask(signal.SIG_UNBLOCK, STOP_SIGNALS)  # handled: the process ends
        return
    log.info("worker process %d: starting afresh (OPAD_WORKER_MAX_RSS_MB)", os.getpid())
    for handler in logging.getLogger().handlers:
        handler.flush()
    sys.stdout.flush()
    sys.stderr.flush()
    os.execv(sys.executable, sys.orig_argv)
