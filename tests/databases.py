"""The session's PostgreSQL database, emptied for a test that starts its own stack.

`pg_url` is one database per test process (xdist worker, `--dist loadfile`): tests of
other files in the same process leave rows behind in it (a daily plan left there makes
every later stack's worker write daily readings), so a stack starts on an empty schema.
"""

from __future__ import annotations

from sqlalchemy import create_engine, text


def emptied(pg_url: str) -> str:
    """`pg_url` after dropping and recreating its `public` schema (no tables, no rows)."""
    engine = create_engine(pg_url)
    with engine.begin() as conn:
        conn.execute(text("DROP SCHEMA public CASCADE; CREATE SCHEMA public"))
    engine.dispose()
    return pg_url
