"""Migration 0005 (expiring tokens, the deletion outbox) up and down with data in place,
on SQLite and PostgreSQL: the web's earlier sign-ins become sessions; down drops cleanly."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import inspect, text

from opad.bootstrap import Services
from opad.db.migrate import current_revision, downgrade, upgrade
from opad.users import LOCAL_USER_ID

NOW = datetime(2026, 11, 1, tzinfo=UTC)


def test_0005_up_and_down_with_tokens_in_place(services: Services) -> None:
    engine = services.db.engine
    downgrade(engine, "0004")
    with engine.begin() as conn:
        for n, name in enumerate(("web sign-in", "my laptop")):
            conn.execute(
                text(
                    "INSERT INTO api_tokens (id, user_id, name, token_hash, prefix, created_at)"
                    " VALUES (:id, :user, :name, :hash, 'opad_x', :now)"
                ),
                {"id": f"t{n}", "user": LOCAL_USER_ID, "name": name, "hash": f"h{n}", "now": NOW},
            )
    upgrade(engine, "0005")
    assert current_revision(engine) == "0005"
    with engine.connect() as conn:
        kinds = dict(conn.execute(text("SELECT name, kind FROM api_tokens")).all())
        expiries = conn.execute(text("SELECT expires_at FROM api_tokens")).scalars().all()
    assert kinds == {"web sign-in": "session", "my laptop": "personal"}
    assert expiries == [None, None]
    assert "pending_deletions" in inspect(engine).get_table_names()
    with engine.begin() as conn:
        conn.execute(
            text("INSERT INTO pending_deletions (article_id, created_at) VALUES ('a1', :now)"),
            {"now": NOW},
        )
        attempts = conn.execute(text("SELECT attempts FROM pending_deletions")).scalar_one()
    assert attempts == 0  # the server default, for rows written by other clients

    downgrade(engine, "0004")
    assert "pending_deletions" not in inspect(engine).get_table_names()
    columns = {c["name"] for c in inspect(engine).get_columns("api_tokens")}
    assert not {"kind", "expires_at"} & columns
    with engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM api_tokens")).scalar_one() == 2
    upgrade(engine)
