"""Choosing the entry a learner meant, and putting its senses in a useful order.

A lookup reaches several entries: German "gingen" → lemma "gehen" reaches the verb
*gehen* and the noun *Gehen*; "Essen" reaches the noun and the verb *essen*. The
reading's analysis knows the word's part of speech in its sentence (UPOS), so
`choose` prefers, in this order:

1. an entry of that part of speech (one that names none comes next, a contradicting one
   last);
2. the lemma over the form as read;
3. the spelling closest to the key (exact, then up to case, then up to accents);
4. an entry that names its part of speech (place names name none);
5. the dictionary's own rank (JMdict's frequency marks; CC-CEDICT's names and variants
   last), then its order.

Every entry with the chosen headword and part of speech is merged: FreeDict splits
*gehen* into fifteen entries of one sense each. Bilingual senses are then ordered by how
common their first translation is in the explanation language (wordfreq's Zipf scale),
so *gehen* reads "go, …" before "turn out" and *grass* "Gras" before "Cannabiskraut".
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache

from opad.dictionaries.entry import UPOS_NAMES, Candidate, Entry
from opad.dictionaries.folding import closeness

MAX_SENSES = 6
MAX_WORDS = 8
_KANA = re.compile(r"^[\u3040-\u30ffー]+$")


def kana_only(language: str, form: str) -> bool:
    """A Japanese form written in kana alone (hiragana, katakana, the long-vowel mark)."""
    return language == "ja" and bool(_KANA.match(form))


def _pos_score(candidate: Candidate, wanted: frozenset[str] | None) -> int:
    if wanted is None or candidate.part_of_speech is None:
        return 1
    return 0 if candidate.part_of_speech in wanted else 2


def choose(
    language: str, found: Sequence[tuple[str, Sequence[Candidate]]], upos: str = ""
) -> list[Candidate]:
    """The entries to show, from `found`: (form looked up, candidates it reached) in the
    order the forms were tried (lemma first). [] when nothing was found."""
    wanted = UPOS_NAMES.get(upos.strip().upper()) if upos else None
    scored = []
    for i, (form, candidates) in enumerate(found):
        kana = kana_only(language, form)
        for j, c in enumerate(candidates):
            near = closeness(language, form, c.headword)
            if c.form and c.form != c.headword:
                # Reached through another spelling (a kana reading, "schnell" for the
                # entry "Schnell…"): after entries whose headword is the word itself.
                near = min(near, closeness(language, form, c.form) + 1)
            # Unknown part of speech: an entry that names one before one that does not
            # (FreeDict's place names, "Zug: Zug", carry none).
            unnamed = c.part_of_speech is None
            key: tuple[int | bool, ...]
            if kana:
                # A word written in kana reaches the rare words spelled so (とき the train,
                # ため "peer", とる a dialect's ている) and, through their reading, the common
                # ones written in kanji (時, 為, 取る): JMdict's frequency marks decide first.
                key = (_pos_score(c, wanted), i, c.rank, near, unnamed, j)
            else:
                key = (_pos_score(c, wanted), i, near, unnamed, c.rank, j)
            scored.append((key, c))
    if not scored:
        return []
    best = min(scored, key=lambda s: s[0])[1]
    # Japanese and Chinese entries of one spelling read differently are different words
    # (行 háng "row", xíng "to walk"): the reading is part of what makes an entry the same.
    by_reading = language in ("ja", "zh")

    def same_word(c: Candidate) -> bool:
        # An entry that names no part of speech joins one that does (a small dictionary's
        # "comer: lunch" joins a larger one's verb "comer: eat").
        return (
            c.headword == best.headword
            and (c.part_of_speech == best.part_of_speech or c.part_of_speech is None)
            and (not by_reading or c.pronunciation == best.pronunciation)
        )

    same = [c for _, c in sorted(scored, key=lambda s: s[0]) if same_word(c)]
    return list(dict.fromkeys(same))


@lru_cache(maxsize=100_000)  # indexing asks for the same translations again and again
def _zipf(language: str, phrase: str) -> float:
    from wordfreq import zipf_frequency  # loaded on the first lookup, not at start-up

    # "go (somewhere)", "to eat": the words themselves, not the brackets or the "to".
    text = phrase.split("(")[0].strip()
    text = text.removeprefix("to ") if language == "en" else text
    try:
        zipf = zipf_frequency(text, language) if text else 0.0
    except (LookupError, ValueError):
        return 0.0
    # wordfreq rates a phrase near its commonest word ("get on" above "go"): a phrase is
    # rarer than that, and a one-word translation is what a learner wants first.
    return zipf - (len(text.split()) - 1)


def sense_weight(language: str, sense: str) -> float:
    """How common a sense's first translation is in `language` (Zipf, phrases lowered)."""
    return _zipf(language, (_items(sense) or [sense])[0])


def _trust(title: str) -> int:
    if " through " in title:
        return 2
    return 1 if title.endswith("reversed") else 0


def _items(sense: str) -> list[str]:
    return [item.strip() for item in sense.split(",") if item.strip()]


def to_entry(
    chosen: Sequence[Candidate],
    source: str,
    explain_in: str,
    *,
    bilingual: bool = True,
    reorder: bool = True,
) -> Entry | None:
    """One entry from the chosen candidates (see `choose`), or None when they have no
    sense. `bilingual`: senses are translations, ordered most common first when `reorder`
    (not for CC-CEDICT, whose glosses come in order of use already); otherwise (WordNet,
    whose senses are already ordered by frequency) the dictionary's order."""
    if not chosen:
        return None
    senses: list[str] = []
    origin: dict[str, str] = {}  # sense → the dictionary it came from
    weight: dict[str, float] = {}  # sense → Zipf of its first translation, when indexed
    for c in chosen:
        for k, sense in enumerate(c.senses):
            if sense and sense not in origin:
                senses.append(sense)
                origin[sense] = c.source
                if len(c.weights) == len(c.senses):
                    weight[sense] = c.weights[k]
    if not senses:
        return None
    # Merged dictionaries: a pair's own first, then lists read backwards, then those read
    # through another language (two steps, so the least sure).
    trust = {s: _trust(origin[s]) for s in senses}
    if bilingual and reorder:
        order = {s: i for i, s in enumerate(senses)}
        first = {s: weight[s] if s in weight else sense_weight(explain_in, s) for s in senses}
        # In half steps, so that near-equal frequencies keep the dictionary's order.
        senses.sort(key=lambda s: (trust[s], -round(first[s] * 2), order[s]))
    else:
        senses.sort(key=lambda s: trust[s])
    shown: list[str] = []  # the dictionaries of what the meaning line shows
    if bilingual:
        words: list[str] = []
        for sense in senses:
            for item in _items(sense):
                if item not in words and len(words) < MAX_WORDS:
                    words.append(item)
                    shown.append(origin[sense])
        meaning = ", ".join(words)
    else:
        meaning = senses[0]
        shown.append(origin[meaning])
    head = chosen[0]
    sources = [s for s in dict.fromkeys(shown) if s]
    return Entry(
        headword=head.headword,
        meaning=meaning,
        source=" and ".join(sources) if sources else source,
        part_of_speech=head.part_of_speech,
        pronunciation=next((c.pronunciation for c in chosen if c.pronunciation), None),
        gender=next((c.gender for c in chosen if c.gender), None),
        senses=senses[:MAX_SENSES],
    )
