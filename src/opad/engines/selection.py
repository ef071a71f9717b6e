"""Choosing the sentences of a reading: whole units a reader can follow, at the level asked.

A *unit* is a sentence together with the ones that lean on it (a following sentence that
opens with a pronoun, demonstrative or connective, or a quotation introduced by a colon),
so a kept sentence never points at a dropped one. Units are chosen in *runs* (consecutive
units of one paragraph, up to the whole paragraph), so the reading keeps paragraphs rather
than a wall of one-sentence paragraphs. The opening unit, which introduces the topic, is
always kept.

Each level aims at its own mean difficulty: A1 the easiest reading of that length the
source allows, C2 the hardest and richest (longer sentences, rarer words), the levels
between at even steps from one to the other; runs are added while they bring the whole
reading closest to that aim. So the six levels differ as far as one source allows, and A1
and C2 share little beyond the opening.
"""

from __future__ import annotations

from opad.engines.band import OUTSIDE, band, closure, improve
from opad.engines.source_units import Sentence, Unit
from opad.levels import Level
from opad.text.cohesion import depends_on_previous
from opad.text.discourse import QUOTE_MARKS, is_question, mentions, needs
from opad.text.estimator import LevelEstimator
from opad.text.kinds import abbreviations, is_number_word, names

# Cost offsets, in fractions of the distance between the easiest and the hardest reading
# the source allows (see `select`): small, so the level decides and these break near-ties.
_SINGLE_SENTENCE = 0.08  # a lone sentence taken out of a longer paragraph
_WHOLE_PARAGRAPH = -0.04  # a whole paragraph, as its author wrote it
_NEXT_TO_KEPT = -0.06  # continues a paragraph already in the reading
_OWN = 0.3  # weight of a run's own distance from the level's aim
_WIDEN = (0.0, 0.15, 0.3, 1.0)  # how much wider each next try of a level's band is


def difficulty(
    estimator: LevelEstimator, text: str, words: int, skip: frozenset[str] = frozenset()
) -> float:
    """A level-free difficulty of one sentence: mean CEFR rank of its words (0 = A1 …
    5 = C2), plus the share of words above B1, plus its length and its words' length
    (what readability formulas weigh: ~+0.6 for a 20-word sentence, +0.15 per letter a
    word is longer than five; Japanese: its kanji share), so the levels differ on those
    measures too. Words in `skip` (names, abbreviations) and numbers written as words do
    not count: a sentence is not hard for naming someone."""
    code = estimator.code
    infos = [
        i for i in estimator.words(text) if i.word not in skip and not is_number_word(code, i.word)
    ]
    # Korean, Japanese and Chinese count characters: about three to a word.
    if code == "ko":  # eojeol, the unit Korean readability counts
        length = 0.05 * len(text.split())
    else:
        length = 0.02 * words if code in ("ja", "zh") else 0.025 * words
    if not infos:
        return length
    mean_rank = sum(i.level.rank for i in infos) / len(infos)
    above = sum(1 for i in infos if i.level.rank > Level.B1.rank) / len(infos)
    if code == "ja":
        kana_or_kanji = [c for c in text if "\u3040" <= c <= "\u30ff" or "\u4e00" <= c <= "\u9fff"]
        shape = 3 * sum(c >= "\u4e00" for c in kana_or_kanji) / max(len(kana_or_kanji), 1)
    elif code == "zh":
        shape = 0.0
    else:
        letters = sum(len(i.word) for i in infos) / len(infos)
        shape = (0.5 if code == "ko" else 0.15) * max(letters - (2 if code == "ko" else 5), 0.0)
    return mean_rank + 1.5 * above + length + shape


# At 600 words and over, the share of the length a lower level keeps: a long reading at A1
# made of nearly the whole source would be the source, not an A1 reading.
_YIELD = {Level.A1: 0.6, Level.A2: 0.7, Level.B1: 0.85}
LONG = 600


def level_length(level: Level, length: int) -> int:
    """The length the selection aims at for `level`: `length`, or less for A1–B1 at
    LONG words and over (the length yields to the level; the engine says so)."""
    return round(length * _YIELD.get(level, 1.0)) if length >= LONG else length


