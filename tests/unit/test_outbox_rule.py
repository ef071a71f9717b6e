"""The outbox's rule, without Redis or a database: only an unbroken run of misses as long
as the grace period makes a job due."""

from __future__ import annotations

from opad.services.outbox import due_for_push


def test_a_job_is_due_after_the_grace_period_of_misses() -> None:
    since, due = due_for_push({"a"}, {}, 100.0, 30.0)
    assert since == {"a": 100.0} and due == []
    since, due = due_for_push({"a"}, since, 129.9, 30.0)
    assert due == []
    since, due = due_for_push({"a"}, since, 130.0, 30.0)
    assert due == ["a"] and since == {"a": 100.0}


def test_a_job_seen_present_starts_over() -> None:
    since, _ = due_for_push({"a", "b"}, {}, 0.0, 10.0)
    since, _ = due_for_push({"b"}, since, 5.0, 10.0)  # "a" was found (or left `queued`)
    assert since == {"b": 0.0}
    since, due = due_for_push({"a", "b"}, since, 12.0, 10.0)
    assert since == {"a": 12.0, "b": 0.0} and due == ["b"]


def test_nothing_missing_forgets_everything() -> None:
    assert due_for_push(set(), {"a": 1.0}, 50.0, 10.0) == ({}, [])
