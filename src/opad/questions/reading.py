"""Cloze questions for a finished reading (the no-LLM engine's questions), from its typed
body: each word with its level, kind, and grammatical form (opad.questions.forms)."""

from __future__ import annotations

from collections.abc import Sequence

from opad.questions.cloze import ClozeWord, make_cloze_questions
from opad.questions.forms import cjk_form, spaced_form
from opad.reading.model import Question, ReadingBody, Sentence, TokenKind

_CJK = ("ko", "ja", "zh")
# Elided articles glued to their noun (the token is only the noun): "l'herbe".
_ELIDED = {"fr": frozenset({"l'"}), "it": frozenset({"l'"})}

Spans = list[tuple[int, int, ClozeWord]]


def cloze_for_reading(
    body: ReadingBody, vocabulary_lemmas: Sequence[str], *, count: int = 5
) -> list[Question]:
    """Cloze questions from a reading's typed sentences and its vocabulary's lemmas.

    A word is "common" (never the answer unless nothing else is left) when the analysis
    found it a function word or a number (opad.reading.analyze: Zipf ≥ 5.5 or a grammar
    word); levels are the analysis's. Options share the answer's form; the language's
    frequent words (opad.questions.lexicon) stand in when the reading has too few.
    """
    from opad.questions.lexicon import frequent_words

    keywords = {lemma.casefold() for lemma in vocabulary_lemmas}
    return make_cloze_questions(
        reading_words(body), keywords, count=count, backup=frequent_words(body.language)
    )


def reading_words(body: ReadingBody) -> list[tuple[str, Spans]]:
    """Each sentence of the reading with its words as (start, end, ClozeWord) spans into
    the sentence: level, grammatical form, and whether it may be an option at all (not a
    name, a number or a counter)."""
    from opad.text.kinds import counts_a_number

    code = body.language
    out = []
    for sentence in body.sentences:
        forms = _forms(code, sentence)
        spans: Spans = []
        at = [(t.surface, t.lemma, t.start - sentence.start) for t in sentence.words]
        for token in sentence.words:
            rank = token.level.rank if token.level is not None else 0
            common = token.kind in (TokenKind.FUNCTION, TokenKind.NUMBER)
            start, end = token.start - sentence.start, token.end - sentence.start
            usable = token.kind not in (TokenKind.NAME, TokenKind.NUMBER) and not (
                code in _CJK and counts_a_number(code, token.surface, sentence.text, at)
            )
            word = ClozeWord(
                token.surface,
                token.lemma or token.surface,
                rank,
                common=common,
                form=forms.get((start, end), ""),
                usable=usable,
            )
            spans.append((start, end, word))
        if spans:
            out.append((sentence.text, spans))
    return out


def _forms(code: str, sentence: Sentence) -> dict[tuple[int, int], str]:
    """(start, end) in the sentence → the word's form. Korean, Japanese, Chinese: the
    analyzer's tags of its morphemes, kept on each token by the analysis (a reading stored
    before that is analyzed again). Others: inflection, lemma ending, and the determiner right
    before the word ("der", "la", "l'", "an"), so options agree with it."""
    if code in _CJK and all(token.form for token in sentence.words):
        return {
            (token.start - sentence.start, token.end - sentence.start): token.form
            for token in sentence.words
        }
    if code in _CJK:  # a reading stored before its tokens kept their form
        from opad.text.cjk.units import token_groups

        return {
            (token.start, token.end): cjk_form(code, group)
            for token, group in token_groups(code, sentence.text)
        }
    from opad.text.person_names import DETERMINERS

    elided = _ELIDED.get(code, frozenset())
    determiners = DETERMINERS.get(code, frozenset()) | elided
    out = {}
    previous = ""
    for token in sentence.words:
        start, end = token.start - sentence.start, token.end - sentence.start
        before = sentence.text[max(0, start - 2) : start].lower().replace("’", "'")
        det = before if before in elided else previous
        context = det if det in determiners else ""
        form = spaced_form(code, token.surface, token.lemma or token.surface)
        out[(start, end)] = f"{form}|{context}"
        previous = token.surface.lower()
    return out


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
