"""Structured logs: JSON lines, and the job's fields on every line logged while handling it."""

from __future__ import annotations

import contextvars
import io
import json
import logging
import threading
from collections.abc import Iterator

import pytest

from opad.logs import JobFilter, JsonFormatter, bind_attempt, job_context


@pytest.fixture
def logged() -> Iterator[tuple[logging.Logger, io.StringIO]]:
    """A logger writing JSON lines to a buffer, through the same filter as the processes."""
    buffer = io.StringIO()
    handler = logging.StreamHandler(buffer)
    handler.setFormatter(JsonFormatter())
    handler.addFilter(JobFilter())
    logger = logging.getLogger("opad.test-logs")
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    logger.propagate = False
    yield logger, buffer
    logger.removeHandler(handler)


def lines(buffer: io.StringIO) -> list[dict[str, object]]:
    return [json.loads(line) for line in buffer.getvalue().splitlines()]


def test_one_json_object_per_line(logged: tuple[logging.Logger, io.StringIO]) -> None:
    logger, buffer = logged
    logger.info("hello %s", "wörld", extra={"route": "/x"})
    try:
        raise ValueError("boom\nsecond line")
    except ValueError:
        logger.exception("failed")
    first, second = lines(buffer)
    assert first["message"] == "hello wörld" and first["level"] == "INFO"
    assert first["logger"] == "opad.test-logs" and first["route"] == "/x"
    assert str(first["time"]).endswith("Z")
    assert "job_id" not in first
    assert second["level"] == "ERROR" and "ValueError: boom" in str(second["exc_info"])
    assert len(buffer.getvalue().splitlines()) == 2  # the traceback stays inside its line


def test_job_fields_on_every_line_of_the_job(logged: tuple[logging.Logger, io.StringIO]) -> None:
    logger, buffer = logged
    with job_context("job-1", "article-1"):
        logger.info("claimed")
        bind_attempt(2)
        logger.info("running")
        # The worker runs the engine in a thread started with a copy of its context.
        thread = threading.Thread(
            target=contextvars.copy_context().run, args=(lambda: logger.info("engine"),)
        )
        thread.start()
        thread.join()
        logger.info("explicit", extra={"job_id": "other"})
    logger.info("after")
    claimed, running, engine, explicit, after = lines(buffer)
    assert (claimed["job_id"], claimed["article_id"]) == ("job-1", "article-1")
    assert "attempt" not in claimed
    assert running["attempt"] == 2 and engine["attempt"] == 2 and engine["job_id"] == "job-1"
    assert explicit["job_id"] == "other"
    assert "job_id" not in after and "attempt" not in after