def units(code: str, sentences: list[Sentence], estimator: LevelEstimator) -> list[Unit]:
    """The source's sentences grouped into units (see the module docstring)."""
    whole = "\n\n".join(s.text for s in sentences)
    skip = frozenset(names(code, whole) | abbreviations(code, whole))
    groups: list[list[Sentence]] = []
    for n, sentence in enumerate(sentences):
        earlier = [s.text for s in sentences[max(0, n - 3) : n]]
        leans = groups and (
            depends_on_previous(code, sentence.text, earlier) or groups[-1][-1].text.endswith(":")
        )
        if leans:
            groups[-1].append(sentence)
        else:
            groups.append([sentence])
    unit_of = {s.index: n for n, group in enumerate(groups) for s in group}
    pairs = [(s.paragraph, s.text) for s in sentences]
    ties, named = needs(code, pairs), mentions(code, pairs)
    out = []
    for n, group in enumerate(groups):
        words = sum(s.words for s in group)
        hard = sum(difficulty(estimator, s.text, s.words, skip) * s.words for s in group) / max(
            words, 1
        )
        wanted = {unit_of[sentences[j].index] for s in group for j in ties.get(s.index, ())}
        options = [
            frozenset(unit_of[sentences[j].index] for j in choice)
            for s in group
            for choice in named.get(s.index, ())
        ]
        one = tuple(o for o in options if n not in o)
        out.append(Unit(tuple(group), words, hard, frozenset(wanted - {n}), one))
    return out


def _extreme(all_units: list[Unit], length: int, upper: float, *, hardest: bool) -> float:
    """Mean difficulty of the easiest (or hardest) reading of about `length` words: the
    opening unit, then units by difficulty while they fit."""
    first = all_units[0]
    total, weighted = (
        (first.words, first.hardness * first.words) if first.words <= upper else (0, 0.0)
    )
    for unit in sorted(all_units[1:], key=lambda u: u.hardness, reverse=hardest):
        if total >= length:
            break
        if total + unit.words <= upper:
            total += unit.words
            weighted += unit.hardness * unit.words
    return weighted / total if total else first.hardness


def select(
    code: str,
    sentences: list[Sentence],
    estimator: LevelEstimator,
    level: Level,
    length: int,
    tolerance: float,
) -> list[Sentence]:
    """The sentences of a reading of about `length` words (never more than
    `length * (1 + tolerance)`), in source order; all of them when the source is short."""
    length = level_length(level, length)
    upper = length * (1 + tolerance)
    if sum(s.words for s in sentences) <= upper:
        return list(sentences)
    all_units = units(code, sentences, estimator)
    # The easiest and the hardest reading this source allows at this length; the six
    # levels aim at even steps between them, so they differ as much as the source allows.
    low = _extreme(all_units, length, upper, hardest=False)
    high = _extreme(all_units, length, upper, hardest=True)
    target = low + (high - low) * level.rank / 5
    scale = max(high - low, 0.05)
    by_paragraph: dict[int, list[int]] = {}
    for i, unit in enumerate(all_units):
        by_paragraph.setdefault(unit.paragraph, []).append(i)

    chosen: set[int] = set()
    # The opening unit introduces the topic; if it is too long, its first sentence.
    first = all_units[0]
    opening = closure(all_units, {0})
    if sum(all_units[i].words for i in opening) <= upper:
        chosen |= opening
    # Each level chooses from its own band of the source's units by difficulty (A1 the
    # easiest, C2 the hardest; see engines/band.py); only when its band cannot fill the
    # length does it take from the rest.
    start = set(chosen)
    for widen in _WIDEN:
        allowed = band(all_units, start, level, length, widen)
        chosen = _fill(all_units, by_paragraph, start, allowed, target, scale, length, upper)
        if sum(all_units[i].words for i in chosen) >= length * (1 - tolerance / 2):
            break
    chosen = improve(all_units, chosen, allowed, target, scale, length * (1 - tolerance / 2), upper)
    if not chosen:  # even the opening unit is longer than the reading: cut inside it
        kept: list[Sentence] = []
        for sentence in first.sentences:
            if sum(s.words for s in kept) + sentence.words > upper:
                break
            kept.append(sentence)
        return kept or [first.sentences[0]]
    return [s for i in sorted(chosen) for s in all_units[i].sentences]


