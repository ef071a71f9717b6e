"""The public Redis protocol's payloads and names (docs/protocol.md): what a message on
opad:jobs must hold, and the status document a job's key carries."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest
from pydantic import ValidationError

from opad.queue import protocol
from opad.queue.protocol import JobPayload, iso, status_document

ARTICLE = "7f9c2ba4-e88f-4a1b-9d3e-111111111111"


def payload(**changes: object) -> JobPayload:
    body = {"job_id": "job-1", "article_id": ARTICLE, "inputs": {"topic": "parks"}}
    return JobPayload.model_validate({**body, **changes})


def refused(**changes: object) -> dict[str, str]:
    with pytest.raises(ValidationError) as info:
        payload(**changes)
    return {".".join(map(str, e["loc"])): e["msg"] for e in info.value.errors()}


def test_a_minimal_message_reads_and_extra_fields_are_kept() -> None:
    message = payload(priority=3)
    assert (message.job_id, message.article_id, message.created_at) == ("job-1", ARTICLE, None)
    assert message.model_extra == {"priority": 3}
    assert message.model_dump()["priority"] == 3


@pytest.mark.parametrize("job_id", ["", "   "])
def test_an_empty_job_id_is_refused(job_id: str) -> None:
    assert refused(job_id=job_id) == {"job_id": "Value error, must not be empty"}


def test_a_job_id_fits_the_database_column() -> None:
    assert payload(job_id="j" * 36).job_id == "j" * 36
    assert "at most 36 characters" in refused(job_id="j" * 37)["job_id"]


@pytest.mark.parametrize(
    "article_id",
    ["not-a-uuid", "", "{" + ARTICLE + "}", "urn:uuid:" + ARTICLE, ARTICLE + "0"],
)
def test_the_article_id_must_be_a_plain_uuid(article_id: str) -> None:
    assert "article_id" in refused(article_id=article_id)


def test_the_uuid_may_be_written_without_dashes_or_in_capitals() -> None:
    assert payload(article_id=ARTICLE.replace("-", "")).article_id == ARTICLE.replace("-", "")
    assert payload(article_id=ARTICLE.upper()).article_id == ARTICLE.upper()


@pytest.mark.parametrize("missing", ["job_id", "article_id", "inputs"])
def test_each_missing_field_is_named(missing: str) -> None:
    body = {"job_id": "j", "article_id": ARTICLE, "inputs": {}}
    del body[missing]
    with pytest.raises(ValidationError) as info:
        JobPayload.model_validate(body)
    assert [e["loc"] for e in info.value.errors()] == [(missing,)]


def test_inputs_must_be_an_object() -> None:
    assert "inputs" in refused(inputs=["topic"])


def test_the_status_document_clamps_progress_and_has_every_field() -> None:
    doc = status_document(
        job_id="j", article_id="a", status="running", progress=140, message="m", created_at=None
    ).document()
    assert doc == {
        "id": "j",
        "article_id": "a",
        "status": "running",
        "progress": 100,
        "message": "m",
        "created_at": None,
        "started_at": None,
        "finished_at": None,
        "error": None,
        "attempts": 0,
    }
    low = status_document(
        job_id="j",
        article_id="a",
        status="queued",
        progress=-5,
        message="",
        created_at="2026-11-28T10:00:00Z",
    )
    assert low.progress == 0
    assert low.document()["created_at"] == "2026-11-28T10:00:00Z"
    fraction = status_document(
        job_id="j", article_id="a", status="queued", progress=41.9, message="", created_at=None
    )  # type: ignore[arg-type]
    assert fraction.progress == 41


def test_times_are_utc_with_a_z() -> None:
    assert iso(None) is None
    assert iso(datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC)) == "2026-01-02T03:04:05Z"
    cet = timezone(timedelta(hours=1))
    assert iso(datetime(2026, 1, 2, 4, 4, 5, 120000, tzinfo=cet)) == "2026-01-02T03:04:05.120000Z"
    assert protocol.now_iso().endswith("Z")


def test_key_names_of_the_protocol() -> None:
    assert protocol.status_key("j") == "opad:job:j"
    assert protocol.fence_key("j") == "opad:job:j:fence"
    assert protocol.events_channel("j") == "opad:job:j:events"
    assert protocol.reading_channel("j") == "opad:job:j:reading"
    assert protocol.processing_key("w") == "opad:processing:w"
    assert protocol.lease_key("w") == "opad:worker:w:lease"
    assert protocol.worker_info_key("w") == "opad:worker:w"
    assert (protocol.QUEUE_KEY, protocol.DEAD_KEY, protocol.DELAYED_KEY) == (
        "opad:jobs",
        "opad:jobs:dead",
        "opad:jobs:delayed",
    )
    assert protocol.STATUS_TTL_SECONDS == 86400
