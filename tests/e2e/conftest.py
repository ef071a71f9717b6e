"""End-to-end fixtures: the whole pipeline on the machine's PostgreSQL and Redis."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.databases import emptied
from tests.processes import Stack, base_env


@pytest.fixture
def pg_stack(tmp_path: Path, pg_url: str, machine_redis_url: str) -> Iterator[Stack]:
    """api + worker processes on PostgreSQL and the machine's Redis."""

    emptied(pg_url)
    s = Stack(
        env=base_env(tmp_path, DATABASE_URL=pg_url, REDIS_URL=machine_redis_url),
        data_dir=tmp_path,
    )
    s.migrate()
    s.start_api()
    s.start("worker")
    yield s
    s.stop()
