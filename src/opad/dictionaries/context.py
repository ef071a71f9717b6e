"""What the sentence says about a word when the reading's analysis gave no part of speech.

Readings in languages written with spaces are analyzed by simplemma (a lemma, no part of
speech): only names and numbers come tagged. These rules read the few signals that are
certain enough to choose between a dictionary's entries:

- an inflected form whose lemma is an infinitive is a verb (German *gingen* → *gehen*,
  Spanish *consumen* → *consumir*, English *opened* → *open*);
- English: after *to*, a modal or *do*, a verb; after an article or possessive, not one;
- German: a separable verb's particle closing the clause (*fängt … an*) makes the word
  *anfangen* (a capital already tells a German noun: the spelling decides, see senses).

`hint` answers the part of speech (UPOS, or NOMINAL: a noun or an adjective; "" when
unsure) and forms to try before the lemma.
"""

from __future__ import annotations

import re

# Infinitive endings by language: a form that differs from such a lemma is a verb form.
_INFINITIVE = {
    "de": ("en", "ern", "eln"),
    "es": ("ar", "er", "ir"),
    "pt": ("ar", "er", "ir", "or"),
    "it": ("are", "ere", "ire"),
    "fr": ("er", "ir", "re", "oir"),
}


def _set(words: str) -> frozenset[str]:
    return frozenset(words.split())


_EN_VERB_BEFORE = _set(
    "to will would can could shall should must may might do does did don't doesn't didn't "
    "won't can't couldn't wouldn't shouldn't i you we they please let's not never always often"
)
_EN_NOMINAL_BEFORE = _set("the a an this that these those my your his her its our their")
# After a form of "be", an adjective ("the train was late").
_EN_ADJECTIVE_BEFORE = _set("is was are were be been being seems seemed looks looked")
# "the school opens at", "my friends live in": a determiner, a noun, then this word
# followed by one of these is the verb.
_EN_AFTER_VERB = _set("in at on to with from every the a an into")
# After an article, a word followed by one of these (or by nothing) is the noun itself.
_EN_AFTER_NOUN = _set("is was are were of and in on at to with has had will can")
_EN_IRREGULAR_PLURALS = _set("children men women people feet teeth mice geese")
# Articles of the Romance languages: what follows one is a noun or an adjective
# ("la comida", not the verb "comer" simplemma makes of it).
_ARTICLES = {
    "es": _set("el la los las un una unos unas"),
    "fr": _set("le la les un une des du l"),
    "it": _set("il lo la i gli le un uno una l"),
    "pt": _set("o a os as um uma uns umas"),
}
_SUBJECTS = {"fr": _set("je j tu il elle on nous vous ils elles")}
# German separable-verb particles (the commonest), as they close a clause.
_DE_PARTICLES = _set(
    "ab an auf aus bei ein fest fort her heraus herein hin hinaus los mit nach vor vorbei "
    "weg weiter zu zurück zusammen"
)
_WORD = re.compile(r"\w+(?:['’]\w+)?", re.UNICODE)


def _words(sentence: str) -> list[str]:
    return _WORD.findall(sentence)


def _clause_end_particle(words_after: list[str]) -> str | None:
    # The particle closes the clause: the last word before a comma or the sentence's end.
    return (
        words_after[-1].lower()
        if words_after and words_after[-1].lower() in _DE_PARTICLES
        else None
    )


def hint(language: str, word: str, lemma: str, sentence: str = "") -> tuple[str, list[str]]:
    """(UPOS or "", extra forms to try first) for `word` (as read) with `lemma`."""
    lowered, lemma_low = word.lower(), lemma.lower()
    pos = ""
    endings = _INFINITIVE.get(language)
    if (
        endings
        and lowered != lemma_low
        and lemma_low.endswith(endings)
        and (language != "de" or lemma[:1].islower())
    ):
        pos = "VERB"
    words = _words(sentence)
    position = next((i for i, w in enumerate(words) if w == word), -1)
    before = words[position - 1].lower() if position > 0 else ""
    extra: list[str] = []
    after = words[position + 1].lower() if 0 <= position < len(words) - 1 else ""
    if language == "en":
        before2 = words[position - 2].lower() if position > 1 else ""
        if before in _EN_VERB_BEFORE:
            pos = "VERB"
        elif before in _EN_ADJECTIVE_BEFORE:
            # "is running", "was opened": the verb; "was late": an adjective.
            inflected = lowered != lemma_low and lowered.endswith(("ed", "ing"))
            pos = "VERB" if inflected else "ADJ"
        elif before2 in _EN_NOMINAL_BEFORE and after in _EN_AFTER_VERB:
            pos = "VERB"
        elif before in _EN_NOMINAL_BEFORE:
            # "the weather is": the noun; "the open door": a noun or an adjective.
            pos = "NOUN" if not after or after in _EN_AFTER_NOUN else "NOMINAL"
        elif lowered != lemma_low and lowered.endswith(("ed", "ing")):
            pos = "VERB"
        elif (
            lowered != lemma_low
            and not lowered.endswith(("s", "er", "est"))
            and lowered not in _EN_IRREGULAR_PLURALS
        ):
            pos = "VERB"  # an irregular past: bought, ate, wrote
    elif language in _ARTICLES and before in _ARTICLES[language]:
        pos = "NOMINAL"
    elif before in _SUBJECTS.get(language, ()):
        pos = "VERB"
    elif language == "de" and position >= 0 and lemma[:1].islower():
        clause = re.split(r"[,;:]", sentence[sentence.find(word) + len(word) :])[0]
        particle = _clause_end_particle(_words(clause))
        if particle:
            extra.append(particle + lemma_low)
            pos = "VERB"
    return pos, extra
