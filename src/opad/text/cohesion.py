"""Sentences that lean on the one before: they open with a pronoun, a demonstrative or a
connective ("It opened on Saturday.", "Er liegt mitten in der Stadt.", "However, …").
Kept without their predecessor they point at nothing, so a reading keeps them together.

The word lists are closed classes (personal pronouns, demonstratives, sentence
connectives) from the grammars of each language; languages without a list have no such
sentences as far as OPAD can tell.
"""

from __future__ import annotations

import regex

from opad.text.normalize import normalize

_OPENERS: dict[str, frozenset[str]] = {
    "en": frozenset(
        """he she it they him her them his its their this that these those there then
however but and so also yet still instead meanwhile later afterwards afterward
nevertheless nonetheless furthermore moreover besides therefore thus hence such
both neither another others otherwise accordingly consequently likewise
similarly too here or nor""".split()  # noqa: SIM905
    ),
    "de": frozenset(
        """er sie es ihm ihn ihr ihnen sein seine seinen seinem seiner ihre ihren ihrem
ihrer dies diese dieser dieses diesen diesem das dort da dann aber doch und auch
deshalb deswegen daher darum trotzdem jedoch außerdem dabei damit dafür dazu
danach davor später zudem allerdings so sonst also oder beide solche hier""".split()  # noqa: SIM905
    ),
    "es": frozenset(
        """él ella ellos ellas le les su sus esto este esta estos estas eso
ese esa esos esas aquel aquella allí allá ahí entonces pero y e también además
luego después aunque así tampoco incluso asimismo o ni ambos aquí""".split()  # noqa: SIM905
    ),
    "fr": frozenset(
        """il elle ils elles lui leur leurs son sa ses ce cela ceci ça cet cette ces celui
celle ceux celles là alors mais et aussi cependant pourtant ainsi donc puis
ensuite enfin toutefois néanmoins également ou ni tous toutes""".split()  # noqa: SIM905
    ),
    "it": frozenset(
        """lui lei loro esso essa essi esse suo sua suoi sue questo questa questi queste
quello quella quelli quelle lì là allora ma e anche però tuttavia quindi poi
inoltre infatti dunque così""".split()  # noqa: SIM905
    ),
    "pt": frozenset(
        """ele ela eles elas seu sua seus suas isto isso este esta estes estas esse essa
esses essas aquele aquela ali lá então mas e também porém contudo depois assim
além""".split()  # noqa: SIM905
    ),
    "nl": frozenset(
        """hij zij ze het hem haar hun zijn dit dat deze die daar toen dan maar en ook
echter daarom toch bovendien daarna later zo""".split()  # noqa: SIM905
    ),
}
# Two-word connectives whose first word is too common to list alone.
_PHRASES: dict[str, tuple[str, ...]] = {
    "en": (
        "as a result",
        "in addition",
        "for example",
        "for instance",
        "on the other hand",
        "at the same time",
        "in fact",
        "even so",
        "after that",
        "because of this",
    ),
    "de": ("zum beispiel", "im gegenteil", "auf diese weise"),
    "es": (
        "sin embargo",
        "por eso",
        "por ello",
        "por lo tanto",
        "por otra parte",
        "por otro lado",
        "en cambio",
        "por ejemplo",
        "a pesar de ello",
        "de hecho",
    ),
    "fr": (
        "par exemple",
        "en effet",
        "de plus",
        "par contre",
        "en revanche",
        "en outre",
        "du coup",
        "c'est pourquoi",
        "c’est pourquoi",
    ),
}
# Korean: the sentence's first eojeol; Japanese and Chinese (no spaces): how the sentence
# begins. Pronouns, demonstratives and connectives, as above.
_KO_OPENERS = frozenset(
    """그 그는 그가 그를 그의 그녀는 그녀가 그들은 그들이 이 이는 이에 이를 이들은 이처럼
이렇게 이런 이곳은 그곳은 그곳에서 그러나 하지만 그래서 그런데 그리고 그러자 그러면서
또 또한 따라서 한편 게다가 특히 이후 결국 대신""".split()  # noqa: SIM905
)
_PREFIXES: dict[str, tuple[str, ...]] = {
    "ja": tuple(
        """しかし だが でも ですが また そして それで そのため その この これ それ さらに
一方 ところが 彼 彼女 こうした そうした そこで ただ なお 同じ""".split()  # noqa: SIM905
    ),
    "zh": tuple(
        """但 不过 可是 所以 因此 而且 另外 此外 同时 他 她 它 这 那 然后 于是 并且 还
也 其中 对此 为此""".split()  # noqa: SIM905
    ),
}
_LEAD = regex.compile(r"^[\s\p{Pi}\p{Ps}\"'«»„“‚‹›—–-]*")
_WORDS = regex.compile(r"\p{L}[\p{L}\p{M}'’]*")


def depends_on_previous(code: str, sentence: str) -> bool:
    """Whether `sentence` opens with a pronoun, demonstrative or connective of language
    `code` (ISO 639-1), so that it needs the sentence before it to be understood."""
    if code == "ko":
        eojeol = _LEAD.sub("", normalize(sentence)).split(maxsplit=1)
        return bool(eojeol) and eojeol[0].rstrip(",") in _KO_OPENERS
    if code in _PREFIXES:
        return _LEAD.sub("", normalize(sentence)).startswith(_PREFIXES[code])
    openers = _OPENERS.get(code)
    if not openers:
        return False
    text = _LEAD.sub("", normalize(sentence)).lower()
    first = _WORDS.match(text)
    if first is None:
        return False
    word = first.group(0)
    # French elisions: "c'est", "l'a", "s'il" lean on the sentence before as "ce", "le".
    if code == "fr" and regex.match(r"^(?:c|l|s)['’]", word):
        return True
    return word in openers or text.startswith(_PHRASES.get(code, ()))
