"""The schema check the services run at start reads the migrations without Alembic
(opad.db.migrate.shipped_head / recorded_revision): it must give Alembic's answers."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import create_engine

from opad.db.migrate import (
    SchemaOutOfDate,
    current_revision,
    downgrade,
    ensure_current,
    head_revision,
    recorded_revision,
    shipped_head,
    upgrade,
)


def test_the_shipped_head_is_alembics(tmp_path: Path) -> None:
    engine = create_engine(f"sqlite:///{tmp_path / 'db.sqlite'}")
    assert shipped_head() is not None
    assert shipped_head() == head_revision(engine)


def test_the_recorded_revision_is_alembics_at_every_step(tmp_path: Path) -> None:
    engine = create_engine(f"sqlite:///{tmp_path / 'db.sqlite'}")
    assert recorded_revision(engine) is None and current_revision(engine) is None
    with pytest.raises(SchemaOutOfDate, match="empty"):
        ensure_current(engine)
    upgrade(engine)
    assert recorded_revision(engine) == current_revision(engine) == shipped_head()
    ensure_current(engine)
    downgrade(engine, "-1")
    assert recorded_revision(engine) == current_revision(engine) != shipped_head()
    with pytest.raises(SchemaOutOfDate, match="opad migrate"):
        ensure_current(engine)


def test_two_heads_are_refused(tmp_path: Path) -> None:
    for name, revision, down in (("a", "0001", None), ("b", "0002", "0001"), ("c", "0003", "0001")):
        (tmp_path / f"{name}.py").write_text(
            f"revision = {revision!r}\ndown_revision = {down!r}\n", encoding="utf-8"
        )
    with pytest.raises(ValueError, match="several migration heads"):
        shipped_head(tmp_path)
    (tmp_path / "d.py").write_text(
        'revision = "0004"\ndown_revision = ("0002", "0003")\n', encoding="utf-8"
    )
    assert shipped_head(tmp_path) == "0004"
