"""A reading as a value: what an engine makes (the result models) and its questions.

The typed body (paragraphs, sentences, tokens) joins them here; everything that reads a
reading points down to this module.
"""

from __future__ import annotations

from enum import StrEnum

from pydantic import BaseModel, Field

from opad.levels import Level


class QuestionKind(StrEnum):
    CLOZE = "cloze"  # a sentence of the text with one word removed; pick the word
    MULTIPLE_CHOICE = "multiple_choice"
    TRUE_FALSE = "true_false"
    MATCHING = "matching"  # a vocabulary word's definition; pick the word of the text


class Question(BaseModel):
    """One question: a prompt, its options, the right option, and the supporting sentence.

    `prompt` holds "____" where a cloze's word was; `answer` is one of `options`;
    `support` is the sentence of the reading that proves the answer.
    """

    id: str
    kind: QuestionKind
    prompt: str
    options: list[str]
    answer: str
    support: str


class Source(BaseModel):
    name: str
    url: str | None = None
    date: str | None = None
    author: str | None = None
    title: str | None = None


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
