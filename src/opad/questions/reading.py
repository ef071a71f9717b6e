"""Cloze questions for a finished reading (the no-LLM engine's questions)."""

from __future__ import annotations

from collections.abc import Sequence

from opad.questions.cloze import ClozeWord, make_cloze_questions
from opad.questions.forms import cjk_form, spaced_form
from opad.questions.models import Question
from opad.text.tokens import Token

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
    from opad.questions.lexicon import frequent_words

    keywords = {lemma.casefold() for lemma in vocabulary_lemmas}
    sentences = reading_words(language, body)
    return make_cloze_questions(sentences, keywords, count=count, backup=frequent_words(language))


def reading_words(language: str, body: str) -> list[tuple[str, list[tuple[int, int, ClozeWord]]]]:
    """Each sentence of the body with its words as (start, end, ClozeWord) spans: level,
    grammatical form (opad.questions.forms), and whether it may be an option at all (not
    a name, a number or a counter)."""
    from opad.text import split_sentences
    from opad.text.estimator import LevelEstimator  # worker side: wordfreq, simplemma
    from opad.text.kinds import abbreviations, counts_a_number, names

    estimator = LevelEstimator(language)
    code = estimator.code
    never = names(code, body) | abbreviations(code, body)
    sentences = []
    for paragraph in body.split("\n\n"):
        for sentence in split_sentences(code, " ".join(paragraph.split())):
            spans = []
            for token, form in _tokens_with_forms(code, sentence):
                info = estimator.word(token.word)
                usable = not (
                    token.word in never
                    or token.lemma in never
                    or info.is_number
                    or counts_a_number(code, token.word, sentence)
                    or (code in _CJK and _cjk_kind(code, token.word) in ("name", "number"))
                )
                word = ClozeWord(
                    token.word,
                    token.lemma,
                    info.level.rank,
                    common=info.zipf >= COMMON_ZIPF or info.is_number,
                    form=form,
                    usable=usable,
                )
                spans.append((token.start, token.end, word))
            if spans:
                sentences.append((sentence, spans))
    return sentences


_CJK = ("ko", "ja", "zh")


def _cjk_kind(code: str, word: str) -> str:
    from opad.text.cjk import word_facts

    return word_facts(code, word).kind


def _tokens_with_forms(code: str, sentence: str) -> list[tuple[Token, str]]:
    """Each token with its form; in languages written with spaces, the form also names
    the determiner right before the word ("der", "la", "l'", "an"): options must agree
    with it in gender, number and case, so only words the text shows after the same
    determiner stand in for one another."""
    from opad.text import normalize, tokenize
    from opad.text.person_names import DETERMINERS

    if code in _CJK:
        from opad.text.cjk.units import token_groups

        return [(token, cjk_form(code, group)) for token, group in token_groups(code, sentence)]
    determiners = DETERMINERS.get(code, frozenset()) | _ELIDED.get(code, frozenset())
    norm = normalize(sentence)
    out = []
    previous = ""
    for t in tokenize(code, sentence):
        before = norm[max(0, t.start - 2) : t.start].lower().replace("’", "'")
        det = before if before in _ELIDED.get(code, ()) else previous
        context = det if det in determiners else ""
        out.append((t, f"{spaced_form(code, t.word, t.lemma)}|{context}"))
        previous = t.word.lower()
    return out


# Elided articles glued to their noun (tokenize keeps only the noun): "l'herbe".
_ELIDED = {"fr": frozenset({"l'"}), "it": frozenset({"l'"})}


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
