"""Word states, as in LingQ/LinguaCafe: new → learning 1–4 → known, or ignored."""

from __future__ import annotations

from enum import StrEnum


class WordState(StrEnum):
    NEW = "new"
    LEARNING = "learning"
    KNOWN = "known"
    IGNORED = "ignored"  # names, typos: never highlighted, never reviewed


# The reader's colour for a word: saved states, plus "unknown" for a word never saved.
UNKNOWN = "unknown"
MAX_STAGE = 4
REVIEWED = frozenset({WordState.NEW, WordState.LEARNING})


def normalize_stage(state: WordState, stage: int | None) -> int:
    """The stage stored with a state: 1–4 while learning (default 1), else 0."""
    if state is not WordState.LEARNING:
        return 0
    return min(MAX_STAGE, max(1, stage or 1))


def css_class(state: str, stage: int = 0) -> str:
    """The reader's CSS class for a word: `s-unknown`, `s-new`, `s-learning-2`, `s-known`…"""
    if state == WordState.LEARNING:
        return f"s-learning-{normalize_stage(WordState.LEARNING, stage)}"
    return f"s-{state}"
