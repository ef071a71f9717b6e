"""A job's live status: the one document Redis holds, the API returns and clients read.

`LiveStatus` is the JSON of `opad:job:{id}` (docs/protocol.md, "Status"), typed:

    {"id": "2f0c…", "article_id": "9a41…", "status": "running", "progress": 35,
     "message": "Choosing sentences for B1…", "created_at": "2026-11-27T10:00:00Z",
     "started_at": "2026-11-27T10:00:00.120000Z", "finished_at": null, "error": null,
     "attempts": 1}

`document()` gives that dict exactly (field order, string states, nulls, times in UTC with a
Z); `LiveStatus.parse` reads one back from Redis, the API or an SSE event. Only pydantic and
`opad.states` are imported, so the queue layer and the clients can use it. It is part of the
Redis protocol, so it lives with the queue (`queue/protocol.py` writes it).
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, field_serializer, field_validator

from opad.states import JobStatus


def iso(dt: datetime | None) -> str | None:
    """ISO 8601 in UTC with a Z, or None (the protocol's way of writing a time)."""
    if dt is None:
        return None
    return dt.astimezone(UTC).isoformat().replace("+00:00", "Z")


class LiveStatus(BaseModel):
    """A job's status, progress and message (see the module docstring for the JSON).

    `progress` is clamped into 0–100 when built; a producer's extra fields are dropped.
    """

    model_config = ConfigDict(frozen=True, extra="ignore")

    id: str
    article_id: str
    status: JobStatus
    progress: int = Field(0, ge=0, le=100)
    message: str = ""
    created_at: datetime | None = None
    started_at: datetime | None = None
    finished_at: datetime | None = None
    error: str | None = None
    attempts: int = 0

    @field_validator("progress", mode="before")
    @classmethod
    def _clamp(cls, value: Any) -> Any:
        # A step may overshoot (or a producer write 120): the protocol says 0–100.
        if isinstance(value, int | float) and not isinstance(value, bool):
            return max(0, min(100, int(value)))
        return value

    @field_serializer("created_at", "started_at", "finished_at", when_used="json")
    def _time(self, value: datetime | None) -> str | None:
        return iso(value)

    @property
    def is_terminal(self) -> bool:
        """True once the job can never change again."""
        return self.status.is_terminal

    def document(self) -> dict[str, Any]:
        """The protocol's JSON object, as a dict ready for `json.dumps`."""
        return self.model_dump(mode="json")

    def to_json(self) -> str:
        """The document as the JSON text written to Redis and sent on the event stream."""
        return json.dumps(self.document())

    @classmethod
    def parse(cls, data: str | bytes | dict[str, Any]) -> LiveStatus:
        """Read a status from its JSON text or a decoded dict; ValidationError if it is not
        one (e.g. a missing `id` or an unknown `status`)."""
        if isinstance(data, dict):
            return cls.model_validate(data)
        return cls.model_validate_json(data)
