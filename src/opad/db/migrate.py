"""Alembic, configured from code: `opad migrate`, and the schema check services run at start.

The check (`ensure_current`) does not import Alembic: the API and web processes would keep
~11 MB of it for one question at start (docs/benchmarks.md §5). It reads the revision and
down_revision of each migration file and the `alembic_version` table itself; a unit test
holds its answer to Alembic's (tests/unit/test_schema_check.py).
"""

from __future__ import annotations

import ast
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import Engine, text
from sqlalchemy.exc import OperationalError, ProgrammingError

from opad.errors import OpadError

if TYPE_CHECKING:
    from alembic.config import Config

MIGRATIONS = Path(__file__).with_name("migrations")
_PG_LOCK_ID = 704_001  # any constant every replica shares


class SchemaOutOfDate(OpadError):
    status_code = 503
    error = "database schema out of date"


def alembic_config(engine: Engine) -> Config:
    """An Alembic config bound to `engine` (no alembic.ini needed)."""
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    cfg.set_main_option("sqlalchemy.url", engine.url.render_as_string(hide_password=False))
    return cfg


def head_revision(engine: Engine) -> str | None:
    """The newest migration shipped with this version of OPAD (Alembic's answer)."""
    from alembic.script import ScriptDirectory

    return ScriptDirectory.from_config(alembic_config(engine)).get_current_head()


def current_revision(engine: Engine) -> str | None:
    """The migration the database is at (None when empty)."""
    from alembic.runtime.migration import MigrationContext

    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def shipped_head(folder: Path = MIGRATIONS / "versions") -> str | None:
    """The head of the migration files in `folder`, read without Alembic: the revision
    no other file names as its down_revision (None without files). ValueError when there
    is not exactly one (a branch not merged yet)."""
    revisions: set[str] = set()
    parents: set[str] = set()
    for path in sorted(folder.glob("*.py")):
        values: dict[str, object] = {}
        for node in ast.parse(path.read_text(encoding="utf-8")).body:
            if isinstance(node, ast.Assign) and len(node.targets) == 1:
                target = node.targets[0]
                if isinstance(target, ast.Name) and target.id in ("revision", "down_revision"):
                    values[target.id] = ast.literal_eval(node.value)
        revision, down = values.get("revision"), values.get("down_revision")
        if not isinstance(revision, str):
            continue
        revisions.add(revision)
        if isinstance(down, str):
            parents.add(down)
        elif isinstance(down, tuple | list):
            parents.update(str(d) for d in down)
    heads = revisions - parents
    if len(heads) > 1:
        raise ValueError(f"several migration heads: {sorted(heads)}")
    return next(iter(heads), None)


def recorded_revision(engine: Engine) -> str | None:
    """The revision in the database's `alembic_version` table (None when empty or when
    there is no such table), read without Alembic."""
    # A query and its error, not sqlalchemy.inspect: the inspector's reflection
    # machinery was ~1.4 MB of the API process for this one look.
    with engine.connect() as conn:
        try:
            return conn.execute(text("SELECT version_num FROM alembic_version")).scalar()
        except (ProgrammingError, OperationalError):  # no such table: an empty database
            return None


def upgrade(engine: Engine, revision: str = "head") -> None:
    """Migrate to `revision`; on PostgreSQL under an advisory lock so replicas can race safely."""
    from alembic import command

    cfg = alembic_config(engine)
    with engine.begin() as conn:
        if conn.dialect.name == "postgresql":
            # A transaction-level lock: released by the COMMIT itself, so the next replica
            # waits until this one's DDL is visible (a session lock released before the
            # commit would let it read the old revision and redo the migration).
            conn.execute(text("SELECT pg_advisory_xact_lock(:id)"), {"id": _PG_LOCK_ID})
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, revision)


def downgrade(engine: Engine, revision: str) -> None:
    """Migrate down to `revision` ("base" empties the schema)."""
    from alembic import command

    cfg = alembic_config(engine)
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.downgrade(cfg, revision)


def ensure_current(engine: Engine) -> None:
    """Refuse to run on a schema that is not at head."""
    current, head = recorded_revision(engine), shipped_head()
    if current != head:
        raise SchemaOutOfDate(
            f"the database is at revision {current or 'empty'}, this OPAD needs {head}: "
            "run `opad migrate` first"
        )
