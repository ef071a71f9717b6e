"""Structured outputs of the crew's tasks (CrewAI validates the LLM's JSON against these).

Every field is required (nullable where the source may not say): OpenAI's strict JSON
schema mode rejects optional properties.
"""

from __future__ import annotations

import copy
from typing import Any, Literal

from pydantic import BaseModel, Field

CefrLevel = Literal["A1", "A2", "B1", "B2", "C1", "C2"]

_schemas: dict[Any, dict[str, Any]] = {}


class CachedSchema(BaseModel):
    """A model whose JSON schema is built once per process (task outputs, tool arguments).

    CrewAI puts the schema in every task prompt and tool list, the OpenAI SDK in every
    structured request, each asking pydantic to build it anew (3–14% of a worker's CPU
    with 50 crews at once, py-spy). The model never changes, so the schema is kept;
    callers get a copy, as they may change it (the SDK makes it strict in place).
    """

    @classmethod
    def model_json_schema(cls, *args: Any, **kwargs: Any) -> dict[str, Any]:
        key = (cls, args, tuple(sorted(kwargs.items())))
        schema = _schemas.get(key)
        if schema is None:
            schema = _schemas[key] = super().model_json_schema(*args, **kwargs)
        return copy.deepcopy(schema)


class FoundArticle(BaseModel):
    """One news article the finder found with the search tool."""

    title: str
    source: str = Field(description="Name of the publication")
    url: str = Field(description="The article's URL exactly as the search tool returned it")
    date: str | None = Field(description="Publication date, or null when unknown")
    author: str | None = Field(description="Author as the source shows it, or null")
    text: str = Field(description="The start of the article's text (OPAD keeps the full text)")


class FoundArticles(CachedSchema):
    """Output of find_news_articles."""

    articles: list[FoundArticle]


class ArticleChoice(CachedSchema):
    """Output of pick_best_article."""

    url: str = Field(description="URL of the chosen article, one of the found ones")
    title: str
    source: str
    date: str | None
    author: str | None
    rationale: str = Field(description="Why this article suits the learner best")


class AdaptedArticle(CachedSchema):
    """Output of adapt_news_article: the rewritten text (the source line is added by OPAD)."""

    title: str
    body: str = Field(description="The rewritten article in markdown paragraphs")


class VocabularyEntry(BaseModel):
    word: str = Field(description="The word exactly as it appears in the text")
    lemma: str = Field(description="Its dictionary form")
    level: CefrLevel
    definition: str = Field(description="One sentence, in the article's language")
    example: str = Field(description="A sentence using the word")


class VocabularyList(CachedSchema):
    """Output of add_vocabulary."""

    items: list[VocabularyEntry]


class QuizItem(BaseModel):
    """One comprehension question about the rewritten text."""

    kind: Literal["multiple_choice", "true_false"]
    question: str = Field(description="For true_false: a statement about the text")
    options: list[str] = Field(description='3-4 short options; for true_false ["True", "False"]')
    answer: str = Field(description="The right option, exactly as in options")
    support: str = Field(description="The sentence of the text that gives the answer, copied")


class QuizList(CachedSchema):
    """Output of add_questions."""

    questions: list[QuizItem]
