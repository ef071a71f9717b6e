"""Corrections to simplemma's lemma where its dictionary picks the wrong word, by rules of
the language's grammar (tests/language/data/lemmas.tsv: a hand-checked list per language).

simplemma maps each form to one lemma, chosen without context. Its known misses, each a
kind of fault rather than a word:

- German: a feminine noun in -e read as the old dative of another noun (*Herde* → *Herd*,
  "stove"): a form X+e whose own plural X+en leads back to it is its own lemma; a
  capitalised noun given a verb (*Gärtner* → *gärtnern*) keeps its noun; a lower-case
  adjective or participle given a capitalised noun (*umgestürzte* → *Umgestürzte*) is
  the adjective without its ending (*umgestürzt*).
- Spanish, Portuguese, French: a verb form read as a noun's plural (*pasas* → *pasa*,
  "raisin") when the verb is about as frequent as the noun (wordfreq): the verb.
- Italian, Portuguese, Spanish, French: a past participle kept as an adjective
  (*scritto*, *comido*, *écrit*) is the verb's: regular ones by their ending, irregular
  ones from a closed list (not those that are also common nouns: *stato* "state",
  *corso* "course").
- Spanish, Portuguese: a plural the dictionary gives as its own lemma whose singular it
  knows (*professoras*) is the singular.
"""

from __future__ import annotations

from functools import lru_cache

# Verb endings of the present (2nd singular, 3rd plural) that also end a noun's plural.
_VERB_ENDINGS = {
    "es": (("as", ("ar",)), ("an", ("ar",)), ("es", ("er", "ir")), ("en", ("er", "ir"))),
    "pt": (("as", ("ar",)), ("am", ("ar",)), ("es", ("er", "ir")), ("em", ("er", "ir"))),
    "fr": (("es", ("er",)), ("ent", ("er",))),
}
VERB_MARGIN = 0.5  # a verb this much rarer (Zipf) than the noun still wins: forms are shared
# Regular past participles: ending → infinitive endings.
_PARTICIPLES = {
    "it": (("ato", "are"), ("ata", "are"), ("ati", "are"), ("ate", "are"), ("uto", "ere"),
           ("uta", "ere"), ("uti", "ere"), ("ute", "ere"), ("ito", "ire"), ("ita", "ire"),
           ("iti", "ire"), ("ite", "ire")),
    "pt": (("ado", "ar"), ("ada", "ar"), ("ados", "ar"), ("adas", "ar"), ("ido", "er"),
           ("ido", "ir"), ("ida", "er"), ("ida", "ir"), ("idos", "er"), ("idas", "er")),
    "es": (("ado", "ar"), ("ada", "ar"), ("ados", "ar"), ("adas", "ar"), ("ido", "er"),
           ("ido", "ir"), ("ida", "er"), ("ida", "ir")),
    "fr": (("é", "er"), ("ée", "er"), ("és", "er"), ("ées", "er"), ("i", "ir"), ("ie", "ir")),
}  # fmt: skip
# Irregular past participles (masculine singular; other endings are matched too).
_IRREGULAR = {
    "it": {"detto": "dire", "scritto": "scrivere", "preso": "prendere", "aperto": "aprire",
           "venuto": "venire", "letto": "leggere", "morto": "morire", "chiuso": "chiudere",
           "vissuto": "vivere", "nato": "nascere", "rimasto": "rimanere", "messo": "mettere",
           "fatto": "fare", "visto": "vedere",
           "scelto": "scegliere", "speso": "spendere", "deciso": "decidere", "offerto": "offrire",
           "risposto": "rispondere", "perso": "perdere", "acceso": "accendere", "vinto": "vincere"},
    "fr": {"écrit": "écrire", "dit": "dire", "fait": "faire", "pris": "prendre", "mis": "mettre",
           "ouvert": "ouvrir", "offert": "offrir", "mort": "mourir", "né": "naître",
           "conduit": "conduire", "construit": "construire", "produit": "produire"},
    "pt": {"feito": "fazer", "dito": "dizer", "escrito": "escrever", "visto": "ver",
           "aberto": "abrir", "posto": "pôr", "vindo": "vir", "ganho": "ganhar", "gasto": "gastar",
           "pago": "pagar"},
    "es": {"hecho": "hacer", "dicho": "decir", "escrito": "escribir", "visto": "ver",
           "abierto": "abrir", "puesto": "poner", "vuelto": "volver", "muerto": "morir",
           "roto": "romper", "cubierto": "cubrir", "resuelto": "resolver"},
}  # fmt: skip
_GERMAN_ADJ_ENDINGS = ("en", "er", "es", "em", "e")