def _fill(
    all_units: list[Unit],
    by_paragraph: dict[int, list[int]],
    chosen: set[int],
    pool: set[int],
    target: float,
    scale: float,
    length: int,
    upper: float,
) -> set[int]:
    """Add runs of units from `pool` (with what they need) while the reading is shorter
    than `length`, each time the run that brings it closest to the level's aim."""
    chosen = set(chosen)
    total = sum(all_units[i].words for i in chosen)
    weighted_total = sum(all_units[i].hardness * all_units[i].words for i in chosen)
    while total < length:
        best: tuple[float, int, int] | None = None
        for members in by_paragraph.values():
            paragraph_sentences = sum(len(all_units[i].sentences) for i in members)
            for a in range(len(members)):
                words = 0
                weighted = 0.0
                n_sentences = 0
                added: set[int] = set()
                for b in range(a, len(members)):
                    if members[b] in chosen or members[b] not in pool:
                        break
                    # A unit comes with what it needs (its question, its speaker, …).
                    for i in (
                        closure(all_units, {members[b]}, chosen | added, target) - chosen - added
                    ):
                        added.add(i)
                        unit = all_units[i]
                        words += unit.words
                        weighted += unit.hardness * unit.words
                        n_sentences += len(unit.sentences)
                    if total + words > upper:
                        break
                    # How far the whole reading would be from the level's target.
                    mean = (weighted_total + weighted) / (total + words)
                    # Late additions barely move the mean, so the run's own distance
                    # from the aim counts too: A1 keeps taking easy units to the end.
                    own = weighted / words
                    cost = (abs(mean - target) + _OWN * abs(own - target)) / scale
                    # Units the run needs from outside the level's band (another level's
                    # sentences, kept only for what they introduce).
                    cost += OUTSIDE * len(added - pool)
                    if n_sentences == 1 and paragraph_sentences > 1:
                        cost += _SINGLE_SENTENCE
                    if a == 0 and b == len(members) - 1:
                        cost += _WHOLE_PARAGRAPH
                    if (members[a] - 1 in chosen) or (members[b] + 1 in chosen):
                        cost += _NEXT_TO_KEPT
                    key = (cost, members[a], members[b])
                    if best is None or key < best:
                        best = key
        if best is None:
            break
        run = set(range(best[1], best[2] + 1)) & set(_members_between(by_paragraph, best))
        for i in closure(all_units, run, chosen, target) - chosen:
            chosen.add(i)
            total += all_units[i].words
            weighted_total += all_units[i].hardness * all_units[i].words
    return chosen


def _members_between(by_paragraph: dict[int, list[int]], best: tuple[float, int, int]) -> list[int]:
    """The units of the run `best` (cost, first unit, last unit) within its paragraph."""
    for members in by_paragraph.values():
        if best[1] in members:
            return [i for i in members if best[1] <= i <= best[2]]
    return []


def paragraphs(
    kept: list[Sentence], sentences: list[Sentence], code: str = "en"
) -> list[list[str]]:
    """The kept sentences as paragraphs. A paragraph cut down to one sentence joins the
    next kept paragraph (or the one before), so the reading is not a wall of
    one-sentence paragraphs; a paragraph that was one sentence in the source stays so.
    Nothing from another paragraph is glued after a quote (another quote would seem to be
    this speaker's, and narration after it reads as the speaker's setting: „…“, erzählte
    Yusuf Demir. Hunde müssen an der Leine bleiben.); a lone quote that cannot join the
    next paragraph closes the one before. An interview question joins nothing."""
    in_source: dict[int, int] = {}
    for s in sentences:
        in_source[s.paragraph] = in_source.get(s.paragraph, 0) + 1
    groups: list[tuple[int, list[Sentence]]] = []
    for s in kept:
        if not groups or groups[-1][0] != s.paragraph:
            groups.append((s.paragraph, []))
        groups[-1][1].append(s)
    merged: list[list[Sentence]] = []
    carry: list[Sentence] = []
    for number, group in groups:
        if carry and _apart(code, carry, group):
            if merged and not _apart(code, merged[-1], carry):
                merged[-1].extend(carry)  # a lone quote may close the paragraph before
            else:
                merged.append(carry)
            carry = []
        group = carry + group
        carry = []
        if len(group) == 1 and in_source[number] > 1:
            carry = group
            continue
        merged.append(group)
    if carry:
        if merged and not _apart(code, merged[-1], carry):
            merged[-1].extend(carry)
        else:
            merged.append(carry)
    return [[s.text for s in group] for group in merged]


def _apart(code: str, a: list[Sentence], b: list[Sentence]) -> bool:
    """Whether two paragraphs' pieces must stay separate paragraphs (see `paragraphs`)."""

    def quotes(group: list[Sentence]) -> bool:
        return any(ch in QUOTE_MARKS for s in group for ch in s.text)

    def asks(group: list[Sentence]) -> bool:
        return is_question(code, " ".join(s.text for s in group))

    return quotes(a) or asks(a) or asks(b)
