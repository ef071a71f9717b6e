"""The hourly generation rate (OPAD_RATE_LIMIT_PER_HOUR) on a real Redis: per user, a
moving window, and a Retry-After that says when the window's oldest generation leaves it."""

from __future__ import annotations

from pathlib import Path

import pytest

from opad.bootstrap import build_services
from opad.services.limits import TooManyRequests, check_generation
from tests.conftest import RedisServer, make_settings


def test_the_rate_is_per_user_and_says_when_to_come_back(
    tmp_path: Path, redis_server: RedisServer
) -> None:
    services = build_services(
        make_settings(tmp_path, REDIS_URL=redis_server.url, OPAD_RATE_LIMIT_PER_HOUR=2)
    )
    assert services.settings.generation_limits == (2, 0)  # no queue cap: Redis alone decides
    for _ in range(2):
        check_generation(services, "user-a", "198.51.100.7")
    with pytest.raises(TooManyRequests) as refused:
        check_generation(services, "user-a", "198.51.100.7")
    # Both generations were just now: the first place frees in (just under) an hour.
    assert 3500 < refused.value.retry_after <= 3600
    assert "at most 2 readings per hour" in str(refused.value)
    check_generation(services, "user-b", "198.51.100.7")  # another user's own budget
    # Every key the limit writes expires with its window (nothing piles up in Redis).
    keys = services.queue.redis.keys("opad:rate:*")
    assert len(keys) == 2
    assert all(0 < services.queue.redis.ttl(key) <= 3600 for key in keys)
