"""Outages of the content store or the database, waited out by a run that has its result.

A run that made its reading and cannot store it because the store or the database is down
keeps the reading, its lease and its fence, and tries again with backoff for up to
OPAD_OUTAGE_WAIT_MINUTES: an outage is not the job's fault, so it spends none of the job's
attempts (OPAD_MAX_ATTEMPTS), and a job that fails after the whole wait says which
dependency was down.
"""

from __future__ import annotations

import logging
import threading

from tenacity import (
    RetryCallState,
    Retrying,
    retry_if_exception,
    stop_after_delay,
    stop_when_event_set,
    wait_exponential,
)

from opad.errors import DependencyUnavailable

log = logging.getLogger("opad.worker")


def outage_of(exc: BaseException) -> str | None:
    """The dependency a failure says is down ("the content store", "the database"), or None
    for a failure of the job itself."""
    from sqlalchemy import exc as sa

    if isinstance(exc, DependencyUnavailable | OSError):
        return "the content store"
    if isinstance(exc, sa.DBAPIError) and exc.connection_invalidated:
        return "the database"
    if isinstance(exc, sa.OperationalError | sa.InterfaceError | sa.TimeoutError):
        return "the database"
    return None


def outage_wait(what: str, seconds: float, until: threading.Event) -> Retrying:
    """Retries while the content store or database is down: 1 s doubling to 30 s, for at
    most `seconds` in all (OPAD_OUTAGE_WAIT_MINUTES), cut short once `until` is set; the
    last error is raised then."""

    def warn(state: RetryCallState) -> None:
        exc = state.outcome.exception() if state.outcome else None
        pause = state.next_action.sleep if state.next_action else 0.0
        down = outage_of(exc) if exc else None
        log.warning("%s: %s is unavailable (%s); trying again in %.0f s", what, down, exc, pause)

    return Retrying(
        retry=retry_if_exception(lambda exc: outage_of(exc) is not None),
        wait=wait_exponential(multiplier=1, max=30),
        stop=stop_after_delay(seconds) | stop_when_event_set(until),
        before_sleep=warn,
        reraise=True,
    )
