"""Sentences that lean on the one before. Kept without their predecessor they point at
nothing, so a reading keeps them together. A sentence leans when it opens with

- a pronoun, demonstrative or connective ("It opened on Saturday.", "Er liegt mitten in
  der Stadt.", "However, …"; closed word lists from each language's grammar), a German
  pronominal adverb (*dafür, darauf, dadurch* …) or a French elided *c'/l'/s'*;
- an object pronoun written onto a verb in its first clause: Spanish and Italian
  infinitives and gerunds (*Para solucionarlo*, *Al verla*, *Per farlo*, *facendolo*),
  Portuguese hyphenated ones (*Para resolvê-lo*), French *pour le faire*;
- a definite noun phrase whose noun the sentence just before it names ("“Beavers are not
  just another animal. …” The animals came from Scotland."): it refers back to it. Only
  the one sentence before: looking further back tied so many sentences together that the
  levels could no longer choose different ones (A1/C2 overlap rose from 18% to 24% on
  en/city-parks).

Languages without lists have no such sentences as far as OPAD can tell.
"""

from __future__ import annotations

from collections.abc import Sequence

import regex

from opad.text.backrefs import points_forward, refers_back
from opad.text.normalize import normalize
from opad.text.tokens import tokenize

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
danach davor später zudem allerdings so sonst also oder beide solche hier andere""".split()  # noqa: SIM905
    ),
    "es": frozenset(
        """él ella ellos ellas le les su sus esto este esta estos estas eso
ese esa esos esas aquel aquella allí allá ahí entonces pero y e también además
luego después aunque así tampoco incluso asimismo o ni ambos aquí otros otras""".split()  # noqa: SIM905
    ),
    "fr": frozenset(
        """il elle ils elles lui leur leurs son sa ses ce cela ceci ça cet cette ces celui
