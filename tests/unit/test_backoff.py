"""The worker's wait while Redis does not answer: 0.5 s doubling to 5 s, cut by a stop."""

from __future__ import annotations

import threading

import redis

from opad.worker.handler import redis_backoff


def test_waits_double_up_to_the_cap_then_the_call_goes_through() -> None:
    pauses: list[float] = []
    failures = iter(range(6))

    def flaky() -> str:
        if next(failures, None) is not None:
            raise redis.ConnectionError("Redis is restarting")
        return "claimed"

    assert redis_backoff("claim", threading.Event(), sleep=pauses.append)(flaky) == "claimed"
    assert pauses == [0.5, 1.0, 2.0, 4.0, 5.0, 5.0]


def test_a_stop_request_ends_the_waiting_without_an_error() -> None:
    stop = threading.Event()
    pauses: list[float] = []

    def down() -> None:
        stop.set()  # e.g. SIGTERM while Redis is away
        raise redis.ConnectionError("down")

    assert redis_backoff("claim", stop, sleep=pauses.append)(down) is None
    assert pauses == []


def test_other_errors_are_not_retried() -> None:
    def broken() -> None:
        raise ValueError("not a Redis problem")

    try:
        redis_backoff("claim", threading.Event(), sleep=lambda _: None)(broken)
    except ValueError:
        return
    raise AssertionError("a non-Redis error must reach the caller")
