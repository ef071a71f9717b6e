"""A source's sentences and the units that selection keeps or drops whole.

Both `selection` (which builds the units and chooses among them) and `band` (which
units a level chooses from, and the swaps) work on these; they sit here, below both.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Sentence:
    """One sentence of the source: its position, paragraph, text and word count."""

    index: int
    paragraph: int
    text: str
    words: int


@dataclass(frozen=True)
class Unit:
    """Sentences kept or dropped together (a sentence with what it cannot go without),
    their words and difficulty, and the other units it needs (by index)."""

    sentences: tuple[Sentence, ...]
    words: int
    hardness: float  # word-weighted mean of its sentences' difficulty
    needs: frozenset[int] = frozenset()  # earlier (or answer) units it is kept only with
    needs_one: tuple[frozenset[int], ...] = ()  # … and one unit of each of these

    @property
    def paragraph(self) -> int:
        """The paragraph of its first sentence."""
        return self.sentences[0].paragraph
