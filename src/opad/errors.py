"""The domain errors services raise; the API maps each to one HTTP status and JSON body.

Every error carries what the answer needs as attributes: `status_code`, `error` (the
short name in the JSON body), `retry_after` (seconds, sent as Retry-After) and `field`
(the request field it is about, listed in the body's `fields`). Redis errors are not
wrapped here or in services: api/errors.py turns any `redis.RedisError` into the one
503 "queue unavailable" answer.
"""

from __future__ import annotations


class OpadError(Exception):
    """Base of every error OPAD reports to a caller."""

    status_code = 400
    error = "bad request"
    retry_after: int | None = None
    field: str | None = None

    def __init__(self, detail: str) -> None:
        super().__init__(detail)
        self.detail = detail


class NotFound(OpadError):
    status_code = 404
    error = "not found"


class Conflict(OpadError):
    status_code = 409
    error = "conflict"


class DependencyUnavailable(OpadError):
    """Redis, the database or the content store cannot be reached."""

    status_code = 503
    retry_after = 5

    def __init__(self, dependency: str, detail: str) -> None:
        super().__init__(detail)
        self.dependency = dependency
        self.error = f"{dependency} unavailable"
