"""People's first names and surnames, per language, from Faker's person lists.

German capitalises every noun, so spelling cannot tell "Brandt" or "Lea" from "Garten";
a list of names can. Faker (MIT, actively maintained) ships first names and surnames for
~80 locales, compiled from national statistics of the commonest names; a language gets
the union of its locales (de: de_DE, de_AT, de_CH, …). It was chosen over names-dataset
(a 56 MB wheel that loads ~3 GB into memory) and gender-guesser (first names only, last
updated 2016 — the quality report uses it as its independent check instead).

A listed name may also be a word (German *Koch*, *Vogel*, *Winter*; Spanish *Sol*, *Luz*),
so callers decide with the text (opad.text.kinds): a listed name is a name where the text
uses it as one.
"""

from __future__ import annotations

import importlib
import pkgutil
from functools import lru_cache

# Articles, possessives and determiners (and German preposition + article contractions):
# a word after one of them is a common noun ("der Koch", "im Winter"), not a name.
DETERMINERS: dict[str, frozenset[str]] = {
    code: frozenset(words.split())
    for code, words in {
        "de": "der die das des dem den ein eine einer eines einem einen kein keine keinen "
        "keinem keiner keines mein meine meinen meinem meiner sein seine seinen seinem seiner "
        "ihr ihre ihren ihrem ihrer unser unsere unseren unserem dein deine euer eure jeder "
        "jede jedes jeden jedem dieser diese dieses diesen diesem jener jene welche welcher "
        "im am zum zur vom beim ins ans aufs viele vielen einige alle allen mehrere",
        "en": "the a an this that these those my his her its our their your",
        "es": "el la los las un una unos unas del al mi su sus este esta ese esa",
        "fr": "le la les un une des du au aux mon ma mes son sa ses ce cet cette",
        "it": "il lo la i gli le un uno una del della dei al alla suo sua",
        "pt": "o a os as um uma do da dos das no na ao seu sua",
        "nl": "de het een der des mijn zijn haar ons onze hun deze dit die dat",
    }.items()
}


def _names_of(value: object) -> set[str]:
    # Faker's lists are tuples, or dicts of name → weight.
    if isinstance(value, dict):
        return {str(k) for k in value}
    if isinstance(value, list | tuple):
        return {str(v) for v in value}
    return set()


@lru_cache(maxsize=64)
def person_names(code: str) -> tuple[frozenset[str], frozenset[str]]:
    """(first names, surnames) of language `code` (ISO 639-1), each as written
    ("Lea", "Brandt"); empty sets for a language Faker has no locale of."""
    import faker.providers.person as person  # heavy: loaded on first use

    first: set[str] = set()
    last: set[str] = set()
    for module in pkgutil.iter_modules(person.__path__):
        if module.name != code and not module.name.startswith(f"{code}_"):
            continue
        provider = importlib.import_module(f"{person.__name__}.{module.name}").Provider
        for attribute in ("first_names", "first_names_male", "first_names_female"):
            first |= _names_of(getattr(provider, attribute, ()))
        for attribute in ("last_names", "last_names_male", "last_names_female"):
            last |= _names_of(getattr(provider, attribute, ()))
    # Only single words: "van der Berg" or "García López" are matched word by word anyway.
    return (
        frozenset(n for n in first if n.isalpha() and n[:1].isupper()),
        frozenset(n for n in last if n.isalpha() and n[:1].isupper()),
    )


@lru_cache(maxsize=64)
def country_names(code: str) -> frozenset[str]:
    """Names of countries in language `code` ("Norwegen", "Finlandia"), one-word ones,
    from Faker's address providers (empty when Faker has no locale of the language)."""
    import faker.providers.address as address

    found: set[str] = set()
    for module in pkgutil.iter_modules(address.__path__):
        if module.name != code and not module.name.startswith(f"{code}_"):
            continue
        provider = importlib.import_module(f"{address.__name__}.{module.name}").Provider
        found |= _names_of(getattr(provider, "countries", ()))
    return frozenset(n for n in found if n.isalpha() and n[:1].isupper())


def is_listed_name(code: str, word: str) -> bool:
    """Whether `word` is a first name or surname in the language's lists."""
    first, last = person_names(code)
    return word in first or word in last


def is_first_name(code: str, word: str) -> bool:
    """Whether `word` is a first name in the language's lists."""
    return word in person_names(code)[0]
