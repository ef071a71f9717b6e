"""The engine interface: a request in, a leveled article out, progress reported on the way.

The result models live in `opad.reading.model` (re-exported here for the engines).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Protocol

from pydantic import BaseModel, Field

from opad.levels import Level
from opad.reading.model import GenerationResult, Source, Usage, VocabularyItem

ProgressFn = Callable[[int, str], None]
# The reading so far (plain text, the whole of it each time), while an engine writes it.
ReadingFn = Callable[[str], None]

# Where an engine sends its reading as it grows. A context variable rather than a new
# `generate()` parameter: engines that write in one go (offline) need not know about it,
# and the crew's LLM threads inherit it from the thread that runs the engine.
_reading_sink: ContextVar[ReadingFn | None] = ContextVar("opad_reading_sink", default=None)


@contextmanager
def streaming_reading(sink: ReadingFn | None) -> Iterator[None]:
    """Send the reading of the engine run inside this block to `sink` as it grows."""
    token = _reading_sink.set(sink)
    try:
        yield
    finally:
        _reading_sink.reset(token)


def reading_sink() -> ReadingFn | None:
    """The sink of the engine run in this context, if anyone listens."""
    return _reading_sink.get()


class GenerationRequest(BaseModel):
    """What a learner asked for (already validated and canonical)."""

    language: str  # canonical English name, e.g. "German"
    level: Level
    length: int
    topic: str
    source_text: str | None = None
    source_url: str | None = None
    # Pages this learner already has a reading from: news already read is not chosen
    # again while another good match exists. Filled by the worker, never by the protocol.
    used_sources: list[str] = Field(default_factory=list)
    # Lemmas the learner is learning in this language (saved as new or learning), most
    # recently touched first: the crew reuses them where natural, the leveler prefers
    # texts that hold them. Filled by the worker from the database, like used_sources.
    reuse_words: list[str] = Field(default_factory=list)
    # A daily plan's known-word coverage target (0–1; None: by level only), the lemmas the
    # learner knows (known, learning, ignored; lower-case) and those due for review: the
    # leveler chooses passages by them (engines/coverage.py). Filled by the worker.
    coverage: float | None = None
    known_words: list[str] = Field(default_factory=list)
    due_words: list[str] = Field(default_factory=list)


class EngineError(Exception):
    """A generation failed; `transient` says whether trying again later may succeed."""

    def __init__(self, message: str, *, transient: bool = False) -> None:
        super().__init__(message)
        self.transient = transient


class JobStopped(Exception):
    """Raised by `progress()` when the job must stop now (cancelled, timed out, taken over).

    Engines let it propagate: it is how a running job stops at its next step boundary.
    """


class Engine(Protocol):
    name: str

    def generate(self, request: GenerationRequest, progress: ProgressFn) -> GenerationResult:
        """Make the article, calling `progress(percent, message)` at each step."""
        ...


__all__ = [
    "Engine",
    "EngineError",
    "GenerationRequest",
    "GenerationResult",
    "JobStopped",
    "ProgressFn",
    "ReadingFn",
    "Source",
    "Usage",
    "VocabularyItem",
    "reading_sink",
    "streaming_reading",
]
