"""Does a text match a learner's topic? Lemmas of the topic's content words, looked up in
the text's topics, title, lead and body.

A *good match* (what the leveler serves without a warning):

- every content word of the topic is found in the text when the topic has one or two of
  them, at least two thirds of them when it has more ("the impact of drought on farms in
  southern Spain" need not name every word); and
- the topic is what the text is about, not a passing mention (it is *salient*): one of
  its words is in the text's title, topic tags or lead (its first sentence), or occurs in
  the body at least twice and at least once per `WORDS_PER_MENTION` words. A 700-word
  text about a solar plant that says "trabajo" three times is not about work.

Content words are the topic's words minus the language's stop words (the `stop-words`
package, 30+ languages) and one- or two-letter words. Its lists hold some content words
too (Spanish *trabajo*, *tiempo*, *empleo*; English *work*), so a topic made only of stop
words keeps its rarest word (wordfreq): "trabajo" is about work, not about anything.
A word is found when its form, lemma (simplemma via opad.text) or Snowball stem (the
`snowballstemmer` package, 25+ languages; stems of four letters or more) is a word's of
the text — "trabajo" finds *trabajan* and *trabajadores* — or, for words of five letters
or more, when a word of the text contains it: German compounds ("Frauenfußball" is about
"Fußball") and derived forms ("Kenyan"). Each word of the text counts once.
"""

from __future__ import annotations

import math
import unicodedata
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache

from opad import text

MIN_PART = 5  # shortest topic word also looked for inside longer words
WORDS_PER_MENTION = 200  # body mentions needed for salience: one per this many words
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
MIN_STEM = 4  # shorter stems join unrelated words


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
    """One content word of a topic: the form as written, its lemma and its stem, folded."""

    form: str
    lemma: str
    stem: str = ""


def topic_terms(code: str, topic: str) -> tuple[TopicTerm, ...]:
    """The content words of `topic`, once each, in order."""
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
        if token.word.lower() in stops or token.lemma.lower() in stops:
            listed.setdefault(term.lemma, term)
        else:
            seen.setdefault(term.lemma, term)
    if not seen and listed:
        import wordfreq  # heavy: loaded on first use

        rarest = min(listed.values(), key=lambda t: wordfreq.zipf_frequency(t.form, code))
        return (rarest,)
    return tuple(seen.values())


@dataclass(frozen=True)
class TopicMatch:
    """How well one text matches a topic; `score` ranks texts (higher is closer)."""

    good: bool
    score: float
    found: tuple[str, ...]  # the topic's lemmas found in the text
    missing: tuple[str, ...]


class _Bag:
    """The words of one part of a text, as (form, lemma, stem) with counts."""

    def __init__(self, code: str, content: str) -> None:
        self.words: Counter[tuple[str, str, str]] = Counter()
        for token in text.tokenize(code, content):
            form = fold(token.word)
            self.words[(form, fold(token.lemma), stem(code, form))] += 1
        self.size = sum(self.words.values())
        self.min_part = _CJK_MIN_PART if code in _CJK else MIN_PART

    def count(self, term: TopicTerm) -> int:
        """Words of the text that are `term` (by form, lemma or stem), or for a long term
        contain it; each word once."""
        wanted = {term.form, term.lemma}
        long_term = len(term.form) >= self.min_part
        total = 0
        for (form, lemma, root), n in self.words.items():
            if (
                form in wanted
                or lemma in wanted
                or (term.stem and root == term.stem)
                or long_term
                and len(form) > self.min_part
                and (term.form in form or term.lemma in form)
            ):
                total += n
        return total


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
        return TopicMatch(True, 0.0, (), ())
    head = _Bag(code, " ".join((title, *tags)))
    # The lead: the first sentence, where a news text says what it is about.
    first = body.strip().split("\n\n", 1)[0]
    lead = _Bag(code, " ".join(text.split_sentences(code, " ".join(first.split()))[:1]))
    main = _Bag(code, body)
    dense = max(2, math.ceil(main.size / WORDS_PER_MENTION))
    found: list[str] = []
    missing: list[str] = []
    score = 0.0
    salient = False
    for term in terms:
        in_head, in_lead, in_body = head.count(term), lead.count(term), main.count(term)
        if in_head or in_body:
            found.append(term.lemma)
        else:
            missing.append(term.lemma)
        salient = salient or in_head > 0 or in_lead > 0 or in_body >= dense
        # Title and tags weigh most, then the lead; body mentions add up, with
        # diminishing returns.
        score += 3.0 * (in_head > 0) + 1.5 * (in_lead > 0) + math.log1p(in_body)
    needed = len(terms) if len(terms) <= 2 else math.ceil(2 * len(terms) / 3)
    good = len(found) >= needed and salient
    return TopicMatch(good, round(score, 3), tuple(found), tuple(missing))
