"""Abuse limits: generation rate and queue share per user, and login throttling (Redis)."""

from __future__ import annotations

import logging
import time
import uuid

from sqlalchemy import func, select

from opad.bootstrap import Services
from opad.db.models import Article, Job
from opad.errors import OpadError
from opad.jobs import LIVE

audit = logging.getLogger("opad.audit")

# A sliding window in a sorted set: drop what is older than the window, count, admit or not.
# KEYS: the user's set · ARGV: now, window seconds, limit, member → 0 admitted | retry-after s
_SLIDING_WINDOW = """
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', ARGV[1] - ARGV[2])
if redis.call('ZCARD', KEYS[1]) >= tonumber(ARGV[3]) then
  local oldest = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')[2]
  return math.max(1, math.ceil(oldest + ARGV[2] - ARGV[1]))
end
redis.call('ZADD', KEYS[1], ARGV[1], ARGV[4])
redis.call('EXPIRE', KEYS[1], ARGV[2])
return 0
"""

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
        if waiting >= max_queued:
            audit.warning(
                "limit hit: queued cap user=%s ip=%s waiting=%d", user_id, client_ip, waiting
            )
            raise TooManyRequests(
                f"you have {waiting} readings waiting or being made (at most {max_queued}): "
                "try again when one is ready",
                retry_after=30,
            )
    if per_hour:
        script = services.queue.redis.register_script(_SLIDING_WINDOW)
        retry = int(
            script(
                keys=[f"opad:rate:generate:{user_id}"],
                args=[time.time(), 3600, per_hour, uuid.uuid4().hex],
            )
        )
        if retry:
            audit.warning("limit hit: hourly rate user=%s ip=%s", user_id, client_ip)
            raise TooManyRequests(
                f"at most {per_hour} readings per hour: the next one is possible in {retry} s",
                retry_after=retry,
            )


def _login_keys(email: str, client_ip: str) -> tuple[str, str]:
    """(failures of this email from this address, failures from this address at all)."""
    return (
        f"opad:login:failures:{email.strip().lower()}:{client_ip}",
        f"opad:login:failures-from:{client_ip}",
    )


def check_login(services: Services, email: str, client_ip: str) -> None:
    """Refuse (429) a login after too many recent failures for this email from this
    address, or from this address whatever the emails.

    Both counts are per client address, so failures a stranger causes from elsewhere never
    lock the owner of the email out. The address is the real client's (the web forwards
    it; see OPAD_TRUSTED_PROXIES).
    """
    settings = services.settings
    pair_key, address_key = _login_keys(email, client_ip)
    pair, address = services.queue.redis.mget([pair_key, address_key])
    for key, failures, limit in (
        (pair_key, int(pair or 0), settings.login_max_failures),
        (address_key, int(address or 0), settings.login_max_failures_per_address),
    ):
        if failures >= limit:
            ttl = int(services.queue.redis.ttl(key))
            audit.warning(
                "login throttled email=%s ip=%s failures=%d key=%s", email, client_ip, failures,
                key.split(":")[2],
            )  # fmt: skip
            raise TooManyRequests(
                "too many failed sign-ins: try again later", retry_after=max(1, ttl)
            )


def record_login_failure(services: Services, email: str, client_ip: str) -> None:
    """Count a failed login for the email from this address, and for the address (each
    window restarts with each failure)."""
    pipe = services.queue.redis.pipeline()
    for key in _login_keys(email, client_ip):
        pipe.incr(key)
        pipe.expire(key, LOGIN_WINDOW_SECONDS)
    pipe.execute()
    audit.warning("failed login email=%s ip=%s", email, client_ip)


def clear_login_failures(services: Services, email: str, client_ip: str) -> None:
    """A successful login resets the count for this email from this address; the address's
    own count stays (else signing in to one's own account would reset a guessing spree)."""
    services.queue.redis.delete(_login_keys(email, client_ip)[0])
