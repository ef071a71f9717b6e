"""The domain errors services raise; the API maps each to one HTTP status and JSON body."""

from __future__ import annotations


class OpadError(Exception):
    """Base of every error OPAD reports to a caller."""

    status_code = 400
    error = "bad request"

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

    def __init__(self, dependency: str, detail: str) -> None:
        super().__init__(detail)
        self.dependency = dependency
        self.error = f"{dependency} unavailable"
