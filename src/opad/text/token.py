"""The shape of one word found in a text, shared by `opad.text.tokens` and `opad.text.cjk`
(a module of its own, so the CJK analyzers need not import the Latin-script tokenizer)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Token:
    """One word of a text: `text[start:end] == word` in the normalized text."""

    word: str
    start: int
    end: int
    lemma: str
