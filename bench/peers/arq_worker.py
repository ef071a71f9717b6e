"""arq worker (burst: exits when the queue is empty)."""

from __future__ import annotations

import sys

from arq.connections import RedisSettings
from arq.worker import run_worker

from bench.peers.tasks import anoop


class Settings:
    functions = [anoop]
    redis_settings = RedisSettings.from_dsn(sys.argv[1])
    burst = True
    max_jobs = 10  # arq's default
    keep_result = 3600


if __name__ == "__main__":
    run_worker(Settings)  # type: ignore[arg-type]
