"""The shared provider budget on a real Redis: never over the limit, waits instead of
failing, a 429's pause holds everyone. Windows of 1 s instead of 60 (same code path)."""

from __future__ import annotations

import threading
import time

from opad.engines.crew.budget import ProviderBudget
from tests.conftest import RedisServer


def _most_in_any_window(times: list[float], window: float) -> int:
    times = sorted(times)
    return max(sum(1 for t in times[i:] if t - start < window) for i, start in enumerate(times))


def test_many_slots_never_exceed_the_requests_per_window(redis_server: RedisServer) -> None:
    # As in production, a place is held longer than the provider's window (here 1 s + 1 s):
    # the times below are taken after the place, a little late on a busy machine.
    budget = ProviderBudget.from_url(redis_server.url, 10, 0, window_seconds=1, margin_seconds=1)
    taken: list[float] = []
    waited: list[int] = []
    lock = threading.Lock()

    def slot() -> None:
        budget.acquire("model-a", 100, lambda: waited.append(1))
        with lock:
            taken.append(time.time())

    started = time.time()
    threads = [threading.Thread(target=slot) for _ in range(25)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    assert len(taken) == 25  # nobody failed: everyone waited for a place
    assert _most_in_any_window(taken, 1.0) <= 10
    assert len(waited) >= 15  # the ones over the first window were told they wait
    # 25 at 10 per 2 s: the last ones get in after two held windows, not much later.
    assert 4.0 <= max(taken) - started < 6.0
    # Another model has its own budget.
    assert budget.acquire("model-b", 100, lambda: None) < 0.1


def test_tokens_per_window_hold_a_request_back(redis_server: RedisServer) -> None:
    budget = ProviderBudget.from_url(redis_server.url, 0, 100, window_seconds=1, margin_seconds=0)
    assert budget.acquire("m", 60, lambda: None) < 0.1
    told: list[int] = []
    waited = budget.acquire("m", 60, lambda: told.append(1))
    assert told == [1] and waited >= 0.3


def test_a_retry_after_pauses_every_worker(redis_server: RedisServer) -> None:
    one = ProviderBudget.from_url(redis_server.url, 100, 0, window_seconds=1, margin_seconds=0)
    other = ProviderBudget.from_url(redis_server.url, 100, 0, window_seconds=1, margin_seconds=0)
    one.pause("m", 0.6)
    told: list[int] = []
    waited = other.acquire("m", 1, lambda: told.append(1))
    assert told == [1] and 0.5 <= waited < 1.5
