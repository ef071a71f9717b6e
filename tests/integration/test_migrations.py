"""Alembic migrations up and down on SQLite and PostgreSQL, and the start-up check."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import create_engine, inspect, text

from opad.bootstrap import Services
from opad.db.migrate import (
    SchemaOutOfDate,
    alembic_config,
    current_revision,
    downgrade,
    ensure_current,
    head_revision,
    upgrade,
)
from opad.db.models import Base
from tests.processes import OPAD, base_env

TABLES = {"articles", "jobs"}


def revisions(services: Services) -> list[str]:
    """Every revision, oldest first."""
    script = ScriptDirectory.from_config(alembic_config(services.db.engine))
    return [r.revision for r in reversed(list(script.walk_revisions()))]


def tables(services: Services) -> set[str]:
    return set(inspect(services.db.engine).get_table_names())


def test_up_down_up(services: Services) -> None:
    engine = services.db.engine
    ensure_current(engine)
    assert tables(services) >= TABLES
    downgrade(engine, "base")
    assert not TABLES & tables(services)
    with pytest.raises(SchemaOutOfDate, match="run `opad migrate`"):
        ensure_current(engine)
    upgrade(engine)
    ensure_current(engine)
    assert head_revision(engine) == revisions(services)[-1]


def test_every_revision_up_and_down_from_empty(services: Services) -> None:
    engine = services.db.engine
    downgrade(engine, "base")
    assert current_revision(engine) is None and not TABLES & tables(services)
    steps = revisions(services)
    assert steps[0] == "0001" and steps[-1] == head_revision(engine)
    # Up one step at a time; each step also goes down and up again from where it landed.
    previous = "base"
    for rev in steps:
        upgrade(engine, rev)
        assert current_revision(engine) == rev
        downgrade(engine, previous)
        assert current_revision(engine) == (None if previous == "base" else previous)
        upgrade(engine, rev)
        previous = rev
    ensure_current(engine)
    # Then down one step at a time to the empty schema.
    for rev in reversed(steps[:-1]):
        downgrade(engine, rev)
        assert current_revision(engine) == rev
    downgrade(engine, "base")
    assert current_revision(engine) is None and not TABLES & tables(services)


def test_head_matches_the_models(services: Services) -> None:
    with services.db.engine.connect() as conn:
        diffs = compare_metadata(MigrationContext.configure(conn), Base.metadata)
    assert diffs == []


def test_library_indexes(services: Services) -> None:
    indexes = {
        ix["name"]: ix["column_names"] for ix in inspect(services.db.engine).get_indexes("articles")
    }
    assert indexes["ix_articles_status_created_at"] == ["status", "created_at"]
    assert indexes["ix_articles_language_level_created_at"] == ["language", "level", "created_at"]
    assert indexes["ix_articles_created_at"] == ["created_at"]
    # The composite indexes start with these columns: the single ones would only cost writes.
    assert "ix_articles_status" not in indexes and "ix_articles_language_level" not in indexes


def test_concurrent_migrate_on_postgresql(tmp_path: Path, pg_url: str) -> None:
    """Three replicas run `opad migrate` at once on an empty database: all succeed."""
    engine = create_engine(pg_url)
    with engine.begin() as conn:
        conn.execute(text("DROP SCHEMA public CASCADE; CREATE SCHEMA public"))
    env = base_env(tmp_path, DATABASE_URL=pg_url)
    procs = [
        subprocess.Popen(
            [*OPAD, "migrate"], env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT
        )
        for _ in range(3)
    ]
    outputs = [p.communicate(timeout=120)[0].decode() for p in procs]
    try:
        assert [p.returncode for p in procs] == [0, 0, 0], outputs
        head = head_revision(engine)
        assert all(f"database at revision {head}" in out for out in outputs), outputs
        with engine.connect() as conn:
            assert conn.execute(text("SELECT version_num FROM alembic_version")).all() == [(head,)]
    finally:
        engine.dispose()
