"""Cloze questions for a finished reading (the no-LLM engine's questions)."""

from __future__ import annotations

from collections.abc import Sequence

from opad.questions.cloze import ClozeWord, make_cloze_questions
from opad.questions.models import Question


def cloze_for_reading(
    language: str, body: str, vocabulary_lemmas: Sequence[str], *, count: int = 5
) -> list[Question]:
    """Cloze questions from a reading's body (paragraphs of plain text) and vocabulary.

    `language` is the canonical name ("German"); words are found and levelled by the same
    text processing and level estimator as the reading itself.
    """
    from opad.engines.leveling import LevelEstimator  # worker side: wordfreq, simplemma
    from opad.text import split_sentences, tokenize

    estimator = LevelEstimator(language)
    code = estimator.code
    sentences = []
    for paragraph in body.split("\n\n"):
        for sentence in split_sentences(code, " ".join(paragraph.split())):
            spans = []
            for token in tokenize(code, sentence):
                info = estimator.word(token.word)
                spans.append(
                    (token.start, token.end, ClozeWord(token.word, token.lemma, info.level.rank))
                )
            if spans:
                sentences.append((sentence, spans))
    keywords = {lemma.casefold() for lemma in vocabulary_lemmas}
    return make_cloze_questions(sentences, keywords, count=count)
