"""Choosing the sentences of a reading: whole units a reader can follow, at the level asked.

A *unit* is a sentence together with the ones that lean on it (a following sentence that
opens with a pronoun, demonstrative or connective, or a quotation introduced by a colon),
so a kept sentence never points at a dropped one. Units are chosen in *runs* (consecutive
units of one paragraph, up to the whole paragraph), so the reading keeps paragraphs rather
than a wall of one-sentence paragraphs. The opening unit, which introduces the topic, is
always kept.

Each level aims at its own part of the source's difficulty range: A1 the easiest units,
C2 the hardest and richest (longer sentences, rarer words), the levels between at even
steps (the 0th, 20th, … 100th percentile of unit difficulty, weighted by words). So the six
levels differ as far as one source allows, and A1 and C2 share little beyond the opening.
"""

from __future__ import annotations

from dataclasses import dataclass

from opad.engines.leveling import LevelEstimator
from opad.levels import Level
from opad.text.cohesion import depends_on_previous

# Cost offsets, in fractions of the source's difficulty spread (see `select`).
_SINGLE_SENTENCE = 0.25  # a lone sentence taken out of a longer paragraph
_WHOLE_PARAGRAPH = -0.15  # a whole paragraph, as its author wrote it
_NEXT_TO_KEPT = -0.2  # continues a paragraph already in the reading


@dataclass(frozen=True)
class Sentence:
    """One sentence of the source: its position, paragraph, text and word count."""

    index: int
    paragraph: int
    text: str
    words: int


@dataclass(frozen=True)
class _Unit:
    sentences: tuple[Sentence, ...]
    words: int
    hardness: float  # word-weighted mean of its sentences' difficulty

    @property
    def paragraph(self) -> int:
        return self.sentences[0].paragraph


def difficulty(estimator: LevelEstimator, text: str, words: int) -> float:
    """A level-free difficulty of one sentence: mean CEFR rank of its words (0 = A1 …
    5 = C2), plus the share of words above B1, plus a little for length (20 words ≈ +0.8).
    """
    infos = estimator.words(text)
    if not infos:
        return 0.0
    mean_rank = sum(i.level.rank for i in infos) / len(infos)
    above = sum(1 for i in infos if i.level.rank > Level.B1.rank) / len(infos)
    return mean_rank + 1.5 * above + 0.04 * words


def units(code: str, sentences: list[Sentence], estimator: LevelEstimator) -> list[_Unit]:
    """The source's sentences grouped into units (see the module docstring)."""
    groups: list[list[Sentence]] = []
    for sentence in sentences:
        leans = groups and (
            depends_on_previous(code, sentence.text) or groups[-1][-1].text.endswith(":")
        )
        if leans:
            groups[-1].append(sentence)
        else:
            groups.append([sentence])
    out = []
    for group in groups:
        words = sum(s.words for s in group)
        hard = sum(difficulty(estimator, s.text, s.words) * s.words for s in group) / max(words, 1)
        out.append(_Unit(tuple(group), words, hard))
    return out


def _quantile(values: list[tuple[float, int]], q: float) -> float:
    """The word-weighted `q` quantile of (value, weight) pairs."""
    ordered = sorted(values)
    total = sum(w for _, w in ordered)
    seen = 0
    for value, weight in ordered:
        seen += weight
        if seen >= q * total:
            return value
    return ordered[-1][0]


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
    upper = length * (1 + tolerance)
    if sum(s.words for s in sentences) <= upper:
        return list(sentences)
    all_units = units(code, sentences, estimator)
    pairs = [(u.hardness, u.words) for u in all_units]
    target = _quantile(pairs, level.rank / 5)
    spread = max(_quantile(pairs, 0.9) - _quantile(pairs, 0.1), 0.1)
    by_paragraph: dict[int, list[int]] = {}
    for i, unit in enumerate(all_units):
        by_paragraph.setdefault(unit.paragraph, []).append(i)

    chosen: set[int] = set()
    total = 0
    # The opening unit introduces the topic; if it is too long, its first sentence.
    first = all_units[0]
    if first.words <= upper:
        chosen.add(0)
        total = first.words
    while total < length:
        best: tuple[float, int, int] | None = None
        for members in by_paragraph.values():
            for a in range(len(members)):
                words = 0
                weighted = 0.0
                for b in range(a, len(members)):
                    unit = all_units[members[b]]
                    if members[b] in chosen:
                        break
                    words += unit.words
                    weighted += unit.hardness * unit.words
                    if total + words > upper:
                        break
                    cost = abs(weighted / words - target) / spread
                    span = members[a : b + 1]
                    n_sentences = sum(len(all_units[i].sentences) for i in span)
                    paragraph_sentences = sum(len(all_units[i].sentences) for i in members)
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
        for i in range(best[1], best[2] + 1):
            chosen.add(i)
            total += all_units[i].words
    if not chosen:  # even the opening unit is longer than the reading: cut inside it
        kept: list[Sentence] = []
        for sentence in first.sentences:
            if sum(s.words for s in kept) + sentence.words > upper:
                break
            kept.append(sentence)
        return kept or [first.sentences[0]]
    return [s for i in sorted(chosen) for s in all_units[i].sentences]


def paragraphs(kept: list[Sentence], sentences: list[Sentence]) -> list[list[str]]:
    """The kept sentences as paragraphs. A paragraph cut down to one sentence joins the
    next kept paragraph (or the one before), so the reading is not a wall of
    one-sentence paragraphs; a paragraph that was one sentence in the source stays so."""
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
        group = carry + group
        carry = []
        if len(group) == 1 and in_source[number] > 1:
            carry = group
            continue
        merged.append(group)
    if carry:
        if merged:
            merged[-1].extend(carry)
        else:
            merged.append(carry)
    return [[s.text for s in group] for group in merged]
