"""Validation of what a learner asks for, shared by the API and the worker (protocol jobs)."""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, field_validator, model_validator

from opad.languages import find_language
from opad.levels import Level

MIN_LENGTH, MAX_LENGTH = 50, 2000
MAX_TOPIC, MAX_SOURCE_TEXT = 200, 50_000


def _canonical_language(value: Any) -> Any:
    if not isinstance(value, str):
        raise ValueError("must be a language name or ISO code, e.g. 'German' or 'de'")
    lang = find_language(value)
    if lang is None:
        raise ValueError(f"unsupported language {value!r}; GET /languages lists the supported ones")
    return lang.name


def _upper_level(value: Any) -> Any:
    if isinstance(value, str) and value.strip().upper() in Level.__members__:
        return value.strip().upper()
    raise ValueError("must be a CEFR level: A1, A2, B1, B2, C1 or C2")


def _word_count(value: Any) -> Any:
    # The original design sends the length as a string ("500"): accept digits in a string too.
    if isinstance(value, bool):
        raise ValueError("must be a whole number of words")
    if isinstance(value, str) and value.strip().isdigit():
        value = int(value.strip())
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if not isinstance(value, int):
        raise ValueError("must be a whole number of words")
    if not MIN_LENGTH <= value <= MAX_LENGTH:
        raise ValueError(f"must be between {MIN_LENGTH} and {MAX_LENGTH} words")
    return value


LanguageName = Annotated[str, BeforeValidator(_canonical_language)]
LevelIn = Annotated[Level, BeforeValidator(_upper_level)]
WordCount = Annotated[int, BeforeValidator(_word_count)]


class ArticleCreate(BaseModel):
    """What to generate: a reading on a topic, or an adaptation of the learner's own text."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {"language": "German", "level": "B1", "length": 300, "topic": "city parks"}
            ]
        }
    )

    language: LanguageName = Field(description="Language name or ISO 639-1 code (GET /languages)")
    level: LevelIn = Field(description="CEFR level A1…C2, any case")
    length: WordCount = Field(description=f"Target length in words, {MIN_LENGTH}–{MAX_LENGTH}")
    topic: str | None = Field(None, description=f"1–{MAX_TOPIC} characters; optional with a source")
    source_text: str | None = Field(None, description=f"Your own text, ≤ {MAX_SOURCE_TEXT} chars")
    source_url: str | None = Field(None, description="An http(s) page to adapt")

    @field_validator("*", mode="before")
    @classmethod
    def _no_nul(cls, value: Any) -> Any:
        # PostgreSQL's text type cannot hold U+0000 (SQLite can): refuse it in every field,
        # so that both databases answer the same, and before anything is stored or queued.
        if isinstance(value, str) and "\x00" in value:
            raise ValueError("must not contain the NUL character (U+0000)")
        return value

    @field_validator("topic")
    @classmethod
    def _topic(cls, value: str | None) -> str | None:
        if value is None:
            return None
        value = " ".join(value.split())
        if not value:
            raise ValueError("must not be empty")
        if len(value) > MAX_TOPIC:
            raise ValueError(f"must be at most {MAX_TOPIC} characters")
        return value

    @field_validator("source_text")
    @classmethod
    def _source_text(cls, value: str | None) -> str | None:
        if value is None or not value.strip():
            return None
        if len(value) > MAX_SOURCE_TEXT:
            raise ValueError(f"must be at most {MAX_SOURCE_TEXT} characters")
        return value

    @field_validator("source_url")
    @classmethod
    def _source_url(cls, value: str | None) -> str | None:
        if value is None or not value.strip():
            return None
        value = value.strip()
        scheme, sep, rest = value.partition("://")
        if not sep or scheme.lower() not in ("http", "https") or not rest.split("/")[0]:
            raise ValueError("must be an http:// or https:// URL")
        if len(value) > 2000:
            raise ValueError("must be at most 2000 characters")
        return value

    @model_validator(mode="after")
    def _topic_or_source(self) -> ArticleCreate:
        if self.topic is None:
            if self.source_text is None and self.source_url is None:
                raise ValueError("topic: is required unless source_text or source_url is given")
            self.topic = "your text"
        return self
