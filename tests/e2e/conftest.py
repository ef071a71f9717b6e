"""End-to-end fixtures: the whole pipeline on the machine's PostgreSQL and Redis."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.databases import emptied
from tests.e2e.cluster import Cluster, own_cluster
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


@pytest.fixture(scope="module")
def shared_cluster(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Cluster]:
    """One cluster (tests/e2e/cluster.py) for a module; its CLUSTER_ENV, if any, is added
    to the cluster's environment."""
    name = request.module.__name__.rsplit(".", 1)[-1]
    with own_cluster(
        tmp_path_factory.mktemp(name), **getattr(request.module, "CLUSTER_ENV", {})
    ) as c:
        yield c


@pytest.fixture
def cluster(shared_cluster: Cluster) -> Iterator[Cluster]:
    """The module's API and Redis, with this test's workers (killed afterwards)."""
    yield shared_cluster
    shared_cluster.stop_workers()
