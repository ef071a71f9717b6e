"""Words with their spans and lemmas."""

from __future__ import annotations

from collections.abc import Iterator
from functools import lru_cache

import regex

from opad.text import cjk
from opad.text.lemma_rules import corrected
from opad.text.normalize import normalize
from opad.text.token import Token

# Languages written without spaces between words: analyzed by `opad.text.cjk` (this
# module dispatches to it; cjk imports only `text.token` and `text.normalize` back, and
# loads its analyzers on first use, not on import).
_CJK = frozenset({"ko", "ja", "zh"})

# A word: a letter and its combining marks (Devanagari vowel signs and virama, decomposed
# accents), with inner apostrophes or hyphens ("don't", "well-known", "aujourd'hui").
# (`regex` knows Unicode properties; the stdlib `re` does not: its \w has no marks.)
_APOSTROPHES = "'’"
_HYPHENS = "\\-\u2010\u2011"
# ZWNJ/ZWJ inside a word are part of it where the normaliser keeps them (Persian, Indic).
_PART = "[\\p{L}\\p{M}\\u200c\\u200d]*"
WORD_RE = regex.compile(rf"\p{{L}}{_PART}(?:[{_APOSTROPHES}{_HYPHENS}]\p{{L}}{_PART})*")

# Elided articles, pronouns and conjunctions glued to the next word by an apostrophe:
# "l'école" is the word "école" (the "l'" is not counted or looked up on its own).
_ELISION = {
    "fr": regex.compile(
        r"^(?:[ldjmnstc]|qu|jusqu|lorsqu|puisqu|quoiqu|presqu(?=['’]un))['’](?=\p{L})", regex.I
    ),
    "it": regex.compile(
        r"^(?:[ldmnstcv]|un|dell|dall|nell|sull|all|coll|quell|quest|bell|sant|tutt|com|dov|"
        r"anch|cos|mezz|senz)['’](?=\p{L})",
        regex.I,
    ),
    "ca": regex.compile(r"^(?:[ldmnst]|qu)['’](?=\p{L})", regex.I),
}
# French subject/object pronouns joined to a verb by hyphens: "murmure-t-il", "dis-je",
# "donne-le-moi"; the "-t-" is euphonic and belongs to no word.
_FR_CLITIC = regex.compile(
    r"[\-\u2010\u2011](?:t[\-\u2010\u2011])?(il|elle|on|ils|elles|je|tu|nous|vous|moi|toi|"
    r"le|la|les|lui|leur|y|en|ce)$",
    regex.I,
)
# Hyphenated words that end like a clitic but are one word.
_FR_COMPOUNDS = frozenset(
    {"rendez-vous", "chez-moi", "chez-soi", "chez-toi", "chez-nous", "chez-vous"}
)
# Elisions after which a verb follows ("s'adresse", "j'aime", "n'est").
_FR_VERB_ELISION = regex.compile(r"^(?:[jmnst])['’]", regex.I)


def _spans(code: str, norm: str) -> Iterator[tuple[str, int, int, bool]]:
    """(word, start, end, is_verb) for every word of the normalized text `norm`;
    `is_verb` is True where the grammar says the word is a verb ("s'adresse",
    "murmure-t-il"), which picks the verb's lemma where a noun has the same form."""
    elision = _ELISION.get(code)
    for match in WORD_RE.finditer(norm):
        word, start, end = match.group(0), match.start(), match.end()
        verb = False
        if elision is not None:
            cut = elision.match(word)
            if cut:
                verb = code == "fr" and bool(_FR_VERB_ELISION.match(word))
                word, start = word[cut.end() :], start + cut.end()
        if code == "fr" and ("-" in word or "\u2010" in word or "\u2011" in word):
            yield from _french_clitics(word, start, verb)
            continue
        yield word, start, end, verb


def _french_clitics(word: str, start: int, verb: bool) -> Iterator[tuple[str, int, int, bool]]:
    """Split "murmure-t-il" into the verb "murmure" and "il"; compounds ("peut-être",
    "rendez-vous") stay one word."""
    import simplemma  # heavy: loaded on first use

    pronouns: list[tuple[str, int, int, bool]] = []
    base = word
    while base.lower() not in _FR_COMPOUNDS and not simplemma.is_known(base.lower(), lang="fr"):
        clitic = _FR_CLITIC.search(base)
        if clitic is None or clitic.start() == 0:
            break
        pronouns.insert(0, (clitic.group(1), start + clitic.start(1), start + clitic.end(1), False))
        base = base[: clitic.start()]
    yield base, start, start + len(base), verb or bool(pronouns)
    yield from pronouns