celle ceux celles là alors mais et aussi cependant pourtant ainsi donc puis
ensuite enfin toutefois néanmoins également ou ni tous toutes d'autres d’autres""".split()  # noqa: SIM905
    ),
    "it": frozenset(
        """lui lei loro esso essa essi esse suo sua suoi sue questo questa questi queste
quello quella quelli quelle lì là allora ma e anche però tuttavia quindi poi
inoltre infatti dunque così altri altre""".split()  # noqa: SIM905
    ),
    "pt": frozenset(
        """ele ela eles elas seu sua seus suas isto isso este esta estes estas esse essa
esses essas aquele aquela ali lá então mas e também porém contudo depois assim
além outros outras""".split()  # noqa: SIM905
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
# Openers that point forward when a comma and a clause follow ("Dort, wo früher Autos
# standen, …", "Das, was die Stadt plant, …"): that clause says what they mean.
_FORWARD = frozenset({"dort", "da", "das", "daar", "dat"})
_LEAD = regex.compile(r"^[\s\p{Pi}\p{Ps}\"'«»„“‚‹›—–-]*")
_WORDS = regex.compile(r"\p{L}[\p{L}\p{M}'’]*")
_HYPHENATED = regex.compile(r"\p{L}[\p{L}\p{M}'’-]*")
# German pronominal adverbs: "da(r)" + preposition points back at a thing just named.
_DE_PRONOMINAL = regex.compile(
    r"da(?:r)?(?:an|auf|aus|bei|durch|für|gegen|hinter|in|mit|nach|neben|über|um|unter|"
    r"von|vor|zu|zwischen)"
)
# Object pronouns written onto an infinitive or gerund (one word, the first clause).
_CLITIC: dict[str, regex.Pattern[str]] = {
    "es": regex.compile(
        r"\p{L}+(?:ar|er|ir|ár|ér|ír|ando|ándo|iendo|iéndo|yendo|yéndo)"
        r"(?:me|te|nos|se)?(?:lo|la|los|las|le|les)"
    ),
    "it": regex.compile(r"\p{L}+(?:ar|er|ir|ando|endo)(?:me|te|ce|ve|se|glie)?(?:lo|la|li|le|ne)"),
    "pt": regex.compile(r"\p{L}+-(?:lo|la|los|las|lhe|lhes|o|a|os|as)"),
    "ca": regex.compile(r"\p{L}+(?:ar|er|ir|re|ant|ent|int)-(?:lo|la|los|les|li|ho|ne|hi)"),
}
# French: "pour le faire", "sans les voir", "afin de l'aider" — a pronoun before an
# infinitive after a preposition.
_FR_CLITIC = regex.compile(
    r"(?:pour|sans|afin de|avant de|après|de) (?:le|la|les|lui|leur|y|en) "
    r"\p{L}+(?<!è)(?:er|ir|re|oir)\b"
)
# Definite articles and demonstrative determiners that open a noun phrase.
_DEFINITE: dict[str, frozenset[str]] = {
    code: frozenset(words.split())
    for code, words in {
        "en": "the",
        "de": "der die das den dem des",
        "es": "el la los las",
        "fr": "le la les l' l’",
        "it": "il lo la i gli le l' l’",
        "pt": "o a os as",
        "nl": "de het",
        "ca": "el la els les l' l’",
    }.items()
}
DEFINITE_ARTICLES = _DEFINITE
_LOOKBACK = 1  # sentences before whose nouns a definite noun phrase may repeat (see above)


def depends_on_previous(code: str, sentence: str, earlier: Sequence[str] = ()) -> bool:
    """Whether `sentence` (language `code`, ISO 639-1) needs the sentence before it to be
    understood (see the module docstring). `earlier`: the sentences before it in the
    source, oldest first; without them the definite-noun-phrase rule is not applied."""
    if refers_back(code, normalize(sentence)):
        return True
    if code == "ko":
        eojeol = _LEAD.sub("", normalize(sentence)).split(maxsplit=1)
        return bool(eojeol) and eojeol[0].rstrip(",") in _KO_OPENERS
    if code in _PREFIXES:
        return _LEAD.sub("", normalize(sentence)).startswith(_PREFIXES[code])
    text = _LEAD.sub("", normalize(sentence))
    lower = text.lower()
    first = _WORDS.match(lower)
    if first is None:
        return False
    word = first.group(0)
    # French elisions: "c'est", "l'a", "s'il" lean on the sentence before as "ce", "le".
    if code == "fr" and regex.match(r"^(?:c|l|s)['’]", word):
        return True
    if word in _OPENERS.get(code, ()) and not (
        word in _FORWARD and points_forward(lower, word)  # "Dort, wo …" says where
    ):
        return True
    if lower.startswith(_PHRASES.get(code, ())):
        return True
    if code == "de" and _DE_PRONOMINAL.fullmatch(word):
        return True
    clause = " ".join(_HYPHENATED.findall(lower.split(",", 1)[0])[:4])
    clitic = _CLITIC.get(code)
    if clitic is not None and any(clitic.fullmatch(w) for w in clause.split()):
        return True
    if code == "fr" and _FR_CLITIC.search(lower.split(",", 1)[0]):
        return True
    return bool(earlier) and _repeats_a_noun(code, text, earlier[-_LOOKBACK:])


def _repeats_a_noun(code: str, text: str, earlier: Sequence[str]) -> bool:
    """Does `text` open with a definite noun phrase ("The animals", "Die Anlage") whose
    noun — one of the two words after the article, four letters or more — is, by lemma,
    a word of the `earlier` sentences?"""
    articles = _DEFINITE.get(code)
    if not articles:
        return False
    head = regex.match(r"(\p{L}+['’]?)\s*", text)
    if head is None or head.group(1).lower() not in articles:
        return False
    after = tokenize(code, text[head.end() :])[:2]
    nouns = {t.lemma.casefold() for t in after if len(t.word) >= 4}
    if code == "de":  # German nouns are capitalised: the adjective before it is not
        nouns = {t.lemma.casefold() for t in after if len(t.word) >= 4 and t.word[:1].isupper()}
    if not nouns:
        return False
    before = {t.lemma.casefold() for s in earlier for t in tokenize(code, s)}
    return bool(nouns & before)
