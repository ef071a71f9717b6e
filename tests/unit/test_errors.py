"""Every domain error carries its answer as attributes: status, Retry-After and field."""

from __future__ import annotations

import importlib

import pytest

from opad.errors import Conflict, DependencyUnavailable, NotFound, OpadError

# The modules that define errors of their own (imported so their subclasses exist).
for name in (
    "opad.services.accounts",
    "opad.services.limits",
    "opad.api.deps",
    "opad.api.routes.auth",
    "opad.api.word_inputs",
    "opad.api.routes.articles",
    "opad.db.migrate",
):
    importlib.import_module(name)


def _all(cls: type[OpadError]) -> list[type[OpadError]]:
    return [cls] + [c for sub in cls.__subclasses__() for c in _all(sub)]


@pytest.mark.parametrize("cls", _all(OpadError), ids=lambda c: c.__name__)
def test_every_error_names_its_status_retry_after_and_field(cls: type[OpadError]) -> None:
    assert 400 <= cls.status_code < 600
    assert cls.retry_after is None or (isinstance(cls.retry_after, int) and cls.retry_after > 0)
    assert cls.field is None or (isinstance(cls.field, str) and cls.field)
    assert isinstance(cls.error, str) and cls.error


def test_a_down_dependency_is_named_and_says_when_to_come_back() -> None:
    down = DependencyUnavailable("queue", "Redis did not answer")
    assert (down.status_code, down.error, down.retry_after) == (503, "queue unavailable", 5)


def test_plain_errors_send_no_retry_after_and_no_field() -> None:
    for err in (NotFound("no job"), Conflict("already running")):
        assert err.retry_after is None and err.field is None
