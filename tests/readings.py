"""Typed readings for tests: what the worker's analysis step makes of a text."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from opad.languages import language_by_name
from opad.questions.step import with_questions
from opad.reading.analyze import analyze
from opad.reading.model import GenerationResult, ReadingBody, VocabularyItem


def body_of(language: str, markdown: str, vocabulary: Sequence[VocabularyItem] = ()) -> ReadingBody:
    """The typed body of `markdown` in `language` (a name or a code)."""
    return analyze(markdown, language_by_name(language).code, vocabulary)


def questions_step(
    language: str, result: GenerationResult, folders: Sequence[Path] = ()
) -> GenerationResult:
    """The worker's analyze and questions steps on an engine's result."""
    body = body_of(language, result.markdown, result.vocabulary)
    return with_questions(body, result, folders)
