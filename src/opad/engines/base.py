"""The engine interface: a request in, a leveled article out, progress reported on the way."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Protocol

from pydantic import BaseModel, Field

from opad.levels import Level
from opad.questions.models import Question

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


class Source(BaseModel):
    name: str
    url: str | None = None
    date: str | None = None
    author: str | None = None
    title: str | None = None
    # The id of a text without a URL (a library text: "library:en/city-parks"), recorded
    # with the reading so that the same text is not served again unasked.
    origin: str | None = None


class VocabularyItem(BaseModel):
    word: str
    lemma: str
    level: Level
    # How the lemma is read where the script does not say: hiragana (Japanese), pinyin
    # (Chinese), Revised Romanization (Korean); "" otherwise.
    reading: str = ""
    definition: str = ""
    example: str = ""


class Usage(BaseModel):
    model: str | None = None
    prompt_tokens: int = 0
    completion_tokens: int = 0
    total_tokens: int = 0
    by_step: dict[str, dict[str, int]] = Field(default_factory=dict)
    # At OPAD_LLM_PRICES; None when a model that was used has no price there.
    cost_usd: float | None = None


class GenerationResult(BaseModel):
    title: str
    markdown: str
    source: Source
    vocabulary: list[VocabularyItem] = Field(default_factory=list)
    usage: Usage | None = None
    word_count: int = 0
    warnings: list[str] = Field(default_factory=list)
    # Comprehension questions with their answers: stored in result.json, never shown
    # with the article (GET /articles/{id}/questions leaves the answers out).
    questions: list[Question] = Field(default_factory=list)


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
