"""What one run of a job came to, and the one rule that decides what happens next.

The worker turns whatever its engine thread did into an `Outcome`; `decide` maps it, the
attempts spent and the retry settings to a `Decision`; the worker only carries that out.
Both are plain values, so the rule is provable without Redis, a database or threads.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar, Protocol

from opad.engines.base import GenerationResult
from opad.states import JobStatus

# -- outcomes of a run ------------------------------------------------------------------


@dataclass(frozen=True)
class Produced:
    """The engine returned a reading."""

    result: GenerationResult


@dataclass(frozen=True)
class Stopped:
    """The engine stopped at a refused progress write: cancelled, or taken over."""

    reason: str
    cancelled: bool = False  # the live status says cancelled (else: taken over, timed out)


@dataclass(frozen=True)
class Broke:
    """The engine (or storing its reading) raised; `transient` errors may go away."""

    error: str
    transient: bool


@dataclass(frozen=True)
class TimedOut:
    """The run passed `OPAD_JOB_TIMEOUT`; its thread is abandoned (and fenced out)."""

    seconds: float


Outcome = Produced | Stopped | Broke | TimedOut


# -- claimed jobs that never start ------------------------------------------------------


@dataclass(frozen=True)
class Skipped:
    """Nothing to do: the job already ended (`already`), or a newer run holds it."""

    kind: ClassVar[str] = "skipped"  # the word the worker's log line uses
    reason: str
    already: JobStatus | None = None


@dataclass(frozen=True)
class Refused:
    """The message names a job of another article: dead-lettered, that job untouched."""

    kind: ClassVar[str] = "refused"
    reason: str


@dataclass(frozen=True)
class GaveUp:
    """Its workers were lost `attempts` times: the job failed, its message is dead."""

    kind: ClassVar[str] = "dead"
    reason: str
    attempts: int


NotRun = Skipped | Refused | GaveUp


# -- decisions --------------------------------------------------------------------------


@dataclass(frozen=True)
class Succeed:
    """Record the reading; the job ends `succeeded`."""

    result: GenerationResult


@dataclass(frozen=True)
class Retry:
    """Back to `queued`; the message waits `delay` seconds in the delayed set."""

    error: str
    delay: float


@dataclass(frozen=True)
class Fail:
    """The job ends `failed`; the message is acknowledged."""

    error: str


@dataclass(frozen=True)
class DeadLetter:
    """The job ends `failed` and its message goes to `opad:jobs:dead` (budget spent)."""

    error: str


@dataclass(frozen=True)
class Drop:
    """Nothing to record (someone else ended or owns the job): acknowledge the message."""

    reason: str
    cancelled: bool = False


Decision = Succeed | Retry | Fail | DeadLetter | Drop


class RetryLimits(Protocol):
    """The settings `decide` reads (opad.settings.Settings has them)."""

    @property
    def max_attempts(self) -> int: ...
    @property
    def retry_base_seconds(self) -> float: ...
    @property
    def retry_max_seconds(self) -> float: ...


def retry_delay(attempts: int, limits: RetryLimits, jitter: float) -> float:
    """Seconds before attempt `attempts + 1`: base × 2^(attempts−1), capped, × `jitter`
    (drawn from [0.5, 1.5) so retries of many jobs spread out)."""
    base = limits.retry_base_seconds * 2 ** max(0, attempts - 1)
    return min(limits.retry_max_seconds, base) * jitter


def decide(outcome: Outcome, attempts: int, limits: RetryLimits, jitter: float = 1.0) -> Decision:
    """What to do after a run that was attempt number `attempts` of its job."""
    if isinstance(outcome, Produced):
        return Succeed(outcome.result)
    if isinstance(outcome, Stopped):
        return Drop(outcome.reason, cancelled=outcome.cancelled)
    if isinstance(outcome, TimedOut):
        return Fail(f"timed out after {outcome.seconds:g} s")
    if not outcome.transient:
        return Fail(outcome.error)
    if attempts < limits.max_attempts:
        return Retry(outcome.error, retry_delay(attempts, limits, jitter))
    return DeadLetter(f"gave up after {attempts} attempts: {outcome.error}")
