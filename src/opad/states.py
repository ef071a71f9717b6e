"""Job and article states: one enum each, the terminal set, and the allowed transitions.

The one place these are written down: the Lua scripts (queue/scripts.py), the web pages
and their script (a `<meta name="opad-terminal-statuses">`), the CLI's client and the
rate limits all read them from here.

It sits at the package root with the other plain values (`levels`, `languages`) because
the lowest layers use it: the database models (`db/models.py`) type their status columns
with these enums and the queue (`queue/`) reads the terminal set, while `jobs/` (a job's
row, its outcome) sits above both. Imports nothing of OPAD.
"""

from __future__ import annotations

from enum import StrEnum


class JobStatus(StrEnum):
    QUEUED = "queued"
    RUNNING = "running"
    SUCCEEDED = "succeeded"
    FAILED = "failed"
    CANCELLED = "cancelled"

    @property
    def is_terminal(self) -> bool:
        """True once the job can never change again."""
        return self in TERMINAL


TERMINAL = frozenset({JobStatus.SUCCEEDED, JobStatus.FAILED, JobStatus.CANCELLED})
LIVE = frozenset(set(JobStatus) - TERMINAL)  # waiting for a worker or being made

# An operator's `opad jobs retry ID` is the one way out of a terminal state: a declared
# edge of its own, never taken by a worker or a learner.
OPERATOR_RETRY: dict[JobStatus, frozenset[JobStatus]] = {
    JobStatus.FAILED: frozenset({JobStatus.QUEUED}),
}

# Running → queued is a retry or a job handed back on shutdown; running → running is a new
# run taking over from a worker that was lost (or a progress update of the same run).
_ALLOWED: dict[JobStatus, frozenset[JobStatus]] = {
    JobStatus.QUEUED: frozenset({JobStatus.RUNNING, JobStatus.FAILED, JobStatus.CANCELLED}),
    JobStatus.RUNNING: frozenset(
        {
            JobStatus.QUEUED,
            JobStatus.RUNNING,
            JobStatus.SUCCEEDED,
            JobStatus.FAILED,
            JobStatus.CANCELLED,
        }
    ),
    JobStatus.SUCCEEDED: frozenset(),
    JobStatus.FAILED: frozenset(),
    JobStatus.CANCELLED: frozenset(),
}


def can_transition(current: JobStatus, new: JobStatus, *, operator: bool = False) -> bool:
    """Whether a job in `current` may move to `new` (`operator`: also by a manual retry)."""
    if operator and new in OPERATOR_RETRY.get(current, frozenset()):
        return True
    return new in _ALLOWED[current]


def sources_of(target: JobStatus, *, operator: bool = False) -> tuple[str, ...]:
    """The states a job may be in to move to `target` (for conditional UPDATEs)."""
    return tuple(s.value for s in JobStatus if can_transition(s, target, operator=operator))


class ArticleStatus(StrEnum):
    DRAFT = "draft"  # created, never generated
    QUEUED = "queued"
    RUNNING = "running"
    READY = "ready"
    FAILED = "failed"
    CANCELLED = "cancelled"


ARTICLE_STATUS_FOR_JOB: dict[JobStatus, ArticleStatus] = {
    JobStatus.QUEUED: ArticleStatus.QUEUED,
    JobStatus.RUNNING: ArticleStatus.RUNNING,
    JobStatus.SUCCEEDED: ArticleStatus.READY,
    JobStatus.FAILED: ArticleStatus.FAILED,
    JobStatus.CANCELLED: ArticleStatus.CANCELLED,
}
