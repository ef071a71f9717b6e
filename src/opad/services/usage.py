"""What a learner's readings took: LLM tokens and their cost, by month and by model.

From the article records (filled by the worker when a reading is made; see
worker/records.usage_columns). A reading made without an LLM (the offline engine) has no
figures and is not counted; one whose model had no price when it was made counts its
tokens but no cost (`unpriced`).
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from sqlalchemy import select

from opad.bootstrap import Services
from opad.db.models import Article


def _totals() -> dict[str, Any]:
    return {
        "readings": 0,
        "prompt_tokens": 0,
        "completion_tokens": 0,
        "cost_usd": 0.0,
        "unpriced": 0,
    }


def _add(into: dict[str, Any], prompt: int, completion: int, cost: float | None) -> None:
    into["readings"] += 1
    into["prompt_tokens"] += prompt
    into["completion_tokens"] += completion
    into["cost_usd"] = round(into["cost_usd"] + (cost or 0.0), 6)
    into["unpriced"] += cost is None


def usage_summary(services: Services, owner_id: str | None) -> dict[str, Any]:
    """Totals, then per month (newest first) and per model; only `owner_id`'s when given."""
    query = select(
        Article.created_at,
        Article.prompt_tokens,
        Article.completion_tokens,
        Article.cost_usd,
        Article.llm_model,
    ).where(Article.prompt_tokens.is_not(None))
    if owner_id is not None:
        query = query.where(Article.owner_id == owner_id)
    total = _totals()
    months: dict[str, dict[str, Any]] = defaultdict(_totals)
    models: dict[str, dict[str, Any]] = defaultdict(_totals)
    with services.db.session() as session:
        for created, prompt, completion, cost, model in session.execute(query):
            prompt, completion = prompt or 0, completion or 0
            _add(total, prompt, completion, cost)
            _add(months[created.strftime("%Y-%m")], prompt, completion, cost)
            _add(models[model or "unknown"], prompt, completion, cost)
    return {
        **total,
        "by_month": [{"month": m, **months[m]} for m in sorted(months, reverse=True)],
        "by_model": [{"model": m, **models[m]} for m in sorted(models)],
    }
