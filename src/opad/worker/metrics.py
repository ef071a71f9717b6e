"""The worker's job counters, from what a run came to (`jobs/outcomes.py`)."""

from __future__ import annotations

from opad.engines.base import Usage
from opad.jobs.outcomes import (
    DeadLetter,
    Decision,
    Drop,
    Fail,
    GaveUp,
    NotRun,
    Retry,
    Skipped,
    Succeed,
)
from opad.metrics import (
    JOB_DURATION,
    JOBS_CANCELLED,
    JOBS_FAILED,
    JOBS_RETRIED,
    JOBS_SUCCEEDED,
    LLM_TOKENS,
)
from opad.states import JobStatus


def job_succeeded(seconds: float, usage: Usage | None) -> None:
    """A run stored its result; count its LLM tokens when the engine reported them."""
    JOBS_SUCCEEDED.inc()
    JOB_DURATION.labels("succeeded").observe(seconds)
    if usage is not None and (usage.prompt_tokens or usage.completion_tokens):
        model = usage.model or "unknown"
        LLM_TOKENS.labels(model, "prompt").inc(usage.prompt_tokens)
        LLM_TOKENS.labels(model, "completion").inc(usage.completion_tokens)


def job_ended(outcome: str, seconds: float | None = None) -> None:
    """A run (or a claimed job that never ran) ended: "failed", "retried" or "cancelled"."""
    counter = {"failed": JOBS_FAILED, "retried": JOBS_RETRIED, "cancelled": JOBS_CANCELLED}
    counter[outcome].inc()
    if seconds is not None:
        JOB_DURATION.labels(outcome).observe(seconds)


def record_decision(decision: Decision, seconds: float) -> None:
    """A run ended and the worker carried out `decision`: count it once, by its kind."""
    if isinstance(decision, Succeed):
        job_succeeded(seconds, decision.result.usage)
    elif isinstance(decision, Retry):
        job_ended("retried", seconds)
    elif isinstance(decision, Fail | DeadLetter):
        job_ended("failed", seconds)
    elif isinstance(decision, Drop) and decision.cancelled:
        job_ended("cancelled", seconds)


def record_not_run(why: NotRun) -> None:
    """A claimed job that did not start: count the ones that end here."""
    if isinstance(why, GaveUp):
        job_ended("failed")
    elif isinstance(why, Skipped) and why.already == JobStatus.CANCELLED:
        job_ended("cancelled")
