"""Cloze questions for a finished reading (the no-LLM engine's questions)."""

from __future__ import annotations

from collections.abc import Sequence

from opad.questions.cloze import ClozeWord, make_cloze_questions
from opad.reading.model import Question, ReadingBody, TokenKind


def cloze_for_reading(
    body: ReadingBody, vocabulary_lemmas: Sequence[str], *, count: int = 5
) -> list[Question]:
    """Cloze questions from a reading's typed sentences and its vocabulary's lemmas.

    A word is "common" (never the answer unless nothing else is left) when the analysis
    found it a function word or a number (opad.reading.analyze: Zipf ≥ 5.5 or a grammar
    word); levels are the analysis's.
    """
    sentences = []
    for sentence in body.sentences:
        spans = []
        for token in sentence.words:
            rank = token.level.rank if token.level is not None else 0
            common = token.kind in (TokenKind.FUNCTION, TokenKind.NUMBER)
            word = ClozeWord(token.surface, token.lemma or token.surface, rank, common=common)
            spans.append((token.start - sentence.start, token.end - sentence.start, word))
        if spans:
            sentences.append((sentence.text, spans))
    keywords = {lemma.casefold() for lemma in vocabulary_lemmas}
    return make_cloze_questions(sentences, keywords, count=count)


def content_lemmas(body: ReadingBody) -> list[str]:
    """Lemmas of the reading's content words (not names, numbers or function words, at
    least 3 letters), in text order: the words a cloze may ask about when the reading's
    vocabulary list is too short to give 4 questions (an easy text has few words above
    the learner's level)."""
    out: dict[str, None] = {}
    for token in body.words:
        if token.kind == TokenKind.CONTENT and len(token.surface) >= 3:
            out.setdefault(token.lemma or token.surface, None)
    return list(out)
