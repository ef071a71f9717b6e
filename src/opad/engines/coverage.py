"""Choosing passages by the learner's own words: a known-word coverage target.

Coverage is the share of a reading's running words the learner knows: words whose lemma
(or form) they saved as known, learning or ignored, with names and numbers counted as
known (a reader does not need to have learned "Berlin" or "2026"). Nation and Hu & Nation
(2000) put comfortable unassisted reading at 95–98% of running words known; a daily plan
asks for a target (default 95%).

The leveler's selection (engines/selection.py) aims each level at a mean difficulty; here
the same machinery aims at a mean *unknown share*: each unit's difficulty is replaced by
the share of its words the learner does not know, and runs of units are added, then
swapped, while they bring the whole reading's share closest to 1 − target. Units holding
words due for review look a little easier (DUE_PULL per due word), so of two otherwise
equal passages the one that brings a due word back is kept.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from opad.engines.band import closure, improve
from opad.engines.selection import _fill, units
from opad.engines.source_units import Sentence
from opad.text import words
from opad.text.estimator import LevelEstimator
from opad.text.kinds import counts_a_number, is_number_word, names

DUE_PULL = 0.01  # apparent unknown share taken off a unit per due word in it
MIN_KNOWN = 100  # fewer saved lemmas than this: too few to level by (level only)
SCALE = 0.05  # the selection's cost unit: five points of coverage


@dataclass(frozen=True)
class Counted:
    """Running words of a text, how many the learner knows, and the due lemmas met."""

    total: int
    known: int
    due: frozenset[str]

    @property
    def share(self) -> float | None:
        """Known share 0–1, None for a text without words."""
        return self.known / self.total if self.total else None


class Learner:
    """What the coverage counts against: known lemmas (lower-cased) and due ones."""

    def __init__(self, known: frozenset[str], due: frozenset[str]) -> None:
        self.known = known
        self.due = due


def count(
    code: str, text: str, estimator: LevelEstimator, learner: Learner, never: frozenset[str]
) -> Counted:
    """Running words of `text` and how many `learner` knows; `never` are the text's
    names (counted as known)."""
    total = known = 0
    due: set[str] = set()
    for word in words(code, text):
        total += 1
        if word in never or is_number_word(code, word) or counts_a_number(code, word, text):
            known += 1
            continue
        lemma = estimator.word(word).lemma.lower()
        if lemma in learner.known or word.lower() in learner.known:
            known += 1
        if lemma in learner.due:
            due.add(lemma)
    return Counted(total, known, frozenset(due))


def select_for_coverage(
    code: str,
    sentences: list[Sentence],
    estimator: LevelEstimator,
    length: int,
    tolerance: float,
    learner: Learner,
    target: float,
) -> list[Sentence]:
    """The sentences of a reading of about `length` words (at most `length * (1 +
    tolerance)`), in source order, whose known share is as close to `target` (0–1) as
    this source allows; the whole source when it is that short."""
    upper = length * (1 + tolerance)
    if sum(s.words for s in sentences) <= upper:
        return list(sentences)
    never = frozenset(names(code, "\n\n".join(s.text for s in sentences)))
    all_units = []
    for unit in units(code, sentences, estimator):
        counted = [count(code, s.text, estimator, learner, never) for s in unit.sentences]
        total = sum(c.total for c in counted)
        unknown = 1 - sum(c.known for c in counted) / total if total else 0.0
        due = len(frozenset().union(*(c.due for c in counted)))
        all_units.append(replace(unit, hardness=unknown - DUE_PULL * due))
    aim = 1 - target
    by_paragraph: dict[int, list[int]] = {}
    for i, unit in enumerate(all_units):
        by_paragraph.setdefault(unit.paragraph, []).append(i)
    everything = set(range(len(all_units)))
    chosen: set[int] = set()
    opening = closure(all_units, {0})
    if sum(all_units[i].words for i in opening) <= upper:
        chosen |= opening
    chosen = _fill(all_units, by_paragraph, chosen, everything, aim, SCALE, length, upper)
    chosen = improve(all_units, chosen, everything, aim, SCALE, length * (1 - tolerance / 2), upper)
    if not chosen:
        return [all_units[0].sentences[0]]
    return [s for i in sorted(chosen) for s in all_units[i].sentences]
