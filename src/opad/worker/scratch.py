"""A worker's own folder for temporary files, emptied of dead workers' leftovers at start.

Speech engines write WAV files (several MB a reading) to temporary folders; a worker killed
mid-way (SIGKILL, OOM) cannot remove them. Each worker process therefore makes its
temporary files under `<data dir>/tmp/<host>-<pid>-…` (Python's `tempfile` and the
programs it starts, through TMPDIR), and at start removes the folders of processes on
this host that no longer run.
"""

from __future__ import annotations

import logging
import os
import shutil
import socket
import tempfile
from pathlib import Path

log = logging.getLogger("opad.worker")


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # someone else's process: alive
        return True
    return True


def sweep_dead(root: Path) -> int:
    """Remove the scratch folders of this host's workers that no longer run; how many."""
    host = socket.gethostname()
    removed = 0
    for folder in root.glob(f"{host}-*"):
        pid = folder.name[len(host) + 1 :].split("-", 1)[0]
        if pid.isdigit() and int(pid) != os.getpid() and not _alive(int(pid)):
            shutil.rmtree(folder, ignore_errors=True)
            removed += 1
    if removed:
        log.info("removed the temporary files of %d stopped worker(s)", removed)
    return removed


def use_own_scratch(data_path: Path, worker_id: str) -> Path:
    """Make this process's temporary files go to a folder of its own; returns it."""
    root = data_path / "tmp"
    root.mkdir(parents=True, exist_ok=True)
    sweep_dead(root)
    folder = root / worker_id
    folder.mkdir(exist_ok=True)
    tempfile.tempdir = str(folder)
    os.environ["TMPDIR"] = str(folder)  # programs a speech engine starts (ffmpeg, …)
    return folder
