"""Abuse limits: generation rate and queue share per user, and login throttling (Redis)."""

from __future__ import annotations

import logging
import math
import time
from collections.abc import Iterable

from limits import RateLimitItemPerHour
from limits.storage import RedisStorage
from limits.strategies import MovingWindowRateLimiter
from sqlalchemy import func, select

from opad.bootstrap import Services
from opad.db.models import Article, Job
from opad.errors import OpadError
from opad.jobs import LIVE

audit = logging.getLogger("opad.audit")

LOGIN_WINDOW_SECONDS = 900


class TooManyRequests(OpadError):
    status_code = 429
    error = "too many requests"

    def __init__(self, detail: str, retry_after: int) -> None:
        super().__init__(detail)
        self.retry_after = retry_after


def check_generation(services: Services, user_id: str, client_ip: str) -> None:
    """Refuse (429) a generation over the user's hourly rate or queue share."""
    per_hour, max_queued = services.settings.generation_limits
    if max_queued:
        with services.db.session() as session:
            waiting = (
                session.scalar(
                    select(func.count())
                    .select_from(Job)
                    .join(Article, Article.id == Job.article_id)
                    .where(Article.owner_id == user_id, Job.status.in_(sorted(LIVE)))
                )
                or 0
            )
        refusal = queued_cap_refusal(waiting, max_queued)
        if refusal is not None:
            audit.warning(
                "limit hit: queued cap user=%s ip=%s waiting=%d", user_id, client_ip, waiting
            )
            raise refusal
    if per_hour:
        limiter = _limiter(services)
        rate = RateLimitItemPerHour(per_hour)
        if not limiter.hit(rate, "generate", user_id):
            # The window frees its next place when its oldest generation is an hour old.
            reset_at = limiter.get_window_stats(rate, "generate", user_id).reset_time
            retry = seconds_until(reset_at, time.time())
            audit.warning("limit hit: hourly rate user=%s ip=%s", user_id, client_ip)
            raise TooManyRequests(
                f"at most {per_hour} readings per hour: the next one is possible in {retry} s",
                retry_after=retry,
            )


def _limiter(services: Services) -> MovingWindowRateLimiter:
    """A moving-window limiter on the queue's Redis (its connection pool; keys opad:rate:*).

    Cheap to make: the storage only registers its Lua scripts (client-side hashes).
    """
    storage = RedisStorage(
        "redis://", connection_pool=services.queue.redis.connection_pool, key_prefix="opad:rate"
    )
    return MovingWindowRateLimiter(storage)


def check_login(services: Services, email: str, client_ip: str) -> None:
    """Refuse (429) a login after too many recent failures for this email from this
    address, or from this address whatever the emails.

    Both counts are per client address, so failures a stranger causes from elsewhere never
    lock the owner of the email out. The address is the real client's (the web forwards
    it; see OPAD_TRUSTED_PROXIES).
    """
    settings = services.settings
    pair_key, address_key = login_keys(email, client_ip)
    pair, address = services.queue.redis.mget([pair_key, address_key])
    over = first_at_limit(
        (
            (pair_key, int(pair or 0), settings.login_max_failures),
            (address_key, int(address or 0), settings.login_max_failures_per_address),
        )
    )
    if over is not None:
        key, failures = over
        ttl = int(services.queue.redis.ttl(key))
        audit.warning(
            "login throttled email=%s ip=%s failures=%d key=%s", email, client_ip, failures,
            key.split(":")[2],
        )  # fmt: skip
        raise TooManyRequests("too many failed sign-ins: try again later", retry_after=max(1, ttl))


def record_login_failure(services: Services, email: str, client_ip: str) -> None:
    """Count a failed login for the email from this address, and for the address (each
    window restarts with each failure)."""
    pipe = services.queue.redis.pipeline()
    for key in login_keys(email, client_ip):
        pipe.incr(key)
        pipe.expire(key, LOGIN_WINDOW_SECONDS)
    pipe.execute()
    audit.warning("failed login email=%s ip=%s", email, client_ip)


def clear_login_failures(services: Services, email: str, client_ip: str) -> None:
    """A successful login resets the count for this email from this address; the address's
    own count stays (else signing in to one's own account would reset a guessing spree)."""
    services.queue.redis.delete(login_keys(email, client_ip)[0])


# -- the rules, without Redis or a database -------------------------------------------


def queued_cap_refusal(waiting: int, max_queued: int) -> TooManyRequests | None:
    """The 429 for a user with `waiting` jobs queued or running when at most `max_queued`
    may be (0: no cap), else None. Retry after 30 s: a reading takes about that long."""
    if not max_queued or waiting < max_queued:
        return None
    return TooManyRequests(
        f"you have {waiting} readings waiting or being made (at most {max_queued}): "
        "try again when one is ready",
        retry_after=30,
    )


def seconds_until(reset_at: float, now: float) -> int:
    """Whole seconds (rounded up, at least 1) from `now` until `reset_at` (epoch seconds):
    the Retry-After of a full window, which frees its next place at `reset_at`."""
    return max(1, math.ceil(reset_at - now))


def first_at_limit(counts: Iterable[tuple[str, int, int]]) -> tuple[str, int] | None:
    """The first (key, failures) of `counts` — (key, failures, limit) triples — whose
    failures reached its limit, or None when every count is under its limit."""
    for key, failures, limit in counts:
        if failures >= limit:
            return key, failures
    return None


def login_keys(email: str, client_ip: str) -> tuple[str, str]:
    """(failures of this email from this address, failures from this address at all);
    the email counts whatever its case and surrounding spaces."""
    return (
        f"opad:login:failures:{email.strip().lower()}:{client_ip}",
        f"opad:login:failures-from:{client_ip}",
    )
