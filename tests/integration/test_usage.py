"""The usage page's figures: a learner's readings only, by month and model (SQLite and
PostgreSQL, through the real API)."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

import httpx

from opad.api.app import create_app
from opad.bootstrap import Services
from opad.db.models import Article, User
from opad.services.usage import usage_summary
from opad.users import LOCAL_USER_ID
from tests.processes import ServerThread


def _reading(owner: str, when: datetime, prompt: int, completion: int, **kw: object) -> Article:
    return Article(
        id=str(uuid.uuid4()),
        owner_id=owner,
        language="English",
        level="B1",
        length=150,
        topic="parks",
        status="ready",
        created_at=when,
        prompt_tokens=prompt,
        completion_tokens=completion,
        **kw,
    )


def test_a_learner_sees_their_own_readings_by_month_and_model(services: Services) -> None:
    other = str(uuid.uuid4())
    nov, dec = datetime(2026, 11, 3, tzinfo=UTC), datetime(2026, 12, 1, tzinfo=UTC)
    with services.db.session() as session:
        session.add(User(id=other, email="other@example.org"))
        session.flush()
        session.add_all(
            [
                _reading(LOCAL_USER_ID, nov, 6000, 900, cost_usd=0.0038, llm_model="openai/a"),
                _reading(LOCAL_USER_ID, dec, 7000, 800, cost_usd=0.0041, llm_model="openai/a"),
                _reading(LOCAL_USER_ID, dec, 5000, 500, cost_usd=None, llm_model="local/b"),
                _reading(other, dec, 9000, 900, cost_usd=1.0, llm_model="openai/a"),
                # Made without an LLM (the offline engine): no figures, not counted.
                _reading(LOCAL_USER_ID, dec, None, None),  # type: ignore[arg-type]
            ]
        )
    mine = usage_summary(services, LOCAL_USER_ID)
    assert (mine["readings"], mine["unpriced"]) == (3, 1)
    assert mine["prompt_tokens"] == 18000 and mine["completion_tokens"] == 2200
    assert abs(mine["cost_usd"] - 0.0079) < 1e-9
    assert [m["month"] for m in mine["by_month"]] == ["2026-12", "2026-11"]
    assert mine["by_month"][0]["readings"] == 2
    assert [(m["model"], m["readings"]) for m in mine["by_model"]] == [
        ("local/b", 1),
        ("openai/a", 2),
    ]
    # A local install without sign-in: the one local user sees everything (scope None),
    # over the real API.
    with (
        ServerThread(create_app(services.settings, services)) as server,
        httpx.Client(base_url=server.url, timeout=10) as client,
    ):
        resp = client.get("/usage")
    assert resp.status_code == 200, resp.text
    assert resp.json()["readings"] == 4 and resp.json()["by_month"][0]["month"] == "2026-12"
