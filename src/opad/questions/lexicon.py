"""Frequent words of a language as cloze options, for when a reading holds too few words
of the answer's grammatical form (a short or easy reading).

The words are wordfreq's most frequent `SIZE` of the language ("best" list), each with
its lemma, level and form computed as for the reading's own words
(opad.questions.reading); numbers, names (English: unknown to the learner list, or
listed only as a proper noun; ko/ja/zh: the analyzers' tags) and one-letter words are
left out, and so are words simplemma's dictionary does not know (brands written in lower
case: "youtube"). German is left out: wordfreq writes every word in lower case, so its nouns
cannot be told by their capital. Built once per language and process (~1–2 s).
"""

from __future__ import annotations

from functools import lru_cache

from opad.questions.cloze import ClozeWord

SIZE = 3000
_CJK = ("ko", "ja", "zh")
_NO_CASE = ("de",)  # capitals carry grammar there; wordfreq's lists have none


COMMON_ZIPF = 5.5  # from here a word is a function word (as opad.reading.analyze)


@lru_cache(maxsize=16)
def frequent_words(code: str) -> tuple[ClozeWord, ...]:
    """Up to `SIZE` frequent words of language `code` (ISO 639-1) as cloze candidates."""
    import wordfreq

    from opad.languages import find_language
    from opad.questions.forms import ANY_CONTEXT, cjk_form, spaced_form
    from opad.text import tokenize
    from opad.text.estimator import LevelEstimator
    from opad.text.kinds import is_number_word

    language = find_language(code)
    if language is None or code in _NO_CASE:
        return ()
    estimator = LevelEstimator(language.name)
    if code in _NO_CASE:
        return ()
    try:
        listed = wordfreq.top_n_list(code, SIZE)
    except LookupError:
        return ()
    out: list[ClozeWord] = []
    for word in listed:
        if len(word) < 2 or not word.isalpha() or is_number_word(code, word):
            continue
        if code in _CJK:
            from opad.text.cjk import word_facts
            from opad.text.cjk.units import token_groups

            groups = token_groups(code, word)
            # One morpheme only: an ending analyzed without its sentence is a guess
            # (Kiwi calls the 어 of 챙겨 sentence-final alone).
            if len(groups) != 1 or len(groups[0][1]) != 1:
                continue
            if word_facts(code, word).kind != "content":
                continue
            token, group = groups[0]
            form = cjk_form(code, group)
            lemma = token.lemma
        else:
            if not _known(code, word):  # brands and names in lower case ("youtube")
                continue
            if code == "en":
                from opad.text.levels import english_is_name

                if english_is_name(word):
                    continue
            lemma = tokenize(code, word)[0].lemma if tokenize(code, word) else word
            form = f"{spaced_form(code, word, lemma)}|{ANY_CONTEXT}"
        info = estimator.word(word)
        out.append(
            ClozeWord(word, lemma, info.level.rank, common=info.zipf >= COMMON_ZIPF, form=form)
        )
    return tuple(out)


def _known(code: str, word: str) -> bool:
    """Does simplemma's dictionary of the language know `word`?"""
    import simplemma

    try:
        return bool(simplemma.is_known(word, lang=code))
    except ValueError:  # a language simplemma does not know
        return True
