"""The abuse limits' rules without Redis: the queue-share cap, Retry-After of a full hourly
window, which login count throttles, and the keys failures are counted under."""

from __future__ import annotations

import pytest

from opad.services.limits import (
    TooManyRequests,
    first_at_limit,
    login_keys,
    queued_cap_refusal,
    seconds_until,
)


@pytest.mark.parametrize(("waiting", "cap"), [(0, 0), (50, 0), (0, 5), (4, 5), (0, 1)])
def test_under_the_cap_or_without_one_nothing_is_refused(waiting: int, cap: int) -> None:
    assert queued_cap_refusal(waiting, cap) is None


@pytest.mark.parametrize(("waiting", "cap"), [(5, 5), (6, 5), (1, 1)])
def test_at_the_cap_the_refusal_says_how_many_and_when(waiting: int, cap: int) -> None:
    refusal = queued_cap_refusal(waiting, cap)
    assert isinstance(refusal, TooManyRequests)
    assert (refusal.status_code, refusal.retry_after) == (429, 30)
    assert refusal.detail == (
        f"you have {waiting} readings waiting or being made (at most {cap}): "
        "try again when one is ready"
    )


@pytest.mark.parametrize(
    ("reset_at", "now", "seconds"),
    [
        (1000.0, 400.0, 600),
        (1000.0, 999.2, 1),  # rounded up: never "retry in 0 s"
        (1000.0, 998.9, 2),
        (1000.0, 1000.0, 1),  # already free: still at least a second
        (1000.0, 1500.0, 1),  # a clock ahead of Redis's
        (4600.0, 1000.0, 3600),
    ],
)
def test_retry_after_of_a_full_window(reset_at: float, now: float, seconds: int) -> None:
    assert seconds_until(reset_at, now) == seconds


def test_the_first_count_at_its_limit_throttles() -> None:
    assert first_at_limit([("pair", 4, 5), ("address", 19, 20)]) is None
    assert first_at_limit([("pair", 5, 5), ("address", 0, 20)]) == ("pair", 5)
    assert first_at_limit([("pair", 1, 5), ("address", 25, 20)]) == ("address", 25)
    assert first_at_limit([("pair", 9, 5), ("address", 30, 20)]) == ("pair", 9)
    assert first_at_limit([]) is None


def test_failures_are_counted_per_email_and_address_and_per_address() -> None:
    assert login_keys("Ana@Example.org ", "10.0.0.7") == (
        "opad:login:failures:ana@example.org:10.0.0.7",
        "opad:login:failures-from:10.0.0.7",
        "opad:login:failures-of:ana@example.org",
    )
    # The same email from elsewhere is another count: a stranger cannot lock the owner out.
    assert (
        login_keys("ana@example.org", "10.0.0.8")[0] != login_keys("ana@example.org", "1.2.3.4")[0]
    )
    # The audit line names the count by the key's third part.
    assert [key.split(":")[2] for key in login_keys("a@b.c", "::1")] == [
        "failures",
        "failures-from",
        "failures-of",
    ]
