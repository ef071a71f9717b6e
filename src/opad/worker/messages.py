"""Reading a queue message: everything a producer sent is checked before anything runs.

Any program may push anything onto opad:jobs. A message is checked whole — JSON, ids,
inputs, and text the databases can store — and every problem is named at once. A message
that fails is never retried (it would fail the same way): `BadMessage` carries the job id
when there is a usable one, so the job can still end `failed` with the reason.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterator
from typing import Any

from pydantic import ValidationError

from opad.inputs import ArticleCreate
from opad.queue.protocol import JobPayload


def describe(exc: ValidationError) -> str:
    """`field: problem; …` for a payload or inputs that failed validation."""
    return "; ".join(
        f"{'.'.join(str(p) for p in e['loc']) or 'inputs'}: "
        f"{str(e['msg']).removeprefix('Value error, ')}"
        for e in exc.errors()
    )


class BadMessage(ValueError):
    """A message that cannot run; `job_id`/`article_id` are set when they are usable."""

    def __init__(
        self,
        reason: str,
        job_id: str | None = None,
        article_id: str | None = None,
        created_at: Any = None,
    ) -> None:
        super().__init__(reason)
        self.job_id = job_id
        self.article_id = article_id
        self.created_at = created_at


def _unstorable(text: str) -> str | None:
    """Why `text` cannot be stored in both databases, or None."""
    if "\x00" in text:
        return "must not contain the NUL character (U+0000)"
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return "is not valid Unicode text (a lone surrogate)"
    return None


def unstorable_text(value: Any, path: str = "") -> Iterator[str]:
    """`path: problem` for every string (keys too) or number in a JSON value that a
    database refuses.

    PostgreSQL's text type cannot hold U+0000; neither database takes a lone surrogate;
    PostgreSQL's json type has no NaN or Infinity.
    """
    if isinstance(value, str):
        problem = _unstorable(value)
        if problem:
            yield f"{path or 'message'}: {problem}"
    elif isinstance(value, dict):
        for key, item in value.items():
            name = f"{path}.{key}" if path else str(key)
            if isinstance(key, str) and _unstorable(key):
                yield f"{path or 'message'}: a field name {_unstorable(key)}"
                continue
            yield from unstorable_text(item, name)
    elif isinstance(value, list):
        for n, item in enumerate(value):
            yield from unstorable_text(item, f"{path}[{n}]")
    elif isinstance(value, float) and not math.isfinite(value):
        # Python's json reads NaN and Infinity; PostgreSQL's json type (and JSON) has neither.
        yield f"{path or 'message'}: must be a finite number, not {value}"


def _usable_id(value: Any, *, uuid_only: bool = False) -> str | None:
    """The id if a status key could be keyed by it (a row, too, for an article id)."""
    if not isinstance(value, str) or not value.strip():
        return None
    if _unstorable(value):
        return None
    if uuid_only:
        try:
            JobPayload._article_id(value)
        except ValueError:
            return None
    return value


def read_message(raw: str) -> tuple[JobPayload, ArticleCreate]:
    """The payload and its validated inputs, or BadMessage naming every problem."""
    try:
        data = json.loads(raw)
    except (ValueError, RecursionError):
        raise BadMessage("malformed job payload: not JSON") from None
    if not isinstance(data, dict):
        raise BadMessage("malformed job payload: not a JSON object")
    job_id = _usable_id(data.get("job_id"))
    article_id = _usable_id(data.get("article_id"), uuid_only=True)
    # The inputs' own fields are checked (and named) by ArticleCreate below.
    checked = {f"inputs.{name}" for name in ArticleCreate.model_fields}
    problems = [p for p in unstorable_text(data) if p.split(": ", 1)[0] not in checked]
    payload: JobPayload | None = None
    try:
        payload = JobPayload.model_validate(data)
    except ValidationError as exc:
        problems.append(describe(exc))
    if problems:
        problems = ["malformed job payload: " + "; ".join(problems)]
    inputs: ArticleCreate | None = None
    if isinstance(data.get("inputs"), dict):
        try:
            inputs = ArticleCreate.model_validate(data["inputs"])
        except ValidationError as exc:
            problems.append(f"invalid inputs: {describe(exc)}")
    if problems or payload is None or inputs is None:
        raise BadMessage("; ".join(problems), job_id, article_id, data.get("created_at"))
    return payload, inputs


def worth_retrying(exc: BaseException) -> bool:
    """Whether a failure to record a message may pass: the database down or busy, not
    migrated yet, a race with another worker making the same rows. Not so a value the
    database refuses (too long for a column, invalid for its type: DataError) or any
    other error, which would fail the same way at every retry."""
    from sqlalchemy import exc as sa

    if isinstance(exc, sa.DBAPIError) and exc.connection_invalidated:
        return True
    transient = (
        sa.OperationalError,
        sa.InterfaceError,
        sa.InternalError,
        sa.ProgrammingError,  # e.g. a table not migrated yet: the operator's to fix
        sa.TimeoutError,
        sa.DisconnectionError,
        sa.IntegrityError,  # two workers making the same rows: the next try sees them
        OSError,
    )
    return isinstance(exc, transient)


def refusal_reason(exc: BaseException) -> str:
    """A one-line reason for a job that could not be recorded (the driver's words, no SQL)."""
    from sqlalchemy.exc import DBAPIError, StatementError

    detail = str(exc.orig) if isinstance(exc, StatementError) else str(exc)
    detail = detail.strip().splitlines()[0] if detail.strip() else type(exc).__name__
    if isinstance(exc, DBAPIError | StatementError):
        return f"the database refused a value of this job: {detail}".replace("\x00", "")
    return f"could not be recorded: {type(exc).__name__}: {detail}".replace("\x00", "")
