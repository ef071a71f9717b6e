"""Words that are never vocabulary: numbers written as words, abbreviations, acronyms and
names. A learner's word list shows words to learn, not "dreißig", "Mio" or "Alvarez".

Number words come from num2words (the words for 0–100, the hundreds, thousand, million,
billion and the ordinals 1–100 in each language it covers), chosen over text2num because
it covers ~50 languages (text2num 8) and gives the words themselves to match against.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache

import regex

from opad.levels import Level
from opad.text.normalize import normalize
from opad.text.person_names import DETERMINERS, country_names, is_first_name, is_listed_name
from opad.text.sentences import split_sentences
from opad.text.tokens import WORD_RE, lemma, tokenize, words

# Inflectional endings an ordinal or number word may carry ("dritten", "primera").
_ENDINGS = ("", "e", "en", "er", "es", "em", "n", "s", "a", "o", "as", "os", "ième", "ième")
# Titles and forms of address: the capitalised word after them is a name.
_TITLES = frozenset(
    """dr prof mr mrs ms miss mx sir lady st herr frau fräulein doktor professor
professorin bürgermeister bürgermeisterin monsieur madame mademoiselle m mme
mlle señor señora señorita sr sra srta don doña signor signora sig dott senhor
senhora dona""".split()  # noqa: SIM905
)
_CJK = ("ko", "ja", "zh")  # their analyzers say what each word is (opad.text.cjk.word_facts)
_KO_NAMED = regex.compile(
    r"(?<![가-힣])([가-힣]{2,4})(?=\(\d+\)|\s씨(?:[는가를의도와께]|(?![가-힣])))"
)
# A counter written after a number (4月, 2,800件, 三百多位): part of the number, not a word.
_AFTER_DIGIT = regex.compile(r"[\p{N}〇零一二三四五六七八九十百千万萬億亿两兩几幾][多余]?[,.]?$")
_KO_AFTER_NUMBER = regex.compile(
    r"(?:\p{N}[,.]?|(?<![가-힣])(?:한|두|세|네|다섯|여섯|일곱|여덟|아홉|열|스무|몇)\s)$"
)
_ABBREVIATED = regex.compile(r"(\p{L}[\p{L}\p{M}]*)\.(?=\s*[\p{L}\p{N}])")


@lru_cache(maxsize=64)
def _number_words(code: str) -> tuple[frozenset[str], regex.Pattern[str] | None]:
    """The number words of a language, and a pattern for compounds of them
    ("dreihundertvierzig"); empty when num2words does not know the language."""
    from num2words import CONVERTER_CLASSES, num2words  # heavy: loaded on first use

    if code not in CONVERTER_CLASSES:
        return frozenset(), None
    found: set[str] = set()
    values = [*range(101), *range(200, 1000, 100), 1000, 10**6, 10**9]
    for value in values:
        for kind in ("cardinal", "ordinal"):
            if kind == "ordinal" and not 0 < value <= 100:
                continue
            try:
                spelled = num2words(value, lang=code, to=kind)
            except (NotImplementedError, ValueError, TypeError, KeyError, OverflowError):
                continue
            for word in WORD_RE.findall(normalize(spelled).lower()):
                found.add(word)
                found.update(word.replace("\u2010", "-").split("-"))
    # "eintausend", "einhundert": the bare "tausend", "hundert" build compounds too
    # ("sechstausend").
    ones = {w for w in found if w.startswith(("ein", "un", "uno", "één"))}
    for word in list(ones):
        for prefix in ("ein", "één", "uno", "un"):
            if word.startswith(prefix) and len(word) - len(prefix) >= 4:
                found.add(word[len(prefix) :])
    atoms = sorted((w for w in found if len(w) >= 3), key=len, reverse=True)
    pattern = regex.compile("(?:" + "|".join(map(regex.escape, atoms)) + "){2,}") if atoms else None
    return frozenset(w for w in found if w), pattern


# Approximate numerals built on a number word: French "quarantaine", "vingtaine", Italian
# "ventina", Spanish/Portuguese "veintena"/"dezena", English "dozens" (a number, not a word
# to learn).
_APPROXIMATE = {
    "fr": ("aine", "aines"),
    "it": ("ina", "ine"),
    "es": ("ena", "enas"),
    "pt": ("ena", "enas"),
}
_NUMBER_NOUNS = {
    "en": {"dozen", "dozens", "hundreds", "thousands", "millions", "billions"},
    "fr": {"douzaine", "douzaines", "centaine", "centaines", "millier", "milliers"},
    "es": {"docena", "docenas", "centenar", "centenares", "millar", "millares"},
    "it": {"dozzina", "dozzine", "centinaio", "centinaia", "migliaio", "migliaia"},
    "pt": {"dúzia", "dúzias", "centena", "centenas", "milhar", "milhares"},
    "de": {"dutzend", "dutzende", "hunderte", "tausende"},
}
# A Japanese or Chinese word that is a number with its counter or an ordinal: 七月, 三件,
# 第三, 十几个 — numerals, then at most two other characters.
_CJ_NUMERALS = "\\p{N}〇零一二三四五六七八九十百千万萬億亿两兩几幾"
# Counters and calendar units (Chinese and Japanese): 个 位 件 月 日 年 号 …
_CJ_COUNTERS = (
    "月日年号个位名件次岁元块人只头条本张辆家座所台层倍届场天周分秒点斤米户栋批项"
    "回個枚円時歳才匹羽冊軒階番度割杯着足校社店"
)
_CJ_NUMBER_WORD = regex.compile(
    rf"^(?:第[{_CJ_NUMERALS}]*\p{{Han}}?"
    rf"|[{_CJ_NUMERALS}]+[{_CJ_COUNTERS}]?(?:[多余])?[{_CJ_COUNTERS}]?)$"
)
_PARTS = regex.compile(r"[-\u2010\u2011'’]")


def is_number_word(code: str, word: str) -> bool:
    """Whether `word` spells a number ("sixty", "dreißig", "quinientos", "troisième", 三),
    holds one ("four-hour", "ten-year-old", "trent'anni", 七月, 第三), or counts roughly
    ("quarantaine", "dozens")."""
    if code in _CJK:
        from opad.text.cjk import word_facts

        if code in ("ja", "zh") and _CJ_NUMBER_WORD.match(word):
            return True
        return word_facts(code, word).kind == "number"
    parts = [p for p in _PARTS.split(word) if p]
    if len(parts) > 1:
        return any(_spells_number(code, p) or _elided_number(code, p) for p in parts)
    return _spells_number(code, word)


def _elided_number(code: str, part: str) -> bool:
    """An elided number word before an apostrophe: Italian "trent'" (trenta)."""
    known, _ = _number_words(code)
    return any(part.lower() + vowel in known for vowel in "aeo")


def _spells_number(code: str, word: str) -> bool:
    lower = normalize(word).lower()
    if lower in _NUMBER_NOUNS.get(code, ()):
        return True
    known, compounds = _number_words(code)
    for suffix in _APPROXIMATE.get(code, ()):
        stem = lower.removesuffix(suffix)
        if stem != lower and any(n.startswith(stem) and len(stem) >= 3 for n in known):
            return True
    for ending in _ENDINGS:
        if ending and not lower.endswith(ending):
            continue
        stem = lower[: len(lower) - len(ending)] if ending else lower
        if stem in known or (compounds is not None and compounds.fullmatch(stem)):
            return True
    return lemma(code, word).lower() in known


def abbreviations(code: str, text: str) -> set[str]:
    """Words of `text` written as abbreviations: followed by a full stop that does not end
    the sentence ("Mio. Euro", "Prof. Wagner"), or all capitals (acronyms: "EU", "NASA")."""
    found = {w for w in words(code, text) if len(w) >= 2 and w.isupper()}
    if code in _CJK:  # no full stop inside a sentence abbreviates a Korean/Chinese word
        return found
    for sentence in split_sentences(code, text):
        found.update(m.group(1) for m in _ABBREVIATED.finditer(sentence))
    return found


def names(code: str, text: str) -> set[str]:
    """Words of `text` that are names of people or places, as far as spelling shows.

    A word is a name when it follows a title ("Frau Lindenau", "Mrs. Alvarez") or a first
    name ("Martina Brandt"); in languages that do not capitalise nouns, when it is
    capitalised inside a sentence and never written in lower case in the text, or it opens
    a sentence, is a listed name (opad.text.person_names) and its lower case is not a
    common word ("Gil", not "Sol"); in German, when the dictionary does not know it, or it
    is rare in German and at least as common in English, French or Spanish ("Ashworth",
    "Alvarez", not "Park", "Wiese"), or it is a listed name the text uses at least once
    without an article ("Lea", "Meier", not "der Koch").
    """
    if code in _CJK:  # proper nouns, as the language's analyzer tags them
        from opad.text.cjk import word_facts
        from opad.text.cjk.facts import is_name_tag
        from opad.text.cjk.units import token_groups

        tagged = {w for w in words(code, text) if word_facts(code, w).kind == "name"}
        # In context too: alone, "슈팅스타즈" (a team) is cut into nouns; in its sentence
        # the analyzer sees one proper noun.
        for token, group in token_groups(code, text):
            if any(is_name_tag(code, m.pos) for m in group):
                tagged.update((token.word, token.lemma))
        if code == "ko":
            # Kiwi misses many personal names; news writes them "정민지(29) 씨", "김민수 씨".
            tagged.update(m.group(1) for m in _KO_NAMED.finditer(normalize(text)))
        return tagged
    found: set[str] = set()
    seen_lower = {w.lower() for w in words(code, text) if w[:1].islower()}
    determiners = DETERMINERS.get(code, frozenset())
    by_list: set[str] = set()  # German names found by the name lists alone
    with_article: set[str] = set()  # German words seen after an article ("im Sommer")
    for sentence in split_sentences(code, text):
        tokens = [m for m in WORD_RE.finditer(sentence)]
        for position, match in enumerate(tokens):
            word = match.group(0)
            if not word[:1].isupper() or word.isupper() and len(word) > 1:
                continue
            previous = tokens[position - 1] if position else None
            before = previous.group(0) if previous else ""
            if code == "de" and before.lower() in determiners:
                with_article.add(word)
            if before.lower() in _TITLES:
                found.add(word)
            elif _after_first_name(code, sentence, tokens, position):
                found.add(word)
                by_list.add(word)
            elif code == "de":
                if _german_name(word) or word in country_names(code):
                    found.add(word)
                elif is_first_name(code, word) and before.lower() not in determiners:
                    found.add(word)
                    by_list.add(word)
            elif (
                position
                and word.lower() not in seen_lower
                or (
                    not position
                    and is_listed_name(code, word)
                    and word.lower() not in seen_lower
                    and not _common_word(code, word)
                )
            ):
                found.add(word)
    # A first name opening a sentence before a surname found above ("Javier Moreno,
    # enfermero…", "Pilar Romero tiene…"): a name, even when it is frequent enough (or a
    # word elsewhere: "pilar") to pass for a common word at a sentence start.
    for sentence in split_sentences(code, text):
        tokens = list(WORD_RE.finditer(sentence))
        if len(tokens) < 2:
            continue
        first, second = tokens[0], tokens[1]
        if (
            first.group(0)[:1].isupper()
            and second.group(0) in found
            and sentence[first.end() : second.start()] == " "
            and first.group(0).lower() not in determiners
            and is_first_name(code, first.group(0))
        ):
            found.add(first.group(0))
    # A name that also opens a sentence is still a name there. A German listed name the
    # text also uses after an article is a word there too ("Birgit Sommer", "im Sommer"):
    # each sentence decides (looks_like_name).
    found -= by_list & with_article
    if code == "de":  # the genitive of a name is a name: "in Hübners Betrieb"
        found |= {w for w in words(code, text) if w.endswith("s") and w[:-1] in found}
    return found


def _after_first_name(code: str, sentence: str, tokens: list[regex.Match[str]], at: int) -> bool:
    """Is token `at` a surname: right after a listed first name, with only a space between
    ("Martina Brandt"), the first name itself not after an article ("der Ernst Brandts")?"""
    if at == 0:
        return False
    first = tokens[at - 1]
    if not is_first_name(code, first.group(0)) or sentence[first.end() : tokens[at].start()] != " ":
        return False
    article = tokens[at - 2].group(0).lower() if at >= 2 else ""
    return article not in DETERMINERS.get(code, frozenset())


def _common_word(code: str, word: str) -> bool:
    """Is the lower case of `word` one of the language's common words (up to B1)?
    ("sol", "luz" are; "gil" is not)."""
    from opad.text.levels import VOCABULARY_SIZE, lemma_ranks

    rank = lemma_ranks(code).get(word.casefold())
    return rank is not None and rank <= VOCABULARY_SIZE[Level.B1]


def _german_name(word: str) -> bool:
    import simplemma  # heavy: loaded on first use
    import wordfreq

    if not simplemma.is_known(word, lang="de") and not simplemma.is_known(word.lower(), lang="de"):
        return True
    german = wordfreq.zipf_frequency(word, "de")
    other = max(wordfreq.zipf_frequency(word, other) for other in ("en", "fr", "es"))
    return german < 3.5 and other >= german


def can_be_vocabulary(code: str, word: str) -> bool:
    """Whether `word` may be listed as a word to learn at all (before its level counts).

    Korean, Japanese and Chinese: only nouns, verbs, adjectives and adverbs — particles,
    endings, auxiliaries, pronouns, names and numbers never (을, が, 的; their words are
    often one or two characters long). Other languages: words of three letters or more
    (shorter ones are fragments or grammar words: "l", "du", "zu").
    """
    if code in _CJK:
        from opad.text.cjk import word_facts

        return word_facts(code, word).is_content
    return len(word) >= 3


def counts_a_number(
    code: str,
    word: str,
    sentence: str,
    words: Sequence[tuple[str, str, int]] | None = None,
) -> bool:
    """Whether a short Korean, Japanese or Chinese `word` is only ever a counter after a
    number in `sentence` (4月, 2,800件, 300석, 세 명): a learner learns it with numbers,
    not as a word. Japanese and Chinese: one character; Korean: one or two syllables
    (with or without its particle: 명이), after digits or a numeral (한, 두, 세 … 열).

    `words`: the sentence's words as (surface, lemma, start offset in the sentence) when
    they are known already (a typed reading's tokens); else the sentence is tokenized."""
    if code not in ("ja", "zh", "ko"):
        return False
    base = lemma(code, word)
    if len(base) > (1 if code in ("ja", "zh") else 2):
        return False
    before = _KO_AFTER_NUMBER if code == "ko" else _AFTER_DIGIT
    # Where it stands as a word of its own (件 in "2,800件", not inside 件数).
    norm = normalize(sentence)
    if words is None:
        words = [(t.word, t.lemma, t.start) for t in tokenize(code, sentence)]
    places = [start for surface, lem, start in words if base in (surface, lem)]
    return bool(places) and all(before.search(norm[:i]) for i in places)


def looks_like_name(code: str, word: str, lemma: str, example: str = "") -> bool:
    """Whether a capitalised vocabulary candidate is a name rather than a word to learn.

    It is when it is capitalised inside its example sentence (not in German, which
    capitalises nouns), or (English) a proper noun or unknown to the English learner list,
    or (any language) neither among the language's ranked words nor in its dictionary.
    A word in lower case is never a name.
    """
    from opad.text.levels import english_is_name, lemma_ranks

    if not word[:1].isupper():
        return False
    tokens = list(WORD_RE.finditer(example))
    for at, token in enumerate(tokens):
        if token.group(0) != word:
            continue
        if _after_first_name(code, example, tokens, at):
            return True
        before = tokens[at - 1].group(0).lower() if at else ""
        if code == "de" and is_first_name(code, word) and before not in DETERMINERS["de"]:
            return True
    if code != "de" and regex.search(rf"[^\s\"„“«(‘'—–-]\s+{regex.escape(word)}\b", example):
        return True
    if code == "en" and english_is_name(word.lower()) and english_is_name(lemma.lower()):
        return True
    ranks = lemma_ranks(code)
    if word.casefold() in ranks or lemma.casefold() in ranks:
        return False
    # Not a frequent word: a name unless the language's dictionary knows it (German
    # compounds such as "Schlafforscherin" are rare but known).
    return not _known(code, word)


def _known(code: str, word: str) -> bool:
    """Does the language's dictionary (simplemma) know `word`, a hyphenated word's every
    part, or (German) the noun a compound ends with ("Nachthälfte" → "Hälfte")? A German
    place name ending in a noun ("Steinhagen") passes for a compound: a known miss."""
    import simplemma

    def known(w: str) -> bool:
        return bool(simplemma.is_known(w, lang=code) or simplemma.is_known(w.lower(), lang=code))

    try:
        if known(word):
            return True
        parts = [p for p in word.split("-") if p]
        if len(parts) > 1 and all(known(p) for p in parts):
            return True
        if code == "de":
            return any(known(word[i].upper() + word[i + 1 :]) for i in range(3, len(word) - 3))
    except ValueError:  # a language simplemma does not know
        return False
    return False
