"""Token usage per task, counted from each LLM call's own report.

CrewAI's `result.token_usage` sums every agent's LLM lifetime counters, which counts a
shared LLM object once per agent (and again in every later crew). Each LLMCallCompleted
event carries the usage of exactly one call, so adding those up is exact.
"""

from __future__ import annotations

import threading
from typing import Any

from opad.engines.base import Usage

KEYS = ("prompt_tokens", "completion_tokens", "total_tokens")


def _as_int(value: Any) -> int:
    try:
        return max(0, int(value or 0))
    except (TypeError, ValueError):
        return 0


class UsageCounter:
    """Adds up calls per step; safe to feed from the event bus's threads."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._by_step: dict[str, dict[str, int]] = {}
        self.calls = 0

    def add(self, step: str, usage: dict[str, Any] | None) -> None:
        """Count one call (a call without a usage report counts as a call only)."""
        usage = usage or {}
        prompt = _as_int(usage.get("prompt_tokens", usage.get("input_tokens")))
        completion = _as_int(usage.get("completion_tokens", usage.get("output_tokens")))
        total = _as_int(usage.get("total_tokens")) or prompt + completion
        with self._lock:
            self.calls += 1
            counts = self._by_step.setdefault(step, dict.fromkeys(KEYS, 0))
            counts["prompt_tokens"] += prompt
            counts["completion_tokens"] += completion
            counts["total_tokens"] += total

    def result(self, model: str) -> Usage:
        """Per-step and total usage for the article record."""
        with self._lock:
            by_step = {step: dict(counts) for step, counts in self._by_step.items()}
        return Usage(
            model=model,
            prompt_tokens=sum(c["prompt_tokens"] for c in by_step.values()),
            completion_tokens=sum(c["completion_tokens"] for c in by_step.values()),
            total_tokens=sum(c["total_tokens"] for c in by_step.values()),
            by_step=by_step,
        )
