"""The live status document: the JSON docs/protocol.md shows, typed (no Redis, no API)."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest
from pydantic import ValidationError

from opad.queue.protocol import status_document
from opad.queue.status import LiveStatus, iso
from opad.states import JobStatus

# The example of docs/protocol.md, "Status" (ids shortened there; any text will do).
PROTOCOL_EXAMPLE = (
    '{"id": "2f0c", "article_id": "9a41", "status": "running", "progress": 35,'
    ' "message": "Choosing sentences for B1…", "created_at": "2026-11-27T10:00:00Z",'
    ' "started_at": "2026-11-27T10:00:00.120Z", "finished_at": null, "error": null,'
    ' "attempts": 1}'
)


def test_the_protocol_example_reads_and_writes_back_the_same_fields() -> None:
    status = LiveStatus.parse(PROTOCOL_EXAMPLE)
    assert status.status is JobStatus.RUNNING and not status.is_terminal
    assert status.started_at == datetime(2026, 11, 27, 10, 0, 0, 120000, tzinfo=UTC)
    doc = status.document()
    example = json.loads(PROTOCOL_EXAMPLE)
    assert list(doc) == list(example)  # the same fields, in the same order
    assert doc["status"] == "running" and type(doc["status"]) is str
    assert doc["finished_at"] is None and doc["error"] is None
    assert doc["created_at"] == "2026-11-27T10:00:00Z"
    assert doc["started_at"] == "2026-11-27T10:00:00.120000Z"  # as the API has always said
    assert json.loads(status.to_json()) == doc


def test_times_are_written_as_the_protocol_writes_them() -> None:
    when = datetime(2026, 12, 7, 1, 2, 3, tzinfo=UTC)
    status = status_document(
        job_id="j",
        article_id="a",
        status="succeeded",
        progress=100,
        message="Completed!",
        created_at=when,
        finished_at=iso(when),
    )
    doc = status.document()
    assert doc["created_at"] == doc["finished_at"] == iso(when) == "2026-12-07T01:02:03Z"
    assert doc["started_at"] is None and doc["attempts"] == 0
    assert status.is_terminal


@pytest.mark.parametrize(("given", "kept"), [(-5, 0), (0, 0), (42, 42), (100, 100), (250, 100)])
def test_progress_is_kept_within_0_to_100(given: int, kept: int) -> None:
    status = LiveStatus(id="j", article_id="a", status=JobStatus.RUNNING, progress=given)
    assert status.progress == kept


def test_a_producers_extra_fields_are_dropped_and_missing_ones_default() -> None:
    status = LiveStatus.parse({"id": "j", "article_id": "a", "status": "queued", "mine": 1})
    assert status.document() == {
        "id": "j",
        "article_id": "a",
        "status": "queued",
        "progress": 0,
        "message": "",
        "created_at": None,
        "started_at": None,
        "finished_at": None,
        "error": None,
        "attempts": 0,
    }


@pytest.mark.parametrize(
    "broken",
    [
        '{"article_id": "a", "status": "queued"}',  # no id
        '{"id": "j", "article_id": "a", "status": "paused"}',  # not a job state
        "not json",
    ],
)
def test_what_is_not_a_status_is_refused(broken: str) -> None:
    with pytest.raises(ValidationError):
        LiveStatus.parse(broken)
