"""When a worker process hands over to a fresh one (worker/memory.py): over the limit,
after jobs in two languages or more, and never with a limit it was over at start."""

from __future__ import annotations

import pytest

from opad.worker.memory import MemoryLimit, rss_mb


def limit(mb: int, sizes: list[float | None]) -> MemoryLimit:
    readings = iter(sizes)
    return MemoryLimit(mb, measure=lambda: next(readings))


def test_two_languages_over_the_limit_hand_over() -> None:
    rule = limit(600, [700.0])
    rule.job_ran("German")
    rule.job_ran("Korean")
    assert rule.over() == 700.0


@pytest.mark.parametrize("size", [599.0, 600.0, None])
def test_at_or_under_the_limit_or_unmeasured_it_stays(size: float | None) -> None:
    rule = limit(600, [size])
    rule.job_ran("German")
    rule.job_ran("Korean")
    assert rule.over() is None


def test_one_language_stays_however_large() -> None:
    rule = limit(600, [])  # not even measured
    for _ in range(3):
        rule.job_ran("Korean")
    assert rule.over() is None


def test_zero_is_never() -> None:
    rule = limit(0, [])
    rule.job_ran("German")
    rule.job_ran("Korean")
    rule.check_start()
    assert rule.limit_mb == 0 and rule.over() is None


def test_a_limit_below_the_start_is_switched_off(caplog: pytest.LogCaptureFixture) -> None:
    rule = limit(600, [900.0])
    rule.check_start()
    rule.job_ran("German")
    rule.job_ran("Korean")
    assert rule.over() is None
    assert "too near OPAD_WORKER_MAX_RSS_MB=600" in caplog.text


def test_a_limit_above_the_start_is_kept() -> None:
    rule = limit(600, [150.0, 800.0])
    rule.check_start()
    rule.job_ran("German")
    rule.job_ran("Korean")
    assert rule.over() == 800.0


def test_this_process_is_measured() -> None:
    size = rss_mb()
    assert size is not None and 5 < size < 4096


def test_a_limit_the_start_nearly_fills_is_switched_off() -> None:
    rule = limit(600, [500.0])  # over three quarters of it: no room for a language
    rule.check_start()
    rule.job_ran("de")
    rule.job_ran("ko")
    assert rule.limit_mb == 0 and rule.over() is None


def test_languages_prepared_at_start_do_not_count() -> None:
    # A fresh process prepares them again: replacing it would not shed them.
    rule = MemoryLimit(600, warmed=["de", "ko"], measure=lambda: 900.0)
    for code in ("de", "ko", "de"):
        rule.job_ran(code)
    assert rule.over() is None
    rule.job_ran("en")  # one more is still a single language of its own
    assert rule.over() is None
    rule.job_ran("ja")
    assert rule.over() == 900.0
