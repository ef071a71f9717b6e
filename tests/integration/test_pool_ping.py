"""PostgreSQL connections are pinged when they sat in the pool, not at every checkout
(opad.db.session._ping_when_idle): a connection the server dropped while idle is replaced
without an error; one dropped right after use fails one unit of work, and the next gets a
fresh connection."""

from __future__ import annotations

from pathlib import Path

import psycopg
import pytest
from sqlalchemy import text
from sqlalchemy.exc import OperationalError

from opad.db import session as db_session
from opad.db.session import Database
from tests.conftest import make_settings


def _backend_pid(db: Database) -> int:
    with db.session() as s:
        return int(s.execute(text("SELECT pg_backend_pid()")).scalar_one())


def _kill(pg_url: str, pid: int) -> None:
    admin = pg_url.replace("postgresql+psycopg://", "postgresql://", 1)
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute("SELECT pg_terminate_backend(%s)", (pid,))


def _database(tmp_path: Path, pg_url: str, pool_size: int = 1) -> Database:
    settings = make_settings(tmp_path, DATABASE_URL=pg_url, OPAD_DB_POOL_SIZE=pool_size)
    return Database(settings)


def test_a_connection_dropped_while_idle_is_replaced(
    tmp_path: Path, pg_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(db_session, "PING_AFTER_IDLE_SECONDS", 0.0)
    db = _database(tmp_path, pg_url)
    try:
        first = _backend_pid(db)
        _kill(pg_url, first)
        assert _backend_pid(db) != first  # pinged, found dead, reconnected: no error
    finally:
        db.close()


def test_a_connection_used_a_moment_ago_is_not_pinged(
    tmp_path: Path, pg_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(db_session, "PING_AFTER_IDLE_SECONDS", 3600.0)
    db = _database(tmp_path, pg_url)
    pings: list[object] = []
    monkeypatch.setattr(db.engine.dialect, "do_ping", lambda conn: pings.append(conn) or True)
    try:
        first = _backend_pid(db)
        _backend_pid(db)
        assert pings == []  # the statements went straight through
        _kill(pg_url, first)
        with pytest.raises(OperationalError):
            _backend_pid(db)  # the one unit of work that finds out
        assert _backend_pid(db) != first  # then a fresh connection
    finally:
        db.close()
