"""Known words of a reading: which saved states count as known, and the share they make.

The running words and their lemmas come from the reading's typed body
(`ReadingBody.lemma_counts`: the words the reader shows, analyzed once by the worker);
services/known_share.py computes the same figure for many readings at once in SQL.
"""

from __future__ import annotations

from collections.abc import Mapping

# The states whose words count as known: known, and ignored (names, typos: nothing to learn).
KNOWN_STATES = ("known", "ignored")


def known_share(counts: Mapping[str, int], states: Mapping[str, str]) -> float | None:
    """The share (0–1) of running words whose lemma is known or ignored in `states`
    ({lemma: state}); None for a reading without words. The SQL in
    services/known_share.py computes the same figure for many readings at once."""
    total = sum(counts.values())
    if not total:
        return None
    return sum(n for lemma, n in counts.items() if states.get(lemma) in KNOWN_STATES) / total
