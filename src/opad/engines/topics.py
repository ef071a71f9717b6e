"""Does a text match a learner's topic? Lemmas of the topic's content words, looked up in
the text's topics, title, lead and body.

A *good match* (what the leveler serves without a warning):

- every content word of the topic is found in the text when the topic has one or two of
  them, at least two thirds of them when it has more ("the impact of drought on farms in
  southern Spain" need not name every word); and
- the topic is what the text is about, not a passing mention (it is *salient*): as many
  of its words as must be found are each in the text's title, topic tags or lead (its
  first sentence), or occur in the body at least twice and at least once per
  `WORDS_PER_MENTION` words. A 700-word text about a solar plant that says "trabajo"
  three times is not about work; a bus story tagged "city" that mentions a park is not
  about "city parks".

Content words are the topic's words minus the language's stop words (the `stop-words`
package, 30+ languages) and one- or two-letter words. Its lists hold some content words
too (Spanish *trabajo*, *tiempo*; English *work*, *research*), so a listed word is a stop
word only when it is as frequent as function words are (`STOP_ZIPF`), and a topic made
only of stop words keeps its rarest word (wordfreq): "trabajo" is about work.
A word is found when its form, lemma (simplemma via opad.text) or Snowball stem (the
`snowballstemmer` package, 25+ languages; stems of four letters or more) is a word's of
the text — "trabajo" finds *trabajan* and *trabajadores* — whole words only: "sport" is
not found in *transport*, nor "art" in *start*. Compounds are the exception where a
language writes them as one word: in German and Dutch a word of the text that *ends* in
the topic word after a known word ("Frauen|fußball", "Stadt|park") holds it; in Korean,
Japanese and Chinese a word that begins or ends with it (公交 in 公交车). Each word of the
text counts once.

A topic written in Latin letters for a Korean, Japanese or Chinese request ("food") is
read as English: each word is looked for as itself (the library's topic tags carry
English words) and as its translations (`opad.engines.topic_translation`).
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, replace
from functools import lru_cache

from opad import text


def _word_set(words: str) -> frozenset[str]:
    """A closed list written as one string of words separated by spaces."""
    return frozenset(words.split())


MIN_PART = 3  # shortest topic word looked for as the head of a German/Dutch compound
MIN_HEAD = 3  # shortest first part of such a compound
_COMPOUNDING = ("de", "nl")
# Linking elements between the parts of a compound ("Arbeit|s|platz", "Frau|en|fußball").
_LINKS = ("", "s", "es", "n", "en", "er", "e")
WORDS_PER_MENTION = 120  # body mentions needed for salience: one per this many words
# Korean, Japanese, Chinese: most words are one to three characters, so a topic word is any
# word the analyzer does not call grammar (particles, endings, pronouns), and a two-character
# word is also looked for inside longer ones (公交 in 公交车, 電車 in 路面電車).
_CJK = ("ko", "ja", "zh")
_CJK_MIN_PART = 2


def fold(word: str) -> str:
    """Case and accents folded, so that a learner's "futbol" or "Fussball" still matches
    "fútbol" and "Fußball"."""
    decomposed = unicodedata.normalize("NFKD", word.casefold())
    # Composed again: Hangul syllables decompose into jamo, which are not accents.
    return unicodedata.normalize(
        "NFC", "".join(c for c in decomposed if not unicodedata.combining(c))
    )


@lru_cache(maxsize=64)
def stop_words(code: str) -> frozenset[str]:
    """The stop words of a language (empty when the package has none for it)."""
    from stop_words import StopWordError, get_stop_words

    try:
        return frozenset(w.lower() for w in get_stop_words(code))
    except StopWordError:
        return frozenset()


# ISO 639-1 → Snowball's algorithm names (snowballstemmer.algorithms()).
_SNOWBALL = {
    "ar": "arabic", "ca": "catalan", "da": "danish", "de": "german", "el": "greek",
    "en": "english", "es": "spanish", "eu": "basque", "fi": "finnish", "fr": "french",
    "ga": "irish", "hi": "hindi", "hu": "hungarian", "hy": "armenian", "id": "indonesian",
    "it": "italian", "lt": "lithuanian", "ne": "nepali", "nl": "dutch", "no": "norwegian",
    "nb": "norwegian", "pt": "portuguese", "ro": "romanian", "ru": "russian", "sr": "serbian",
    "sv": "swedish", "ta": "tamil", "tr": "turkish", "yi": "yiddish",
}  # fmt: skip
MIN_STEM = 5  # shorter stems join unrelated words ("park|ing", "hous|ing" and "hous|es")


@lru_cache(maxsize=64)
def _stemmer(code: str) -> Callable[[str], str] | None:
    import snowballstemmer

    name = _SNOWBALL.get(code)
    if name is None or name not in snowballstemmer.algorithms():
        return None
    return snowballstemmer.stemmer(name).stemWord


@lru_cache(maxsize=100_000)  # every candidate text is stemmed per request: words repeat
def stem(code: str, folded: str) -> str:
    """The Snowball stem of a folded word ("" when the language has no stemmer or the stem
    is too short to tell words apart)."""
    stemmer = _stemmer(code)
    found = stemmer(folded) if stemmer else ""
    return found if len(found) >= MIN_STEM else ""


@dataclass(frozen=True)
class TopicTerm:
    """One content word of a topic: the form as written, its lemma and its stem, folded;
    `english` when it was read as English for a ko/ja/zh request, with `translations`
    (folded words of the request's language) that count as the same word."""

    form: str
    lemma: str
    stem: str = ""
    english: bool = False
    translations: tuple[str, ...] = ()


_LATIN = re.compile(r"[A-Za-z]")
_CJK_SCRIPT = re.compile(r"[\u1100-\u11ff\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af]")


def is_english_topic(code: str, topic: str) -> bool:
    """Whether a ko/ja/zh request's topic is written in Latin letters only (read as
    English)."""
    return code in _CJK and bool(_LATIN.search(topic)) and not _CJK_SCRIPT.search(topic)


def topic_terms(
    code: str, topic: str, translate: Callable[[str], tuple[str, ...]] | None = None
) -> tuple[TopicTerm, ...]:
    """The content words of `topic`, once each, in order. A Latin-letter topic for a
    ko/ja/zh request is read as English; `translate` (English lemma → words of `code`)
    gives each word's translations (`opad.engines.topic_translation.translations`)."""
    if is_english_topic(code, topic):
        terms = topic_terms("en", topic)
        return tuple(
            replace(
                t,
                english=True,
                translations=tuple(fold(w) for w in (translate(t.lemma) if translate else ())),
            )
            for t in terms
        )
    stops = stop_words(code)
    seen: dict[str, TopicTerm] = {}
    listed: dict[str, TopicTerm] = {}  # words of three letters or more on the stop list
    for token in text.tokenize(code, topic):
        if code in _CJK:
            from opad.text.cjk import word_facts

            if word_facts(code, token.word).kind == "grammar":
                continue
        elif len(token.word) < 3:
            continue
        form = fold(token.word)
        term = TopicTerm(form, fold(token.lemma), stem(code, form))
        if (token.word.lower() in stops or token.lemma.lower() in stops) and _frequent(code, form):
            listed.setdefault(term.lemma, term)
        else:
            seen.setdefault(term.lemma, term)
    if not seen and listed:
        import wordfreq  # heavy: loaded on first use

        rarest = min(listed.values(), key=lambda t: wordfreq.zipf_frequency(t.form, code))
        return (rarest,)
    return tuple(seen.values())


# The stop lists hold content words too (English "research", "work"): a listed word is
# treated as one only when it is as frequent as function words are ("the" 7.7, "every"
# 5.8, "work" 6.0; "research" 5.4 is kept as a topic word).
STOP_ZIPF = 5.5


def _frequent(code: str, folded: str) -> bool:
    import wordfreq

    return wordfreq.zipf_frequency(folded, code) >= STOP_ZIPF


@dataclass(frozen=True)
class TopicMatch:
    """How well one text matches a topic; `score` ranks texts (higher is closer)."""

    good: bool
    score: float
    found: tuple[str, ...]  # the topic's lemmas found in the text
    missing: tuple[str, ...]
    # Share (0–1) of the topic's words that are salient in the text (title, tags, lead,
    # or dense in the body): "space research" is fully about a satellite story, half
    # about a park story tagged "urban green space".
    strength: float = 1.0


class _Bag:
    """The words of one part of a text, as (form, lemma, stem) with counts."""

    def __init__(self, code: str, content: str) -> None:
        self.code = code
        self.words: Counter[tuple[str, str, str]] = Counter()
        for token in text.tokenize(code, content):
            form = fold(token.word)
            self.words[(form, fold(token.lemma), stem(code, form))] += 1
        self.size = sum(self.words.values())

    def count(self, term: TopicTerm) -> int:
        """Words of the text that are `term` (by form, lemma or stem; a translation of an
        English term), or compounds holding it (see the module docstring); each word once."""
        wanted = {term.form, term.lemma, *term.translations}
        total = 0
        for (form, lemma, root), n in self.words.items():
            if form in wanted or lemma in wanted:
                total += n
            elif term.english:
                if fold(text.lemma("en", form)) == term.lemma or any(
                    _cjk_compound(t, form) for t in term.translations
                ):  # "bears" in the tags
                    total += n
            elif (
                term.stem
                and root == term.stem
                or self.code in _CJK
                and _cjk_compound(term.form, form)
                or self.code in _COMPOUNDING
                and _compound_head(self.code, term, form)
            ):
                total += n
        return total


def _cjk_compound(term: str, form: str) -> bool:
    """A ko/ja/zh word that begins or ends with a topic word of two characters or more."""
    return (
        len(term) >= _CJK_MIN_PART
        and len(form) > len(term)
        and (form.startswith(term) or form.endswith(term))
    )


def _compound_head(code: str, term: TopicTerm, form: str) -> bool:
    """Whether `form` is a compound ending in the topic word after a known word and a
    linking element: "frauenfußball" holds "fußball"; "transport" holds no "sport"."""
    for part in dict.fromkeys((term.form, term.lemma)):
        if len(part) < MIN_PART or len(form) < len(part) + MIN_HEAD or not form.endswith(part):
            continue
        head = form[: -len(part)]
        for link in _LINKS:
            if link and not head.endswith(link):
                continue
            first = head[: len(head) - len(link)] if link else head
            # A linking element needs a longer first part: "tra|n|sport" is no compound.
            shortest = MIN_HEAD + (1 if link else 0)
            if len(first) >= shortest and first not in _PREFIXES and _known_word(code, first):
                return True
    return False


@lru_cache(maxsize=50_000)
def _known_word(code: str, folded: str) -> bool:
    """A word of the language in common use (Zipf ≥ 3: more than once per million)."""
    import wordfreq

    return wordfreq.zipf_frequency(folded, code) >= KNOWN_ZIPF


KNOWN_ZIPF = 3.0
# Latin and Greek prefixes of loanwords, which look like a first part but are none:
# "Trans|port", "Ex|port", "Super|markt" hold no "Port" and no "Markt" topic.
_PREFIXES = _word_set(
    "trans inter super anti contra kontra post prä pre pro sub auto bio "
    "tele mono poly ultra extra hyper mega micro mikro multi "
)


def match_topic(
    code: str,
    terms: tuple[TopicTerm, ...],
    *,
    title: str,
    body: str,
    tags: tuple[str, ...] = (),
) -> TopicMatch:
    """Match a text (title, body, topic tags) against `terms` from `topic_terms`.

    An empty topic (no content words) matches every text, weakly: score 0, good.
    """
    if not terms:
        return TopicMatch(True, 0.0, (), (), 0.0)
    head = _Bag(code, " ".join((title, *tags)))
    # The lead: the first sentence, where a news text says what it is about.
    first = body.strip().split("\n\n", 1)[0]
    lead = _Bag(code, " ".join(text.split_sentences(code, " ".join(first.split()))[:1]))
    main = _Bag(code, body)
    dense = max(3, math.ceil(main.size / WORDS_PER_MENTION))
    found: list[str] = []
    missing: list[str] = []
    score = 0.0
    salient_terms = 0
    for term in terms:
        in_head, in_lead, in_body = head.count(term), lead.count(term), main.count(term)
        if in_head or in_body:
            found.append(term.lemma)
        else:
            missing.append(term.lemma)
        salient_terms += in_head > 0 or in_lead > 0 or in_body >= dense
        # Title and tags weigh most, then the lead; body mentions add up, with
        # diminishing returns.
        score += 3.0 * (in_head > 0) + 1.5 * (in_lead > 0) + math.log1p(in_body)
    needed = len(terms) if len(terms) <= 2 else math.ceil(2 * len(terms) / 3)
    # Salient: every word of a short topic ("city parks" is not a story that mentions a
    # city in its tags and a park once), two thirds of a longer one.
    good = len(found) >= needed and salient_terms >= needed
    strength = round(salient_terms / len(terms), 3)
    return TopicMatch(good, round(score, 3), tuple(found), tuple(missing), strength)
