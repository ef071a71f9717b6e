"""The PostgreSQL engine is sized by the settings."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import QueuePool, text

from opad.db.session import make_engine
from tests.conftest import make_settings


def test_pool_size_and_overflow_come_from_settings(tmp_path: Path, pg_url: str) -> None:
    settings = make_settings(
        tmp_path, DATABASE_URL=pg_url, OPAD_DB_POOL_SIZE=3, OPAD_DB_MAX_OVERFLOW=1
    )
    engine = make_engine(settings)
    try:
        pool = engine.pool
        assert isinstance(pool, QueuePool)
        assert (pool.size(), pool._max_overflow) == (3, 1)
        assert pool.timeout() == settings.db_timeout_seconds
        with engine.connect() as conn:
            assert conn.execute(text("SELECT 1")).scalar() == 1
    finally:
        engine.dispose()
