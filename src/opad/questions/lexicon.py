"""Frequent words of a language as cloze options, for when a reading holds too few words
of the answer's grammatical form (a short or easy reading).

The words are wordfreq's most frequent `SIZE` of the language ("best" list), each with
its lemma, level and form computed as for the reading's own words
(opad.questions.reading); numbers, names (English: unknown to the learner list, or
listed only as a proper noun; ko/ja/zh: the analyzers' tags) and one-letter words are
left out, and so are words simplemma's dictionary does not know (brands written in lower
case: "youtube"). English words of peoples, faiths, days and months get their capital
back ("Japanese": `english_proper`); country names are left out. German is left out:
wordfreq writes every word in lower case, so its nouns cannot be told by their capital.
Built once per language and process (~1–2 s).
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
                from opad.text.person_names import country_names

                if english_is_name(word) or word.capitalize() in country_names(code):
                    continue
            lemma = tokenize(code, word)[0].lemma if tokenize(code, word) else word
            if code == "en" and english_proper(word):
                word = word[:1].upper() + word[1:]  # wordfreq writes "japanese"
            form = f"{spaced_form(code, word, lemma)}|{ANY_CONTEXT}"
        info = estimator.word(word)
        out.append(
            ClozeWord(word, lemma, info.level.rank, common=info.zipf >= COMMON_ZIPF, form=form)
        )
    return tuple(out)


_CONTINENTS = ("Africa", "America", "Asia", "Europe", "Oceania", "Antarctica", "Arctic")
_NATIONALITY = ("n", "an", "ian", "ese", "ish", "i", "ic", "ean")
# Adjectives of peoples, faiths and feasts not made from their place's name by a suffix.
_PROPER = frozenset(
    """english british french dutch scottish welsh irish spanish german swiss greek thai
turkish danish swedish finnish norwegian portuguese filipino arab arabic christian catholic
protestant muslim islamic jewish hindu buddhist christmas easter""".split()  # noqa: SIM905
)


def english_proper(word: str) -> bool:
    """Is the English word `word` (lower case) written with a capital: a people's, faith's
    or feast's word ("french", "muslim"), a country's or continent's adjective
    ("japanese", "american", "korean") or a day or month ("monday")? wordfreq writes them
    all in lower case."""
    import calendar

    from opad.text.person_names import country_names

    if word in _PROPER:
        return True
    calendar_words = {d.lower() for d in (*calendar.day_name, *calendar.month_name) if d}
    if word in calendar_words - {"may", "march", "august"}:  # also a verb, an adjective
        return True
    for place in (*country_names("en"), *_CONTINENTS):
        stem = place.lower()
        if word in {f"{base}{end}" for base in (stem, stem[:-1]) for end in _NATIONALITY}:
            return True
    return False


def _known(code: str, word: str) -> bool:
    """Does simplemma's dictionary of the language know `word`?"""
    import simplemma

    try:
        return bool(simplemma.is_known(word, lang=code))
    except ValueError:  # a language simplemma does not know
        return True
