"""One budget of LLM requests and tokens per minute per model, shared by every worker.

Ten workers with 25 slots each could send 250 requests at once to a provider that allows
60 a minute; every job would then meet 429s. Each LLM request first takes its place here,
on the queue's Redis, with the `limits` library (its Lua scripts make each take atomic
across processes and machines):

- requests: an exact moving window (`MovingWindowRateLimiter`: one list entry per request,
  at most OPAD_LLM_REQUESTS_PER_MINUTE of them), so the provider never sees more than the
  limit in any 60 s;
- tokens: a sliding window counter (`SlidingWindowCounterRateLimiter`: two counters, so a
  request's thousands of tokens are one increment, not thousands of list entries). A
  request is charged its prompt estimate (characters / 4) before it is sent and its
  answer's reported completion tokens after;
- a 429's Retry-After pauses the model for every worker (a key with that TTL).

A request that does not fit waits (the job's progress says so) rather than fails.
`limits` was chosen over pyrate-limiter (also Redis-backed and maintained) because OPAD
already uses it for its abuse limits, and its moving window gives an exact per-minute cap
while pyrate-limiter's Redis bucket is a leaky bucket of its own design.
"""

from __future__ import annotations

import logging
import random
import time
from collections.abc import Callable
from typing import Any

import redis
from limits import RateLimitItem, RateLimitItemPerSecond
from limits.storage import RedisStorage
from limits.strategies import MovingWindowRateLimiter, SlidingWindowCounterRateLimiter

log = logging.getLogger("opad.engines.crew")

PREFIX = "opad:llm-budget"
MAX_NAP = 1.0  # seconds between looks at the window while waiting
JITTER = 0.05  # seconds: waiters spread out instead of waking all at once


def _per(amount: int, seconds: int) -> RateLimitItem | None:
    return RateLimitItemPerSecond(amount, seconds) if amount else None


class ProviderBudget:
    """Requests and tokens per minute for each model (0: that limit is off)."""

    def __init__(
        self,
        client: redis.Redis,
        requests_per_minute: int,
        tokens_per_minute: int,
        window_seconds: int = 60,
        margin_seconds: int = 2,
    ) -> None:
        # A place is held for the window plus `margin_seconds`: the provider counts
        # arrivals, a little after the place was taken (more on a busy machine: with 1 s,
        # 5 of 360 requests still landed inside the provider's minute in the benchmark,
        # docs/benchmarks.md), so a request sent one window after an earlier one could.
        # (`window_seconds` other than 60 only for tests.)
        window_seconds += margin_seconds
        storage = RedisStorage(
            "redis://", connection_pool=client.connection_pool, key_prefix=PREFIX
        )
        self.redis = client
        self.requests = _per(requests_per_minute, window_seconds)
        self.tokens = _per(tokens_per_minute, window_seconds)
        self._request_window = MovingWindowRateLimiter(storage)
        self._token_window = SlidingWindowCounterRateLimiter(storage)

    @classmethod
    def from_url(
        cls,
        url: str,
        requests_per_minute: int,
        tokens_per_minute: int,
        window_seconds: int = 60,
        margin_seconds: int = 2,
    ) -> ProviderBudget:
        """A budget on the Redis at `url`."""
        client = redis.Redis.from_url(url)
        return cls(client, requests_per_minute, tokens_per_minute, window_seconds, margin_seconds)

    def _cost(self, tokens: int) -> int:
        # A prompt larger than the whole minute's budget would never fit: it takes it all.
        assert self.tokens is not None
        return max(1, min(tokens, self.tokens.amount))

    def _pause_left(self, model: str) -> float:
        left = self.redis.pttl(f"{PREFIX}:pause:{model}")
        return left / 1000 if isinstance(left, int) and left > 0 else 0.0

    def acquire(self, model: str, tokens: int, waiting: Callable[[], None]) -> float:
        """Take one request and `tokens` prompt tokens for `model`, waiting as long as it
        takes (calling `waiting` once when it has to). Returns the seconds waited."""
        started = time.monotonic()
        said = False
        while True:
            delay = self._pause_left(model)
            if delay <= 0:
                delay = self._try(model, tokens)
                if delay <= 0:
                    return time.monotonic() - started
            if not said:
                waiting()
                said = True
            time.sleep(min(delay, MAX_NAP) + random.uniform(0, JITTER))

    def _try(self, model: str, tokens: int) -> float:
        """0 when the request took its place, else the seconds until the next look."""
        if self.tokens is not None and not self._token_window.test(
            self.tokens, model, cost=self._cost(tokens)
        ):
            return self._until_reset(self._token_window, self.tokens, model)
        if self.requests is not None and not self._request_window.hit(self.requests, model):
            return self._until_reset(self._request_window, self.requests, model)
        if self.tokens is not None:
            # Tested above; should another worker have taken the room since, this charge
            # is refused and goes uncounted, once (the token window is approximate anyway).
            self._token_window.hit(self.tokens, model, cost=self._cost(tokens))
        return 0.0

    @staticmethod
    def _until_reset(limiter: Any, item: Any, model: str) -> float:
        reset = limiter.get_window_stats(item, model).reset_time
        return max(0.01, reset - time.time())

    def spent(self, model: str, tokens: int) -> None:
        """Charge an answer's completion tokens (best effort: never waits)."""
        if self.tokens is not None and tokens > 0:
            self._token_window.hit(self.tokens, model, cost=self._cost(tokens))

    def pause(self, model: str, seconds: float) -> None:
        """Hold every worker's requests for `model` for `seconds` (a 429's Retry-After)."""
        if seconds > 0:
            self.redis.set(f"{PREFIX}:pause:{model}", "1", px=max(1, int(seconds * 1000)))
