"""The job state machine."""

from __future__ import annotations

from opad.states import TERMINAL, JobStatus, can_transition


def test_terminal_states_never_change() -> None:
    for terminal in TERMINAL:
        for target in JobStatus:
            assert not can_transition(terminal, target)


def test_normal_path_and_progress_updates() -> None:
    assert can_transition(JobStatus.QUEUED, JobStatus.RUNNING)
    assert can_transition(JobStatus.RUNNING, JobStatus.RUNNING)
    assert can_transition(JobStatus.RUNNING, JobStatus.SUCCEEDED)
    assert can_transition(JobStatus.RUNNING, JobStatus.QUEUED)  # retry / handed back
    assert not can_transition(JobStatus.QUEUED, JobStatus.SUCCEEDED)
