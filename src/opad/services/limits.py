"""Abuse limits: generation rate and queue share per user, and login throttling (Redis)."""

from __future__ import annotations

import ipaddress
import logging
import math
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager, suppress
from typing import TYPE_CHECKING

from redis.exceptions import LockError
from sqlalchemy import func, select

from opad.bootstrap import Services
from opad.db.models import Article, Job
from opad.errors import OpadError
from opad.identifiers import InvalidIdentifier, canonical_email, fold
from opad.states import LIVE

if TYPE_CHECKING:
    from limits.strategies import MovingWindowRateLimiter

audit = logging.getLogger("opad.audit")

LOGIN_WINDOW_SECONDS = 900
LOCK_SECONDS = 10  # longest a generation request may hold its user's lock


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
        from limits import RateLimitItemPerHour  # only with a rate set: ~1 MB otherwise unused

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


@contextmanager
def generation_slot(services: Services, user_id: str, client_ip: str) -> Iterator[None]:
    """`check_generation`, holding the user's lock until the caller has recorded the job.

    Counting the user's live jobs and adding one are two steps; without the lock, 30
    concurrent POST /generate all count 4 and all get in. The lock is redis-py's (a
    key with a token and a TTL, released by a Lua compare-and-delete), on the queue's
    Redis, so it holds across API processes; its TTL frees it if a process dies holding it.
    """
    if not services.settings.generation_limits[1]:
        check_generation(services, user_id, client_ip)  # no cap: nothing to count
        yield
        return
    lock = services.queue.redis.lock(
        f"opad:lock:generate:{user_id}", timeout=LOCK_SECONDS, blocking_timeout=LOCK_SECONDS
    )
    if not lock.acquire():
        raise TooManyRequests("too many readings asked for at once: try again", retry_after=1)
    try:
        check_generation(services, user_id, client_ip)
        yield
    finally:
        with suppress(LockError):  # expired while held (a very slow database): nothing to free
            lock.release()


def _limiter(services: Services) -> MovingWindowRateLimiter:
    """A moving-window limiter on the queue's Redis (its connection pool; keys opad:rate:*).

    Cheap to make: the storage only registers its Lua scripts (client-side hashes).
    """
    from limits.storage import RedisStorage
    from limits.strategies import MovingWindowRateLimiter

    storage = RedisStorage(
        "redis://", connection_pool=services.queue.redis.connection_pool, key_prefix="opad:rate"
    )
    return MovingWindowRateLimiter(storage)


def check_login(services: Services, email: str, client_ip: str) -> None:
    """Refuse (429) a login after too many recent failures: for this email from this
    client, from this client whatever the emails, or for this account whatever the
    clients (a guessing spread over many addresses; its limit is higher, so a stranger
    needs many tries to lock the owner out for a window).

    A client is its address, or for IPv6 its network (OPAD_LOGIN_IPV6_PREFIX, /64 by
    default): one subscriber holds a whole /64. The address is the real client's (the web
    forwards it; see OPAD_TRUSTED_PROXIES).
    """
    settings = services.settings
    keys = login_keys(email, client_key(client_ip, settings.login_ipv6_prefix))
    values = services.queue.redis.mget(list(keys))
    limits = (
        settings.login_max_failures,
        settings.login_max_failures_per_address,
        settings.login_max_failures_per_account,
    )
    over = first_at_limit(
        (key, int(value or 0), limit)
        for key, value, limit in zip(keys, values, limits, strict=True)
    )
    if over is not None:
        key, failures = over
        ttl = int(services.queue.redis.ttl(key))
        audit.warning(
            "login throttled email=%s ip=%s failures=%d key=%s", email, client_ip, failures,
            key.split(":")[2],
        )  # fmt: skip
        raise TooManyRequests("too many failed sign-ins: try again later", retry_after=max(1, ttl))


def check_registration(services: Services, client_ip: str) -> None:
    """Refuse (429) a registration from a client that has used up its sign-in failures:
    registering an email that has an account counts as one (`record_registration_taken`),
    so finding out which emails have accounts costs what guessing passwords costs."""
    settings = services.settings
    key = login_keys("", client_key(client_ip, settings.login_ipv6_prefix))[1]
    failures = int(services.queue.redis.get(key) or 0)
    if failures >= settings.login_max_failures_per_address:
        audit.warning("registration throttled ip=%s failures=%d", client_ip, failures)
        ttl = int(services.queue.redis.ttl(key))
        raise TooManyRequests("too many failed attempts: try again later", retry_after=max(1, ttl))


def record_registration_taken(services: Services, client_ip: str) -> None:
    """Count a registration refused because the email has an account, for the client."""
    key = login_keys("", client_key(client_ip, services.settings.login_ipv6_prefix))[1]
    pipe = services.queue.redis.pipeline()
    pipe.incr(key)
    pipe.expire(key, LOGIN_WINDOW_SECONDS)
    pipe.execute()


def record_login_failure(services: Services, email: str, client_ip: str) -> None:
    """Count a failed login for the email from this client, for the client, and for the
    account (each window restarts with each failure)."""
    pipe = services.queue.redis.pipeline()
    for key in login_keys(email, client_key(client_ip, services.settings.login_ipv6_prefix)):
        pipe.incr(key)
        pipe.expire(key, LOGIN_WINDOW_SECONDS)
    pipe.execute()
    audit.warning("failed login email=%s ip=%s", email, client_ip)


def clear_login_failures(services: Services, email: str, client_ip: str) -> None:
    """A successful login resets the count for this email from this client; the client's
    and the account's counts stay (else signing in to one's own account would reset a
    guessing spree)."""
    client = client_key(client_ip, services.settings.login_ipv6_prefix)
    services.queue.redis.delete(login_keys(email, client)[0])


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


def login_keys(email: str, client: str) -> tuple[str, str, str]:
    """(failures of this email from this client, failures from this client at all,
    failures of this account from anywhere); the email counts in its canonical form
    (`identifiers.fold` when it is no address at all), `client` is `client_key`'s."""
    try:
        account = canonical_email(email)
    except InvalidIdentifier:
        account = fold(email.strip())
    return (
        f"opad:login:failures:{account}:{client}",
        f"opad:login:failures-from:{client}",
        f"opad:login:failures-of:{account}",
    )


def client_key(client_ip: str, ipv6_prefix: int = 64) -> str:
    """Who a client is for counting: an IPv4 address as is, an IPv6 address as its
    network of `ipv6_prefix` bits ("2001:db8:1:2::/64"; an IPv4-mapped one as the IPv4
    address); anything else (a test client's name) as given."""
    try:
        address = ipaddress.ip_address(client_ip)
    except ValueError:
        return client_ip
    if isinstance(address, ipaddress.IPv6Address):
        if address.ipv4_mapped is not None:
            return str(address.ipv4_mapped)
        return str(ipaddress.IPv6Network((address, ipv6_prefix), strict=False))
    return str(address)
