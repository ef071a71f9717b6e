"""CrewAI's event bus → each job's progress and token usage, while many crews run at once.

The bus is one per process and runs handlers on its own thread pool, in a copy of the
emitting thread's context. So the job a crew belongs to rides in a ContextVar set around
`kickoff()`, with a task-id map as a fallback. Handlers are registered once per process.
A progress report that raises JobStopped (the job was cancelled or timed out) is kept;
the crew's next LLM call is then refused by a hook that runs in the kickoff thread.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any

from crewai.events import (
    LLMCallCompletedEvent,
    LLMStreamChunkEvent,
    TaskCompletedEvent,
    TaskStartedEvent,
    crewai_event_bus,
)
from crewai.hooks import HookAborted, register_before_llm_call_hook

from opad.engines.base import JobStopped, ProgressFn, Usage
from opad.engines.crew.reading import GrowingReading
from opad.engines.crew.usage import UsageCounter

log = logging.getLogger("opad.engines.crew")


@dataclass(frozen=True)
class Step:
    start: int
    end: int
    message: str  # may contain {level}


# Percentages rise strictly along the run, so a late event can never move a job back.
STEPS: dict[str, Step] = {
    "find_news_articles": Step(10, 28, "Searching the news…"),
    "pick_best_article": Step(30, 43, "Choosing the best article…"),
    "adapt_news_article": Step(45, 73, "Rewriting for {level}…"),
    "add_vocabulary": Step(75, 84, "Picking vocabulary…"),
    "add_questions": Step(85, 93, "Writing questions…"),
}
WRITING_STEP = "adapt_news_article"  # the step whose text is shown as it streams
SAVING = (95, "Saving…")
LENGTH_FIX_PERCENT = 60
FLUSH_TIMEOUT = 10.0


class JobTracker:
    """One job's progress and usage, fed by bus events from any thread."""

    def __init__(
        self,
        progress: ProgressFn,
        level: str,
        steps: list[str],
        reading: GrowingReading | None = None,
    ) -> None:
        self._progress = progress
        self.reading = reading
        self._level = level
        self._steps = steps
        self._lock = threading.Lock()
        self._last = -1
        self._noted = ""
        self.current: str | None = None
        self.stopped: JobStopped | None = None
        self.closed = False
        self.usage = UsageCounter()

    def message(self, step: str) -> str:
        """The learner-facing message of a step."""
        return STEPS[step].message.format(level=self._level)

    def report(self, percent: int, message: str) -> None:
        """Pass progress on, in order and only forward; remember a JobStopped."""
        with self._lock:
            # Held across the call so two handler threads cannot write out of order.
            if self.closed or self.stopped or percent <= self._last:
                return
            self._last = percent
            self._noted = ""
            try:
                self._progress(percent, message)
            except JobStopped as exc:
                self.stopped = exc
            except Exception:
                # Progress is best effort: a failed status write must not fail the crew
                # (the worker's own writes will meet the same Redis and deal with it).
                log.warning("progress report failed", exc_info=True)

    def note(self, message: str) -> None:
        """Say what the job waits for now, without moving the bar (e.g. a rate limit)."""
        with self._lock:
            if self.closed or self.stopped or self._last < 0 or message == self._noted:
                return
            self._noted = message
            try:
                self._progress(self._last, message)
            except JobStopped as exc:
                self.stopped = exc
            except Exception:
                log.warning("progress report failed", exc_info=True)

    def task_started(self, name: str) -> None:
        """A task began: say what the crew is doing now."""
        if name in STEPS:
            self.current = name
            self.report(STEPS[name].start, self.message(name))

    def task_completed(self, name: str) -> None:
        """A task ended: move the bar, already announcing the next step."""
        if name not in STEPS:
            return
        index = self._steps.index(name) if name in self._steps else -1
        following = self._steps[index + 1] if 0 <= index < len(self._steps) - 1 else None
        message = self.message(following) if following else SAVING[1]
        self.report(STEPS[name].end, message)

    def llm_completed(self, name: str | None, usage: dict[str, Any] | None) -> None:
        """Count one LLM call's tokens against its task (or the task running now)."""
        step = name if name in STEPS else self.current or "other"
        self.usage.add(step, usage)
        if step == WRITING_STEP and self.reading is not None:
            self.reading.flush()

    def text_streamed(self, name: str | None, call: str | None, chunk: str) -> None:
        """One streamed chunk of an LLM answer: the writer's reading grows."""
        step = name if name in STEPS else self.current
        if step == WRITING_STEP and self.reading is not None and not self.closed:
            self.reading.feed(call, chunk)

    def result_usage(self, model: str) -> Usage:
        """The job's usage, once every event was handled."""
        return self.usage.result(model)

    def check(self) -> None:
        """Raise the JobStopped a progress report received, if any."""
        if self.stopped is not None:
            raise self.stopped


_current: ContextVar[JobTracker | None] = ContextVar("opad_crew_job", default=None)
_by_task: dict[str, JobTracker] = {}
_by_task_lock = threading.Lock()
_install_lock = threading.Lock()
_installed = False


def _tracker_for(event: Any) -> JobTracker | None:
    tracker = _current.get()
    if tracker is None:
        task_id = getattr(event, "task_id", None)
        with _by_task_lock:
            tracker = _by_task.get(str(task_id)) if task_id else None
    return tracker


def install() -> None:
    """Register the bus handlers and the stop hook, once per process."""
    global _installed
    with _install_lock:
        if _installed:
            return

        @crewai_event_bus.on(TaskStartedEvent)
        def _started(source: Any, event: TaskStartedEvent) -> None:
            tracker = _tracker_for(event)
            if tracker is not None:
                tracker.task_started(str(event.task_name))

        @crewai_event_bus.on(TaskCompletedEvent)
        def _completed(source: Any, event: TaskCompletedEvent) -> None:
            tracker = _tracker_for(event)
            if tracker is not None:
                tracker.task_completed(str(event.task_name))

        @crewai_event_bus.on(LLMCallCompletedEvent)
        def _llm_done(source: Any, event: LLMCallCompletedEvent) -> None:
            tracker = _tracker_for(event)
            if tracker is not None:
                tracker.llm_completed(event.task_name, event.usage)

        @crewai_event_bus.on(LLMStreamChunkEvent)
        def _chunk(source: Any, event: LLMStreamChunkEvent) -> None:
            # Stream chunks are handled in the emitting thread, in order (unlike the rest).
            tracker = _tracker_for(event)
            if tracker is not None and event.tool_call is None:
                tracker.text_streamed(event.task_name, event.call_id, event.chunk)

        def _stop_hook(context: Any) -> None:
            # Runs in the kickoff thread before every LLM call: the place to stop a crew.
            tracker = _current.get()
            if tracker is not None and tracker.stopped is not None:
                raise HookAborted(str(tracker.stopped))

        register_before_llm_call_hook(_stop_hook)
        _installed = True


@contextmanager
def tracking(tracker: JobTracker, task_ids: list[str]) -> Iterator[JobTracker]:
    """Attribute the bus events of this thread's crew to `tracker` while it runs."""
    token = _current.set(tracker)
    with _by_task_lock:
        for task_id in task_ids:
            _by_task[task_id] = tracker
    try:
        yield tracker
    finally:
        # Handlers run on the bus's pool: wait for this crew's last events before
        # reading its usage (the flush waits for other crews' pending events too, briefly).
        crewai_event_bus.flush(timeout=FLUSH_TIMEOUT)
        tracker.closed = True
        with _by_task_lock:
            for task_id in task_ids:
                _by_task.pop(task_id, None)
        _current.reset(token)
