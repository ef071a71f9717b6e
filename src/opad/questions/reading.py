"""Cloze questions for a finished reading (the no-LLM engine's questions)."""

from __future__ import annotations

from collections.abc import Sequence

from opad.questions.cloze import ClozeWord, make_cloze_questions
from opad.questions.models import Question

# Zipf frequency (wordfreq: log10 of uses per billion words) from which a word counts as
# one of the language's function words: "the" 7.7, "with" 6.6, "every" 5.6 against
# "morning" 5.3, "dog" 5.2, "Familien" 4.6.
COMMON_ZIPF = 5.5


def cloze_for_reading(
    language: str, body: str, vocabulary_lemmas: Sequence[str], *, count: int = 5
) -> list[Question]:
    """Cloze questions from a reading's body (paragraphs of plain text) and vocabulary.

    `language` is the canonical name ("German"); words are found and levelled by the same
    text processing and level estimator as the reading itself.
    """
    from opad.text import split_sentences, tokenize
    from opad.text.estimator import LevelEstimator  # worker side: wordfreq, simplemma

    estimator = LevelEstimator(language)
    code = estimator.code
    sentences = []
    for paragraph in body.split("\n\n"):
        for sentence in split_sentences(code, " ".join(paragraph.split())):
            spans = []
            for token in tokenize(code, sentence):
                info = estimator.word(token.word)
                word = ClozeWord(
                    token.word,
                    token.lemma,
                    info.level.rank,
                    common=info.zipf >= COMMON_ZIPF or info.is_number,
                )
                spans.append((token.start, token.end, word))
            if spans:
                sentences.append((sentence, spans))
    keywords = {lemma.casefold() for lemma in vocabulary_lemmas}
    return make_cloze_questions(sentences, keywords, count=count)


def content_lemmas(language: str, body: str) -> list[str]:
    """Lemmas of the body's content words that are not names, in text order: the words a
    cloze may ask about when the reading's vocabulary list is too short to give 4 questions
    (an easy text has few words above the learner's level)."""
    from opad.text import split_sentences, tokenize
    from opad.text.estimator import LevelEstimator
    from opad.text.kinds import looks_like_name

    estimator = LevelEstimator(language)
    code = estimator.code
    out: dict[str, None] = {}
    for paragraph in body.split("\n\n"):
        for sentence in split_sentences(code, " ".join(paragraph.split())):
            for token in tokenize(code, sentence):
                info = estimator.word(token.word)
                if info.zipf >= COMMON_ZIPF or len(token.word) < 3 or info.is_number:
                    continue
                if not looks_like_name(code, token.word, token.lemma, sentence):
                    out.setdefault(token.lemma, None)
    return list(out)
