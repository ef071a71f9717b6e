"""OPAD_LLM_PRICES: the operator's price table, and what a reading cost at it."""

from __future__ import annotations

from pathlib import Path

import pytest
from pydantic import ValidationError

from opad.prices import cost_usd, parse_prices, price_of
from opad.web.app import format_usd
from tests.conftest import make_settings


def test_the_table_reads_models_with_or_without_their_provider() -> None:
    table = parse_prices(" gpt-4.1-mini=0.40/1.60 , openai/gpt-4.1=2/8,")
    assert table == {"gpt-4.1-mini": (0.4, 1.6), "gpt-4.1": (2.0, 8.0)}
    assert price_of(table, "openai/gpt-4.1-mini") == (0.4, 1.6)
    assert price_of(table, "gpt-4.1") == (2.0, 8.0)
    assert price_of(table, "claude-x") is None
    assert parse_prices("") == {}


@pytest.mark.parametrize("bad", ["gpt=1", "=1/2", "gpt=a/b", "gpt=-1/2", "gpt 1/2"])
def test_a_table_that_cannot_be_read_names_the_entry(bad: str) -> None:
    with pytest.raises(ValueError, match="OPAD_LLM_PRICES"):
        parse_prices(bad)


def test_settings_refuse_a_bad_table_at_start_up(tmp_path: Path) -> None:
    with pytest.raises(ValidationError, match="OPAD_LLM_PRICES"):
        make_settings(tmp_path, OPAD_LLM_PRICES="gpt-4.1-mini=cheap")
    settings = make_settings(tmp_path, OPAD_LLM_PRICES="m=1/2")
    assert settings.price_table == {"m": (1.0, 2.0)}


def test_each_step_costs_at_its_own_model_and_an_unpriced_model_gives_no_figure() -> None:
    table = parse_prices("small=1/2,big=10/20")
    by_step = {
        "find": {"prompt_tokens": 1000, "completion_tokens": 100, "total_tokens": 1100},
        "adapt": {"prompt_tokens": 2000, "completion_tokens": 500, "total_tokens": 2500},
    }
    models = {"find": "openai/small", "adapt": "openai/big"}
    # find: 1000×1 + 100×2 = 1200 µ$; adapt: 2000×10 + 500×20 = 30000 µ$.
    assert cost_usd(table, by_step, models) == pytest.approx(0.0312)
    assert cost_usd(table, by_step, {**models, "adapt": "openai/unknown"}) is None
    assert cost_usd(table, {"x": {"prompt_tokens": 0, "completion_tokens": 0}}, {}) == 0.0


def test_amounts_read_as_a_learner_expects() -> None:
    assert format_usd(0.0312) == "$0.03"
    assert format_usd(0.004217) == "$0.0042"
    assert format_usd(12.5) == "$12.50"
    assert format_usd(0) == "$0"
    assert format_usd(None) == ""