def tokenize(code: str, text: str) -> list[Token]:
    """Every word of `text` (normalized first) with its span and lemma, in order.

    `code` is an ISO 639-1 code. Spans index `normalize(text)`, so
    `normalize(text)[t.start:t.end] == t.word`. Numbers and punctuation are not words.
    Korean, Japanese and Chinese: the analyzer's words (`opad.text.cjk.tokenize`).
    """
    if code in _CJK:
        return cjk.tokenize(code, text)
    norm = normalize(text)
    return [
        Token(w, s, e, _verb_lemma(code, w) if verb else lemma(code, w))
        for w, s, e, verb in _spans(code, norm)
    ]


def words(code: str, text: str) -> list[str]:
    """The words of `text`, normalized, in order (the `word` of each of its tokens)."""
    if code in _CJK:
        return cjk.words(code, text)
    return [w for w, _, _, _ in _spans(code, normalize(text))]


def count_words(code: str, text: str) -> int:
    """Words in `text`, as OPAD counts lengths (numbers and punctuation do not count;
    an elided article such as "l'" is part of its word)."""
    return len(words(code, text))


def count_units(code: str, text: str) -> int:
    """The length of `text` as OPAD measures a reading's length in language `code`: words
    (`count_words`), except in Korean, Japanese and Chinese, where it is characters
    (letters only: no spaces, punctuation or digits; `opad.text.cjk.count_units`)."""
    if code in _CJK:
        return cjk.count_units(code, text)
    return count_words(code, text)


def length_unit(code: str) -> str:
    """What `count_units` counts in language `code`: "characters" or "words"."""
    return "characters" if code in _CJK else "words"


# Old German spellings that simplemma's dictionary still gives as lemmas ("Fluß", "daß");
# the 1996 reform writes "ss" after a short vowel, and the text's own spelling says which.
def _modern_spelling(word: str, found: str) -> str:
    if "ß" in found and "ss" in word.lower() and "ß" not in word:
        return found.replace("ß", "ss")
    return found


@lru_cache(maxsize=200_000)
def lemma(code: str, word: str) -> str:
    """The dictionary form of one `word` (simplemma), looked up in its own case.

    German nouns keep their capital ("Wiese", not the verb "weisen"); a capitalised word
    the dictionary does not know in that case (a sentence-initial verb) is tried in lower
    case. A lemma that is not itself a word of the language ("Fachleut") is not
    offered: the word is its own lemma then. Unknown words are their own lemma.
    """
    if code in _CJK:
        return cjk.lemma(code, word)
    import simplemma  # heavy: loaded on first use

    plain = normalize(word).replace("’", "'")
    if not plain:
        return plain
    found = str(simplemma.lemmatize(plain, lang=code))
    lower = plain.lower()
    if found == plain and plain != lower and not simplemma.is_known(plain, lang=code):
        from_lower = str(simplemma.lemmatize(lower, lang=code))
        if from_lower != lower:
            found = from_lower
    if code == "de":
        found = _modern_spelling(plain, found)
    found = corrected(code, plain, found)  # simplemma's known misses (text.lemma_rules)
    if found != plain and not _is_word(code, found) and _is_word(code, plain):
        return plain
    return found


def _verb_lemma(code: str, word: str) -> str:
    """The lemma of a word known to be a verb: French "adresse" after "s'" is "adresser"
    (the dictionary alone gives the noun "adresse")."""
    found = lemma(code, word)
    if code == "fr" and found.lower() == word.lower() and word.lower().endswith("e"):
        infinitive = word.lower() + "r"
        if _is_word(code, infinitive):
            return infinitive
    return found


def _is_word(code: str, word: str) -> bool:
    import wordfreq  # heavy: loaded on first use

    try:
        return wordfreq.zipf_frequency(word, code) > 0
    except LookupError:  # a language wordfreq does not cover: trust the dictionary
        return True
