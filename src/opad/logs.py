"""Logging set-up for every OPAD process: readable lines, or one JSON object per line.

The worker binds the job it is handling (`job_context`); every line logged meanwhile, by
OPAD or by an engine's library, carries its job id, article id and attempt.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import UTC, datetime
from typing import Any

JOB_FIELDS = ("job_id", "article_id", "attempt")
_job: ContextVar[dict[str, Any] | None] = ContextVar("opad_job", default=None)
# Attributes every LogRecord has: anything else on a record came from `extra=` (except
# uvicorn's `color_message`, the same message again with ANSI colours).
_STANDARD = set(logging.makeLogRecord({}).__dict__) | {
    "message",
    "asctime",
    "taskName",
    "color_message",
}


@contextmanager
def job_context(job_id: str, article_id: str) -> Iterator[None]:
    """Tag the lines logged inside the block (in this thread, and in threads started with
    a copy of its context) with the job."""
    token = _job.set({"job_id": job_id, "article_id": article_id})
    try:
        yield
    finally:
        _job.reset(token)


def bind_attempt(attempt: int) -> None:
    """Add the attempt number to the current job context, once the run has started."""
    current = _job.get()
    if current is not None:
        _job.set({**current, "attempt": attempt})


class JobFilter(logging.Filter):
    """Copies the bound job's fields onto each record (explicit `extra=` values win)."""

    def filter(self, record: logging.LogRecord) -> bool:
        """Always keep the record; just annotate it."""
        for key, value in (_job.get() or {}).items():
            if not hasattr(record, key):
                setattr(record, key, value)
        return True


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time, level, logger, message, job fields, extras."""

    def format(self, record: logging.LogRecord) -> str:
        """The record as a single line of JSON."""
        stamp = datetime.fromtimestamp(record.created, UTC)
        out: dict[str, Any] = {
            "time": stamp.isoformat(timespec="milliseconds").replace("+00:00", "Z"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        for key, value in record.__dict__.items():
            if key not in _STANDARD and not key.startswith("_"):
                out[key] = value
        if record.exc_info:
            out["exc_info"] = self.formatException(record.exc_info)
        return json.dumps(out, default=str, ensure_ascii=False)


def configure(level: str, fmt: str = "text") -> None:
    """Log to stderr at `level`, as readable text (default) or JSON lines (`fmt="json"`)."""
    handler = logging.StreamHandler()
    handler.addFilter(JobFilter())
    if fmt == "json":
        handler.setFormatter(JsonFormatter())
    else:
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)-7s %(name)s: %(message)s"))
    logging.basicConfig(level=level.upper(), handlers=[handler], force=True)
    # httpx logs every request at INFO: too chatty for a worker fetching pages.
    logging.getLogger("httpx").setLevel(logging.WARNING)


def uvicorn_log_config(fmt: str) -> dict[str, Any] | None:
    """uvicorn's own logging set-up for text; none for JSON, so its lines reach ours."""
    if fmt == "json":
        return None
    from uvicorn.config import LOGGING_CONFIG

    return LOGGING_CONFIG
