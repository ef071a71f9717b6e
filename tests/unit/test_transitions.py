"""Every edge of a job's state machine, allowed and refused, written out as a table: a
change to `opad.states` must change this table too."""

from __future__ import annotations

import pytest

from opad.states import OPERATOR_RETRY, JobStatus, can_transition, sources_of

Q, R, S, F, C = (
    JobStatus.QUEUED,
    JobStatus.RUNNING,
    JobStatus.SUCCEEDED,
    JobStatus.FAILED,
    JobStatus.CANCELLED,
)

# The one table: from → the states a worker or a learner may move a job to.
ALLOWED = {
    Q: {R, F, C},  # claimed, refused as unrunnable, cancelled before it ran
    R: {Q, R, S, F, C},  # retry or hand-back, take-over/progress, success, failure, cancel
    S: set(),
    F: set(),
    C: set(),
}
EDGES = [(a, b) for a in JobStatus for b in JobStatus]


@pytest.mark.parametrize(("current", "new"), EDGES, ids=lambda s: s.value)
def test_each_edge_is_allowed_or_refused_as_the_table_says(
    current: JobStatus, new: JobStatus
) -> None:
    assert can_transition(current, new) is (new in ALLOWED[current])


@pytest.mark.parametrize(("current", "new"), EDGES, ids=lambda s: s.value)
def test_an_operator_adds_only_failed_to_queued(current: JobStatus, new: JobStatus) -> None:
    expected = new in ALLOWED[current] or (current, new) == (F, Q)
    assert can_transition(current, new, operator=True) is expected


def test_the_operator_edge_is_declared_once() -> None:
    assert {F: frozenset({Q})} == OPERATOR_RETRY


def test_a_succeeded_or_cancelled_job_is_never_retried_even_by_an_operator() -> None:
    for done in (S, C):
        assert not any(can_transition(done, new, operator=True) for new in JobStatus)


@pytest.mark.parametrize("target", list(JobStatus), ids=lambda s: s.value)
def test_sources_are_the_table_read_backwards_in_enum_order(target: JobStatus) -> None:
    expected = tuple(s.value for s in JobStatus if target in ALLOWED[s])
    assert sources_of(target) == expected
    operator = tuple(s.value for s in JobStatus if target in ALLOWED[s] or (s, target) == (F, Q))
    assert sources_of(target, operator=True) == operator


def test_nothing_moves_a_job_back_to_queued_but_a_retry() -> None:
    assert sources_of(Q) == ("running",)
    assert sources_of(Q, operator=True) == ("running", "failed")
    assert sources_of(S) == ("running",)  # only a run ends a job well