def corrected(code: str, word: str, found: str) -> str:
    """simplemma's lemma `found` of `word`, corrected by the rules above (or unchanged)."""
    if code == "de":
        return _german(word, found)
    if code in ("es", "pt", "fr", "it"):
        verb = _participle_verb(code, word) or _verb_not_noun(code, word, found)
        if verb:
            return verb
        unused = found == word or _zipf(code, found) == 0  # "professorar" is no word
        if code in ("es", "pt") and unused and len(word) >= 6 and word.endswith("s"):
            # A feminine plural the dictionary lacks as such: "professoras".
            singular = word[:-1]
            if singular[-1:] in "aoe" and _known(code, singular):
                return singular
    return found


def _german(word: str, found: str) -> str:
    if word[:1].isupper():
        if found == word[:-1] and word.endswith("e") and _lemma("de", word + "n") == word:
            return word  # Herde (Herden → Herde), not Herd; Hunde stays Hund
        if found[:1].islower() and found.startswith(word.lower()) and _known("de", word):
            # The noun a verb is made from (Gärtner, not gärtnern); a verb form that only
            # stands capitalised at the start of a sentence keeps its verb (Gingen: gehen).
            return word
        return found
    if found[:1].isupper():  # a lower-case word given a noun: an adjective's ending
        for ending in _GERMAN_ADJ_ENDINGS:
            base = word[: -len(ending)]
            if word.endswith(ending) and len(base) >= 3 and _known("de", base):
                return base
        return word
    return found


def _participle_verb(code: str, word: str) -> str | None:
    lower = word.lower()
    for participle, verb in _IRREGULAR.get(code, {}).items():
        stem = participle[:-1] if code != "fr" else participle
        if lower == participle or (
            code != "fr" and lower[:-1] == stem and len(lower) == len(participle)
        ):
            return verb
    for ending, infinitive in _PARTICIPLES.get(code, ()):
        if lower.endswith(ending) and len(lower) > len(ending) + 2:
            candidate = lower[: -len(ending)] + infinitive
            if _is_verb(code, candidate):
                return candidate
    return None


def _verb_not_noun(code: str, word: str, found: str) -> str | None:
    lower = word.lower()
    if found.lower() == lower:
        return None
    import wordfreq

    for ending, infinitives in _VERB_ENDINGS.get(code, ()):
        if not lower.endswith(ending) or len(lower) <= len(ending) + 2:
            continue
        for infinitive in infinitives:
            candidate = lower[: -len(ending)] + infinitive
            if candidate == found or not _is_verb(code, candidate):
                continue
            if wordfreq.zipf_frequency(candidate, code) >= (
                wordfreq.zipf_frequency(found, code) - VERB_MARGIN
            ):
                return candidate
    return None


@lru_cache(maxsize=20_000)
def _is_verb(code: str, infinitive: str) -> bool:
    """An infinitive the dictionary knows as its own lemma and that is in use."""
    import wordfreq

    return (
        _known(code, infinitive)
        and _lemma(code, infinitive) == infinitive
        and wordfreq.zipf_frequency(infinitive, code) >= 3.0
    )


def _zipf(code: str, word: str) -> float:
    import wordfreq

    return float(wordfreq.zipf_frequency(word, code))


def _known(code: str, word: str) -> bool:
    import simplemma

    return bool(simplemma.is_known(word, lang=code))


def _lemma(code: str, word: str) -> str:
    import simplemma

    return str(simplemma.lemmatize(word, lang=code))
