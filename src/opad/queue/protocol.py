"""Key names and payloads of the public Redis protocol (see docs/protocol.md)."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, field_validator

from opad.queue.status import LiveStatus, iso
from opad.states import JobStatus

__all__ = ["LiveStatus", "iso"]  # the status document and its time format live in jobs/

QUEUE_KEY = "opad:jobs"
DEAD_KEY = "opad:jobs:dead"
DELAYED_KEY = "opad:jobs:delayed"
WORKERS_KEY = "opad:workers"
REAPER_LOCK_KEY = "opad:reaper:lock"
STATUS_TTL_SECONDS = 24 * 3600
MAX_ID_LENGTH = 36  # the database's id columns (a UUID with dashes)


def status_key(job_id: str) -> str:
    """The string key holding a job's live status JSON."""
    return f"opad:job:{job_id}"


def fence_key(job_id: str) -> str:
    """The newest run token of a job; older runs may no longer write its status."""
    return f"opad:job:{job_id}:fence"


def events_channel(job_id: str) -> str:
    """The pub/sub channel that carries every status write of a job."""
    return f"opad:job:{job_id}:events"


def reading_channel(job_id: str) -> str:
    """The pub/sub channel that carries a job's reading while it is being written (an
    addition to the original protocol: `{"id", "text"}`, the whole text so far)."""
    return f"opad:job:{job_id}:reading"


def processing_key(worker_id: str) -> str:
    """The list a worker claims jobs into while it works on them."""
    return f"opad:processing:{worker_id}"


def lease_key(worker_id: str) -> str:
    """A worker's lease: exists (with a TTL) while the worker is alive."""
    return f"opad:worker:{worker_id}:lease"


def worker_info_key(worker_id: str) -> str:
    """A hash describing a live worker (host, pid, started, last heartbeat)."""
    return f"opad:worker:{worker_id}"


def now_iso() -> str:
    """The current time as the protocol writes it."""
    return iso(datetime.now(UTC)) or ""


class JobPayload(BaseModel):
    """A message on opad:jobs. Producers may add fields; they are kept and ignored."""

    model_config = ConfigDict(extra="allow")

    job_id: str
    article_id: str
    inputs: dict[str, Any]
    created_at: str | None = None

    @field_validator("job_id")
    @classmethod
    def _job_id(cls, value: str) -> str:
        if not value.strip():
            raise ValueError("must not be empty")
        if len(value) > MAX_ID_LENGTH:
            raise ValueError(f"must be at most {MAX_ID_LENGTH} characters (a UUID is recommended)")
        return value

    @field_validator("article_id")
    @classmethod
    def _article_id(cls, value: str) -> str:
        # It names a database row and a file in the content store: only a real UUID will do.
        try:
            uuid.UUID(value)
        except ValueError:
            raise ValueError("must be a UUID (hex digits and dashes)") from None
        if len(value) > MAX_ID_LENGTH:  # uuid.UUID also takes "{…}" and "urn:uuid:…"
            raise ValueError("must be a UUID written as hex digits and dashes")
        return value


def status_document(
    *,
    job_id: str,
    article_id: str,
    status: str,
    progress: int,
    message: str,
    created_at: datetime | str | None,
    started_at: datetime | str | None = None,
    finished_at: datetime | str | None = None,
    error: str | None = None,
    attempts: int = 0,
) -> LiveStatus:
    """The status stored at opad:job:{id} (exactly what GET /jobs/{id} returns): its JSON
    is `.to_json()`; times may be datetimes or the protocol's ISO text. ValueError for a
    `status` that is not a job state."""
    return LiveStatus(
        id=job_id,
        article_id=article_id,
        status=JobStatus(status),
        progress=progress,
        message=message,
        created_at=created_at,  # pydantic parses ISO text
        started_at=started_at,
        finished_at=finished_at,
        error=error,
        attempts=attempts,
    )
