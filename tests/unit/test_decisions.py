"""`decide` over every outcome × attempt × retry setting: what the worker carries out."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from opad.engines.base import GenerationResult
from opad.jobs.outcomes import (
    Broke,
    DeadLetter,
    Drop,
    Fail,
    Produced,
    Retry,
    Stopped,
    Succeed,
    TimedOut,
    decide,
    retry_delay,
)


@dataclass(frozen=True)
class Limits:
    max_attempts: int
    retry_base_seconds: float = 5.0
    retry_max_seconds: float = 300.0


READING = GenerationResult.model_construct(title="t", markdown="# t", word_count=1)
BUDGETS = [1, 2, 3, 5]
CASES = [(budget, attempt) for budget in BUDGETS for attempt in range(1, budget + 1)]


@pytest.mark.parametrize(("budget", "attempt"), CASES)
def test_a_reading_succeeds_on_any_attempt(budget: int, attempt: int) -> None:
    assert decide(Produced(READING), attempt, Limits(budget)) == Succeed(READING)


@pytest.mark.parametrize(("budget", "attempt"), CASES)
def test_a_stopped_run_is_dropped_and_keeps_whether_it_was_cancelled(
    budget: int, attempt: int
) -> None:
    limits = Limits(budget)
    assert decide(Stopped("taken over"), attempt, limits) == Drop("taken over", cancelled=False)
    assert decide(Stopped("cancelled", True), attempt, limits) == Drop("cancelled", cancelled=True)


@pytest.mark.parametrize(("budget", "attempt"), CASES)
def test_a_timeout_or_permanent_error_fails_without_retry(budget: int, attempt: int) -> None:
    limits = Limits(budget)
    assert decide(TimedOut(90), attempt, limits) == Fail("timed out after 90 s")
    assert decide(Broke("no such model", False), attempt, limits) == Fail("no such model")


@pytest.mark.parametrize(("budget", "attempt"), CASES)
def test_a_transient_error_retries_until_the_budget_then_dead_letters(
    budget: int, attempt: int
) -> None:
    decision = decide(Broke("HTTP 503", True), attempt, Limits(budget))
    if attempt < budget:
        assert decision == Retry("HTTP 503", 5.0 * 2 ** (attempt - 1))
    else:
        assert decision == DeadLetter(f"gave up after {attempt} attempts: HTTP 503")


def test_attempts_past_the_budget_still_dead_letter() -> None:
    # A message claimed again after a lost worker may count more attempts than the budget.
    assert decide(Broke("x", True), 7, Limits(3)) == DeadLetter("gave up after 7 attempts: x")


@pytest.mark.parametrize(
    ("attempts", "base", "cap", "jitter", "delay"),
    [
        (1, 5.0, 300.0, 1.0, 5.0),
        (2, 5.0, 300.0, 1.0, 10.0),
        (4, 5.0, 300.0, 1.0, 40.0),
        (7, 5.0, 300.0, 1.0, 300.0),  # 320 capped at 300
        (7, 5.0, 300.0, 0.5, 150.0),  # the cap is applied before the jitter
        (1, 2.0, 1.0, 1.0, 1.0),  # a cap below the base wins
        (3, 0.0, 300.0, 1.5, 0.0),  # no base, no wait
        (0, 5.0, 300.0, 1.0, 5.0),  # attempt 0 (never counted) waits the base
    ],
)
def test_retry_delays(attempts: int, base: float, cap: float, jitter: float, delay: float) -> None:
    limits = Limits(3, retry_base_seconds=base, retry_max_seconds=cap)
    assert retry_delay(attempts, limits, jitter) == pytest.approx(delay)


def test_the_retry_carries_the_jittered_delay() -> None:
    assert decide(Broke("x", True), 2, Limits(3), jitter=0.5) == Retry("x", 5.0)
    assert decide(Broke("x", True), 2, Limits(3), jitter=1.49) == Retry("x", pytest.approx(14.9))


def test_a_timeout_names_fractions_without_trailing_zeros() -> None:
    assert decide(TimedOut(1.25), 1, Limits(3)) == Fail("timed out after 1.25 s")
    assert decide(TimedOut(600.0), 1, Limits(3)) == Fail("timed out after 600 s")
