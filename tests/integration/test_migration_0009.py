"""Migration 0009 (word state history, the readings' lemma index) up and down with saved
words in place, on SQLite and PostgreSQL: every word saved before gets its first change."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import inspect, text

from opad.bootstrap import Services
from opad.db.migrate import current_revision, downgrade, upgrade
from opad.users import LOCAL_USER_ID

SAVED = datetime(2026, 11, 1, 9, tzinfo=UTC)


def test_0009_up_and_down_with_saved_words_in_place(services: Services) -> None:
    engine = services.db.engine
    downgrade(engine, "0008")
    with engine.begin() as conn:
        for n, state in enumerate(("learning", "known")):
            conn.execute(
                text(
                    "INSERT INTO saved_words (id, user_id, language, lemma, state, stage, "
                    "created_at, updated_at) VALUES (:id, :user, 'en', :lemma, :state, 0, "
                    ":at, :at)"
                ),
                {"id": f"w{n}", "user": LOCAL_USER_ID, "lemma": f"word{n}", "state": state,
                 "at": SAVED},
            )  # fmt: skip
    upgrade(engine, "0009")
    assert current_revision(engine) == "0009"
    with engine.connect() as conn:
        rows = conn.execute(
            text(
                "SELECT word_id, user_id, from_state, to_state, changed_at "
                "FROM word_state_changes ORDER BY word_id"
            )
        ).all()
    assert [(r[0], r[1], r[2], r[3]) for r in rows] == [
        ("w0", LOCAL_USER_ID, None, "learning"),
        ("w1", LOCAL_USER_ID, None, "known"),
    ]
    assert all(str(r[4]).startswith("2026-11-01") for r in rows)
    assert {"reading_index", "reading_lemmas"} <= set(inspect(engine).get_table_names())

    downgrade(engine, "0008")
    tables = set(inspect(engine).get_table_names())
    assert not {"word_state_changes", "reading_index", "reading_lemmas"} & tables
    with engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM saved_words")).scalar_one() == 2
    upgrade(engine)
