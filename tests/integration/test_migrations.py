"""Alembic migrations up and down on SQLite and PostgreSQL, and the start-up check."""

from __future__ import annotations

import pytest
from sqlalchemy import inspect

from opad.bootstrap import Services
from opad.db.migrate import SchemaOutOfDate, downgrade, ensure_current, head_revision, upgrade


def test_up_down_up(services: Services) -> None:
    engine = services.db.engine
    ensure_current(engine)
    assert {"articles", "jobs"} <= set(inspect(engine).get_table_names())
    downgrade(engine, "base")
    assert not {"articles", "jobs"} & set(inspect(engine).get_table_names())
    with pytest.raises(SchemaOutOfDate, match="run `opad migrate`"):
        ensure_current(engine)
    upgrade(engine)
    ensure_current(engine)
    assert head_revision(engine) == "0002"
