"""Queue messages that cannot run end once and visibly, on SQLite and PostgreSQL.

Real API and worker processes; messages are pushed with LPUSH as any producer could.
Every message with a usable job_id ends in exactly one terminal status; every message that
cannot run is on opad:jobs:dead exactly once; nothing stays queued, delayed or held.
"""

from __future__ import annotations

import json
from collections.abc import Iterator

import httpx
import pytest

from tests.e2e.queue_stack import INPUTS, QueueStack
from tests.processes import wait_until


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def qs(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[QueueStack]:
    pg_url = request.getfixturevalue("pg_url") if request.param == "postgresql" else ""
    stack = QueueStack(tmp_path_factory.mktemp(request.param), request.param, pg_url, "2")
    yield stack
    stack.close()


def _refused_once(qs: QueueStack, job_id: str | None, fragment: str) -> dict[str, object]:
    wait_until(lambda: qs.dead_for(job_id), 20, f"a dead letter for {job_id}")
    qs.settle()
    entries = qs.dead_for(job_id)
    assert len(entries) == 1, entries
    assert fragment in str(entries[0]["error"]), entries[0]
    assert qs.idle()
    return entries[0]


def test_duplicate_job_id_during_the_run_is_refused_without_touching_it(qs: QueueStack) -> None:
    first = qs.message()
    qs.push(first)
    wait_until(lambda: (qs.status(first["job_id"]) or {}).get("status") == "running", 20, "run")
    second = qs.message(job_id=first["job_id"])
    raw = qs.push(second)
    # Refused at once, while the first run is still going.
    wait_until(lambda: qs.dead_for(first["job_id"]), 5, "the duplicate to be dead-lettered")
    assert qs.status(first["job_id"])["status"] == "running"  # type: ignore[index]
    done = qs.wait_terminal(first["job_id"])
    assert done["status"] == "succeeded" and done["article_id"] == first["article_id"]
    assert done["attempts"] == 1
    entry = _refused_once(qs, first["job_id"], "job_id already used for another article")
    assert entry["payload"] == raw
    assert qs.api_article(first["article_id"]) == 200
    assert qs.api_article(second["article_id"]) == 404 and qs.articles(second["article_id"]) == 0


def test_duplicate_job_id_after_the_job_ended_is_refused(qs: QueueStack) -> None:
    first = qs.message()
    qs.push(first)
    before = qs.wait_terminal(first["job_id"])
    second = qs.message(job_id=first["job_id"])
    qs.push(second)
    _refused_once(qs, first["job_id"], "job_id already used for another article")
    assert qs.status(first["job_id"]) == before  # the finished job is not touched
    assert qs.articles(second["article_id"]) == 0


def test_same_message_twice_runs_once(qs: QueueStack) -> None:
    # At-least-once delivery: a repeated message (same article) is the same job, not a clash.
    first = qs.message()
    qs.push(first)
    qs.wait_terminal(first["job_id"])
    qs.push(first)
    qs.settle()
    assert qs.status(first["job_id"])["status"] == "succeeded"  # type: ignore[index]
    assert qs.dead_for(first["job_id"]) == [] and qs.idle()


@pytest.mark.parametrize("article_id", ["not a uuid", "../../etc/passwd", "", 42, None])
def test_article_id_that_is_not_a_uuid_fails_at_once(qs: QueueStack, article_id: object) -> None:
    before = qs.articles()
    message = qs.message(article_id=article_id)
    qs.push(message)
    status = qs.wait_terminal(message["job_id"], timeout=10)
    assert status["status"] == "failed" and "article_id" in status["error"]
    assert status["attempts"] == 0 and status["started_at"] is None  # the engine never ran
    _refused_once(qs, message["job_id"], "article_id")
    assert qs.articles() == before  # no row made


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"inputs": {**INPUTS, "topic": "Park\u0000anlagen"}}, "topic"),
        ({"inputs": {**INPUTS, "source_text": "Ein Text\u0000" * 20}}, "source_text"),
        ({"inputs": {**INPUTS, "language": "Eng\u0000lish"}}, "language"),
        ({"inputs": {**INPUTS, "note\u0000": "x"}}, "field name"),
        ({"producer": "script\u0000"}, "producer"),
        ({"created_at": "2026-11-27T10:00:00Z\u0000"}, "created_at"),
    ],
)
def test_nul_character_fails_the_job_once(
    qs: QueueStack, change: dict[str, object], field: str
) -> None:
    message = qs.message(**change)
    qs.push(message)
    status = qs.wait_terminal(message["job_id"], timeout=10)
    assert status["status"] == "failed" and "NUL" in status["error"] and field in status["error"]
    _refused_once(qs, message["job_id"], "NUL")
    assert qs.articles(message["article_id"]) == 0


