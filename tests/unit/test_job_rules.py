"""A job's rules without Redis, a database or threads: states, transitions, the decision
after a run, and the lists that must agree with the one terminal set."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest

from opad.engines.base import GenerationResult
from opad.jobs.outcomes import (
    Broke,
    DeadLetter,
    Drop,
    Fail,
    Produced,
    Retry,
    Stopped,
    Succeed,
    TimedOut,
    decide,
    retry_delay,
)
from opad.queue import scripts
from opad.states import (
    ARTICLE_STATUS_FOR_JOB,
    LIVE,
    OPERATOR_RETRY,
    TERMINAL,
    ArticleStatus,
    JobStatus,
    can_transition,
    sources_of,
)

SRC = Path(__file__).resolve().parents[2] / "src" / "opad"


@dataclass
class Limits:
    max_attempts: int = 3
    retry_base_seconds: float = 5.0
    retry_max_seconds: float = 300.0


LIMITS = Limits()


def result() -> GenerationResult:
    return GenerationResult.model_construct(title="t", markdown="# t", word_count=1)


# -- states and transitions -------------------------------------------------------------


def test_terminal_and_live_split_every_state() -> None:
    assert set(JobStatus) == TERMINAL | LIVE and not TERMINAL & LIVE
    assert {s for s in JobStatus if s.is_terminal} == TERMINAL


@pytest.mark.parametrize("status", sorted(JobStatus))
def test_every_job_state_maps_to_an_article_state(status: JobStatus) -> None:
    assert isinstance(ARTICLE_STATUS_FOR_JOB[status], ArticleStatus)


@pytest.mark.parametrize("terminal", sorted(TERMINAL))
def test_no_worker_or_learner_leaves_a_terminal_state(terminal: JobStatus) -> None:
    assert not any(can_transition(terminal, target) for target in JobStatus)


def test_the_operator_retry_is_the_one_declared_way_out() -> None:
    assert can_transition(JobStatus.FAILED, JobStatus.QUEUED, operator=True)
    assert not can_transition(JobStatus.SUCCEEDED, JobStatus.QUEUED, operator=True)
    assert not can_transition(JobStatus.CANCELLED, JobStatus.QUEUED, operator=True)
    assert set(OPERATOR_RETRY) <= TERMINAL


@pytest.mark.parametrize(
    ("target", "sources"),
    [
        (JobStatus.RUNNING, {"queued", "running"}),
        (JobStatus.QUEUED, {"running"}),
        (JobStatus.SUCCEEDED, {"running"}),
        (JobStatus.FAILED, {"queued", "running"}),
        (JobStatus.CANCELLED, {"queued", "running"}),
    ],
)
def test_conditional_updates_start_only_from_allowed_states(
    target: JobStatus, sources: set[str]
) -> None:
    assert set(sources_of(target)) == sources


def test_operator_sources_add_only_the_declared_edge() -> None:
    assert set(sources_of(JobStatus.QUEUED, operator=True)) == {"running", "failed"}


def test_a_cancelled_queued_job_never_runs() -> None:
    assert not can_transition(JobStatus.CANCELLED, JobStatus.RUNNING)
    assert can_transition(JobStatus.QUEUED, JobStatus.CANCELLED)


# -- the one terminal set, read (not copied) everywhere -----------------------------------


def test_lua_scripts_know_exactly_the_terminal_set() -> None:
    for status in JobStatus:
        assert (f"'{status.value}'" in scripts.START) == status.is_terminal


@pytest.mark.parametrize(
    "path",
    ["web/static/app.js", "cli/client.py", "web/routes/jobs.py", "services/limits.py"],
)
def test_no_copy_of_the_terminal_set(path: str) -> None:
    text = (SRC / path).read_text(encoding="utf-8")
    assert "succeeded: true" not in text
    assert '("succeeded", "failed", "cancelled")' not in text
    assert '{"succeeded", "failed", "cancelled"}' not in text
    assert '("queued", "running")' not in text


# -- decide ------------------------------------------------------------------------------


def test_a_reading_is_recorded() -> None:
    made = result()
    assert decide(Produced(made), 1, LIMITS) == Succeed(made)
    assert decide(Produced(made), 3, LIMITS) == Succeed(made)  # even on the last attempt


def test_a_stopped_run_records_nothing() -> None:
    assert decide(Stopped("taken over"), 1, LIMITS) == Drop("taken over")
    assert decide(Stopped("cancelled", cancelled=True), 2, LIMITS).cancelled  # type: ignore[union-attr]


def test_a_permanent_error_fails_at_once() -> None:
    assert decide(Broke("bad API key", transient=False), 1, LIMITS) == Fail("bad API key")


def test_a_timeout_fails_and_says_how_long() -> None:
    assert decide(TimedOut(600), 1, LIMITS) == Fail("timed out after 600 s")
    assert decide(TimedOut(0.5), 1, LIMITS) == Fail("timed out after 0.5 s")


@pytest.mark.parametrize(("attempts", "delay"), [(1, 5.0), (2, 10.0), (3, 20.0)])
def test_transient_errors_retry_with_doubling_delays(attempts: int, delay: float) -> None:
    limits = Limits(max_attempts=4)
    assert decide(Broke("HTTP 503", transient=True), attempts, limits) == Retry("HTTP 503", delay)


def test_the_last_attempt_dead_letters_with_the_count() -> None:
    decision = decide(Broke("HTTP 503", transient=True), 3, LIMITS)
    assert decision == DeadLetter("gave up after 3 attempts: HTTP 503")


def test_one_attempt_budget_never_retries() -> None:
    assert isinstance(decide(Broke("x", transient=True), 1, Limits(max_attempts=1)), DeadLetter)


def test_delays_are_capped_and_jittered() -> None:
    assert retry_delay(20, LIMITS, 1.0) == 300.0
    assert retry_delay(1, LIMITS, 0.5) == 2.5 and retry_delay(1, LIMITS, 1.49) == pytest.approx(
        7.45
    )
    assert retry_delay(1, Limits(retry_base_seconds=0), 1.0) == 0.0
    decision = decide(Broke("x", transient=True), 2, LIMITS, jitter=1.5)
    assert decision == Retry("x", 15.0)


def test_jobs_that_never_start_say_why_in_the_words_the_logs_use() -> None:
    from opad.jobs.outcomes import GaveUp, Refused, Skipped

    assert Skipped("already cancelled", JobStatus.CANCELLED).kind == "skipped"
    assert Refused("job_id already used for another article").kind == "refused"
    assert GaveUp("gave up after 3 attempts", 3).kind == "dead"
