"""What a reading cost: each step's prompt and completion tokens at its model's price."""

from __future__ import annotations

import pytest

from opad.prices import PER_TOKENS, cost_usd, parse_prices, price_of

TABLE = parse_prices("mini=0.40/1.60,big=2/8")


def test_prices_are_per_million_tokens() -> None:
    one_million = {"write": {"prompt_tokens": PER_TOKENS, "completion_tokens": PER_TOKENS}}
    assert cost_usd(TABLE, one_million, {"write": "mini"}) == pytest.approx(2.0)
    assert cost_usd(TABLE, one_million, {"write": "big"}) == pytest.approx(10.0)


def test_prompt_and_completion_have_their_own_price() -> None:
    prompt_only = {"s": {"prompt_tokens": 500_000}}
    completion_only = {"s": {"completion_tokens": 500_000}}
    assert cost_usd(TABLE, prompt_only, {"s": "big"}) == pytest.approx(1.0)
    assert cost_usd(TABLE, completion_only, {"s": "big"}) == pytest.approx(4.0)


def test_a_step_without_tokens_needs_no_price() -> None:
    steps = {"pick": {"prompt_tokens": 0, "completion_tokens": 0}, "write": {"prompt_tokens": 10}}
    # "pick" ran no model (or none is known): it adds nothing and does not hide the cost.
    assert cost_usd(TABLE, steps, {"write": "mini"}) == pytest.approx(0.000004)


def test_a_step_with_tokens_but_no_known_model_gives_no_figure() -> None:
    assert cost_usd(TABLE, {"s": {"prompt_tokens": 1}}, {}) is None
    assert cost_usd(TABLE, {"s": {"completion_tokens": 1}}, {"s": "other"}) is None


def test_costs_are_rounded_to_a_millionth_of_a_dollar() -> None:
    tiny = {"s": {"prompt_tokens": 1, "completion_tokens": 1}}  # 0.0000004 + 0.0000016
    assert cost_usd(TABLE, tiny, {"s": "mini"}) == 0.000002
    assert cost_usd(TABLE, {}, {}) == 0.0


def test_the_last_entry_for_a_model_wins_and_prefixes_are_dropped() -> None:
    table = parse_prices("openai/m=1/1, m=2/3")
    assert table == {"m": (2.0, 3.0)}
    assert price_of(table, "anthropic/m") == (2.0, 3.0)
    assert price_of(parse_prices("a/b/c=1/2"), "x/b/c") == (1.0, 2.0)  # only the first part


def test_free_models_cost_nothing() -> None:
    table = parse_prices("llama3=0/0")
    assert cost_usd(table, {"s": {"prompt_tokens": 9999}}, {"s": "ollama/llama3"}) == 0.0
