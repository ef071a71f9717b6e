"""LLM prices per model (the operator's table) and what a reading cost at them.

`OPAD_LLM_PRICES` lists `model=input/output` pairs, in US dollars per million tokens,
separated by commas: `gpt-4.1-mini=0.40/1.60,gpt-4.1=2/8`. The figures come from the
operator (the provider's price page); OPAD ships none, since prices change and a local
model costs nothing per token. A model matches with or without its provider prefix
(`openai/gpt-4.1-mini` and `gpt-4.1-mini` are the same entry).
"""

from __future__ import annotations

from collections.abc import Mapping

PER_TOKENS = 1_000_000
Prices = dict[str, tuple[float, float]]  # model → (USD per 1M prompt, per 1M completion)


def parse_prices(text: str) -> Prices:
    """The table of `OPAD_LLM_PRICES`; ValueError naming the entry that is wrong."""
    table: Prices = {}
    for entry in (e.strip() for e in text.split(",")):
        if not entry:
            continue
        model, sep, pair = entry.rpartition("=")
        prompt, slash, completion = pair.partition("/")
        try:
            if not (sep and slash and model.strip()):
                raise ValueError
            prices = (float(prompt), float(completion))
        except ValueError:
            raise ValueError(
                f"OPAD_LLM_PRICES: {entry!r} is not model=input/output "
                "(US dollars per million tokens, e.g. gpt-4.1-mini=0.40/1.60)"
            ) from None
        if min(prices) < 0:
            raise ValueError(f"OPAD_LLM_PRICES: {entry!r} has a negative price")
        table[_bare(model.strip())] = prices
    return table


def _bare(model: str) -> str:
    return model.split("/", 1)[1] if "/" in model else model


def price_of(table: Prices, model: str) -> tuple[float, float] | None:
    """The (prompt, completion) prices of a model, or None when the table lacks it."""
    return table.get(_bare(model))


def cost_usd(
    table: Prices, by_step: Mapping[str, Mapping[str, int]], models: Mapping[str, str]
) -> float | None:
    """What the steps' tokens cost, each at the price of the model that ran it (`models`:
    step → model); None when a step that used tokens has no price in the table."""
    total = 0.0
    for step, counts in by_step.items():
        tokens = counts.get("prompt_tokens", 0) + counts.get("completion_tokens", 0)
        model = models.get(step)
        prices = price_of(table, model) if model else None
        if prices is None:
            if tokens:
                return None
            continue
        total += counts.get("prompt_tokens", 0) * prices[0] / PER_TOKENS
        total += counts.get("completion_tokens", 0) * prices[1] / PER_TOKENS
    return round(total, 6)