def test_nul_in_the_job_id_is_dead_lettered_once(qs: QueueStack) -> None:
    raw = qs.push(qs.message(job_id="job\u0000one"))
    wait_until(lambda: any(e["payload"] == raw for e in qs.dead()), 10, "the dead letter")
    qs.settle()
    assert sum(e["payload"] == raw for e in qs.dead()) == 1 and qs.idle()


@pytest.mark.parametrize("inputs", ["missing", None, [], "German B1"])
def test_missing_or_null_inputs_end_failed_with_a_status(qs: QueueStack, inputs: object) -> None:
    message = qs.message()
    if inputs == "missing":
        del message["inputs"]
    else:
        message["inputs"] = inputs
    qs.push(message)
    status = qs.wait_terminal(message["job_id"], timeout=10)
    assert status["status"] == "failed" and "inputs" in status["error"]
    assert status["article_id"] == message["article_id"]
    _refused_once(qs, message["job_id"], "inputs")
    # GET /jobs/{id} serves the same status.
    api = httpx.get(f"{qs.stack.api_url}/jobs/{message['job_id']}", timeout=10)
    assert api.status_code == 200 and api.json()["status"] == "failed"


def test_values_the_database_would_refuse_fail_once(qs: QueueStack) -> None:
    # Longer than the id column: PostgreSQL would refuse it at every try (SQLite would not).
    long_id = "j" * 37
    qs.push(qs.message(job_id=long_id))
    status = qs.wait_terminal(long_id, timeout=10)
    assert status["status"] == "failed" and "job_id" in status["error"]
    _refused_once(qs, long_id, "36 characters")
    # A topic over its column's size is refused by validation, naming the field.
    message = qs.message(inputs={**INPUTS, "topic": "t" * 201})
    qs.push(message)
    assert "topic" in qs.wait_terminal(message["job_id"], timeout=10)["error"]
    _refused_once(qs, message["job_id"], "topic")


@pytest.mark.parametrize("number", ["NaN", "Infinity", "-Infinity", "1e999"])
def test_numbers_json_cannot_hold_fail_once(qs: QueueStack, number: str) -> None:
    # Python's json reads these; PostgreSQL's json column refused them at every retry.
    message = qs.message()
    raw = json.dumps(message)[:-1] + f', "score": {number}' + "}"
    qs.push(raw)
    status = qs.wait_terminal(message["job_id"], timeout=10)
    assert status["status"] == "failed" and "score: must be a finite number" in status["error"]
    _refused_once(qs, message["job_id"], "finite number")
    assert qs.articles(message["article_id"]) == 0


@pytest.mark.parametrize(
    "created_at", ["9999-12-31T23:59:59-05:00", "0001-01-01T00:00:00+05:00", "yesterday"]
)
def test_odd_created_at_does_not_stop_a_job(qs: QueueStack, created_at: str) -> None:
    message = qs.message(created_at=created_at)
    qs.push(message)
    assert qs.wait_terminal(message["job_id"])["status"] == "succeeded"
    assert qs.dead_for(message["job_id"]) == [] and qs.idle()


def test_bytes_that_are_not_utf8_are_dead_lettered_and_the_worker_goes_on(qs: QueueStack) -> None:
    before = len(qs.dead())
    qs.push(b'{"job_id": "\xff\xfe", "article_id": 1}')
    wait_until(lambda: len(qs.dead()) == before + 1, 10, "the dead letter")
    qs.settle()
    assert len(qs.dead()) == before + 1 and qs.idle()
    # Every slot is still working.
    later = qs.message()
    qs.push(later)
    assert qs.wait_terminal(later["job_id"])["status"] == "succeeded"


def test_generate_with_nul_is_422_naming_the_field(qs: QueueStack) -> None:
    body = {"language": "German", "level": "B1", "length": 100, "topic": "Stadt\u0000park"}
    resp = httpx.post(f"{qs.stack.api_url}/generate", json=body, timeout=10)
    assert resp.status_code == 422, resp.text
    assert [f["field"] for f in resp.json()["fields"]] == ["topic"]
