"""Job and article states: one enum each, the terminal set, and the allowed transitions."""

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


def can_transition(current: JobStatus, new: JobStatus) -> bool:
    """Whether a job in `current` may move to `new`."""
    return new in _ALLOWED[current]


def sources_of(target: JobStatus) -> tuple[str, ...]:
    """The states a job may be in to move to `target` (for conditional UPDATEs)."""
    return tuple(s.value for s in JobStatus if target in _ALLOWED[s])


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
