"""What the learner's side of the API accepts: the request bodies, with their limits, and the
checks that turn a bad field into a 422 naming that field (`InvalidInput`, field = its name)."""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import BaseModel, Field

from opad.errors import OpadError
from opad.languages import Language, find_language
from opad.learning.review import RATINGS
from opad.learning.states import MAX_STAGE, WordState
from opad.levels import Level

MAX_WORD = 100  # longer than any word of any language OPAD levels
MAX_SENTENCE = 2000
MAX_LEMMAS = 5_000  # a reading has at most 2 000 words, so fewer distinct lemmas


class InvalidInput(OpadError):
    """A 422 whose `field` names the bad field (its message starts "field: ")."""

    status_code = 422
    error = "invalid input"

    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"{field}: {message}")
        self.field = field


def language_of(value: str, field: str = "language") -> Language:
    """The language named by a code or name, or a 422 naming `field`."""
    lang = find_language(value) if value.strip() else None
    if lang is None:
        raise InvalidInput(field, f"unsupported language {value!r}")
    return lang


class LearnerSettings(BaseModel):
    explain_in: str = Field(min_length=2, max_length=40, description="Code or name, e.g. en")


class WordSave(BaseModel):
    language: str = Field(min_length=1, max_length=40)
    word: str = Field(min_length=1, max_length=MAX_WORD, description="The form as read")
    lemma: str | None = Field(None, min_length=1, max_length=MAX_WORD)
    sentence: str = Field("", max_length=MAX_SENTENCE)
    article_id: str | None = Field(None, max_length=36)
    state: WordState = WordState.LEARNING
    stage: int | None = Field(None, ge=1, le=MAX_STAGE)
    meaning: str | None = Field(None, max_length=2000)
    level: Level | None = None
    reading: str | None = Field(
        None, max_length=200, description="How the form is read (furigana, pinyin, romanization)"
    )


class WordChange(BaseModel):
    state: WordState | None = None
    stage: int | None = Field(None, ge=1, le=MAX_STAGE)
    meaning: str | None = Field(None, max_length=2000)
    notes: str | None = Field(None, max_length=5000)


class Lemmas(BaseModel):
    language: str = Field(min_length=1, max_length=40)
    lemmas: list[Annotated[str, Field(max_length=MAX_WORD)]] = Field(max_length=MAX_LEMMAS)


class Grade(BaseModel):
    rating: str = Field(pattern="^(again|hard|good|easy)$", description=" / ".join(RATINGS))


def check_word(value: str, field: str) -> str:
    """`value` stripped; InvalidInput(field) if that leaves nothing or it holds a NUL."""
    word = value.strip()
    if not word:
        raise InvalidInput(field, "must not be empty")
    return check_text(word, field)


def check_text(value: str, field: str) -> str:
    """`value` unchanged; InvalidInput(field) if it holds a NUL character."""
    # PostgreSQL refuses NUL in text, and no word or sentence has one.
    if "\x00" in value:
        raise InvalidInput(field, "must not contain NUL characters")
    return value


def check_lemmas(lemmas: list[str]) -> list[str]:
    """`lemmas` unchanged; InvalidInput("lemmas") if one holds a NUL character."""
    for lemma in lemmas:
        check_text(lemma, "lemmas")
    return lemmas


def word_filters(
    language: str | None, state: WordState | None, level: str | None
) -> dict[str, Any]:
    """The saved-word filters as the service takes them: {language: code | None, state,
    level: "A1"…"C2" | None}; InvalidInput("language"/"level") for an unknown one."""
    code = language_of(language).code if language else None
    if level and level.strip().upper() not in Level.__members__:
        raise InvalidInput("level", "must be one of A1, A2, B1, B2, C1, C2")
    return {
        "language": code,
        "state": state,
        "level": level.strip().upper() if level else None,
    }
