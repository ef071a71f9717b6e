"""Recompute the vocabulary sizes behind every language's level cut-offs.

A learner at level L is taken to know as many lemmas as the English learner list (cefrpy)
puts at or below L among the lemmas of English's most frequent word forms. Run
`python -m opad.quality.calibrate` and copy its table into opad.text.levels.VOCABULARY_SIZE.
"""

from __future__ import annotations

from itertools import islice

from opad.levels import LEVEL_ORDER, Level
from opad.text.levels import english_list_level, lemma_ranks, ranked_lemmas


def vocabulary_sizes() -> dict[Level, int]:
    """Level → English lemmas (alphabetic, among the ranked ones) listed at or below it,
    for A1…C1 (C2 is open-ended)."""
    counts = dict.fromkeys(LEVEL_ORDER, 0)
    for lemma in islice(lemma_ranks("en"), ranked_lemmas("en")):  # lemmas come first
        if not lemma.isalpha():
            continue
        level = english_list_level(lemma)
        if level is not None:
            counts[level] += 1
    sizes: dict[Level, int] = {}
    total = 0
    for level in LEVEL_ORDER[:-1]:
        total += counts[level]
        sizes[level] = total
    return sizes


def main() -> None:
    """Print the table."""
    for level, size in vocabulary_sizes().items():
        print(f"    Level.{level.value}: {size},")


if __name__ == "__main__":
    main()
