"""Request and response bodies of the API (the OpenAPI schema is generated from these)."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, Field

from opad.engines.base import Source, Usage, VocabularyItem
from opad.inputs import ArticleCreate as ArticleCreate  # the API's request body
from opad.levels import Level
from opad.queue.status import LiveStatus
from opad.reading.model import Coverage
from opad.states import ArticleStatus

# A job's live status: the same JSON as the Redis key opad:job:{id} (one model for both).
JobOut = LiveStatus


class Credentials(BaseModel):
    email: str = Field(max_length=254)
    password: str = Field(min_length=1, max_length=200)
    token_name: str | None = Field(None, max_length=100, description="Names the new token")
    session: bool = Field(
        False,
        description="A browser's sign-in: the token expires after OPAD_SESSION_IDLE_DAYS unused",
    )
    expires_in_days: int | None = Field(
        None, ge=1, le=3650, description="A personal token stops working after this many days"
    )


class TokenCreate(BaseModel):
    name: str = Field(min_length=1, max_length=100)
    expires_in_days: int | None = Field(
        None, ge=1, le=3650, description="Stops working after this many days (none: never)"
    )


class UserOut(BaseModel):
    id: str
    email: str
    is_admin: bool
    created_at: datetime | None = None
    time_zone: str | None = Field(None, description="IANA name; null until set (UTC)")


class AccountUpdate(BaseModel):
    time_zone: str = Field(
        max_length=64, description="IANA time zone name, e.g. Asia/Tokyo: days are counted in it"
    )


class TokenOut(BaseModel):
    id: str
    name: str
    prefix: str
    kind: Literal["session", "personal"] = "personal"
    state: Literal["active", "expired", "revoked"] = "active"
    created_at: datetime
    last_used_at: datetime | None = None
    expires_at: datetime | None = None
    revoked_at: datetime | None = None


class NewToken(TokenOut):
    token: str = Field(description="The secret: shown once, send it as Authorization: Bearer")
    user: UserOut | None = None


class WorkerOut(BaseModel):
    id: str
    host: str
    pid: int
    concurrency: int
    jobs_in_hand: int
    started_at: str | None = None
    last_heartbeat: str | None = None


class JobAccepted(BaseModel):
    job_id: str
    article_id: str
    message: str


class ArticleSummary(BaseModel):
    id: str
    language: str
    level: Level
    length: int
    topic: str
    status: ArticleStatus
    title: str | None = None
    word_count: int | None = None
    created_at: datetime
    updated_at: datetime
    latest_job_id: str | None = None
    known_share: float | None = Field(
        None,
        ge=0,
        le=1,
        description="Share (0–1) of the reading's running words the caller marked known or "
        "ignored; null until the reading is ready",
    )


class AudioOut(BaseModel):
    """A reading's audio: `ready` (duration in seconds, size in bytes), `pending` or
    `making` (a worker has the request), `failed` (`error` says why), `none`, or
    `unavailable` (no running worker has a speech engine; `detail` says why)."""

    status: Literal["ready", "pending", "making", "failed", "none", "unavailable"]
    duration: float | None = None
    size: int | None = None
    mime: str | None = None
    engine: str | None = None
    sentences: int | None = None
    error: str | None = None
    detail: str | None = None


class AudioTimingOut(BaseModel):
    sentence: int = Field(description="The reader's sentence number (its data-s)")
    start: float = Field(description="Seconds from the start of the audio")
    end: float
    text: str


class AudioTimingsOut(BaseModel):
    file: str
    mime: str
    size: int = Field(description="Bytes")
    duration: float = Field(description="Seconds")
    engine: str
    language: str
    made_at: str
    sentences: list[AudioTimingOut]


class ArticleDetail(ArticleSummary):
    source_url: str | None = None
    has_source_text: bool = False
    latest_job: JobOut | None = None
    source: Source | None = None
    vocabulary: list[VocabularyItem] = Field(default_factory=list)
    usage: Usage | None = None
    warnings: list[str] = Field(default_factory=list)
    audio: AudioOut | None = None
    # A daily reading made with a known-word coverage target: the share it reached.
    coverage: Coverage | None = None


class ArticlePage(BaseModel):
    items: list[ArticleSummary]
    total: int
    limit: int
    offset: int


class LanguageOut(BaseModel):
    code: str
    name: str
    native: str
    direction: Literal["ltr", "rtl"] = Field(
        default="ltr", description="Script direction: ltr (left to right) or rtl"
    )
    length_unit: Literal["words", "characters"] = Field(
        default="words",
        description="What `length` counts in this language: words, or characters "
        "(Korean, Japanese, Chinese: letters, without spaces, punctuation or digits)",
    )
    sources: list[Literal["news", "library", "text"]] = Field(
        description="Where a reading can come from: news, the library, or the learner's own "
        "text (always); a topic alone needs news or library"
    )


class LevelOut(BaseModel):
    code: Level
    description: str


class FieldError(BaseModel):
    field: str
    message: str


class ErrorOut(BaseModel):
    error: str
    detail: str
    fields: list[FieldError] | None = None


class Health(BaseModel):
    status: str


class MetaOut(BaseModel):
    """What this deployment does, for clients that describe it to learners."""

    engine: str = Field(description="OPAD_ENGINE as configured, e.g. offline or crew")
    uses_llm: bool = Field(description="Whether readings are written by a language model")
    finds_news: bool = Field(description="Whether the engine searches recent news on the topic")


class DependencyHealth(BaseModel):
    status: str
    latency_ms: float | None = None
    error: str | None = None
    # Configuration that works now but puts jobs at risk (e.g. Redis's eviction policy).
    warnings: list[str] = []


class Readiness(BaseModel):
    status: str
    checks: dict[str, DependencyHealth]


class UsageTotals(BaseModel):
    readings: int
    prompt_tokens: int
    completion_tokens: int
    cost_usd: float  # US dollars, at the prices set when each reading was made
    # Readings whose model had no price: their tokens count, their cost is not in cost_usd.
    unpriced: int = 0


class UsageMonth(UsageTotals):
    month: str  # YYYY-MM (UTC)


class UsageModel(UsageTotals):
    model: str


class UsageOut(UsageTotals):
    by_month: list[UsageMonth]
    by_model: list[UsageModel]
