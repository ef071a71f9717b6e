"""Sentences of a paragraph."""

from __future__ import annotations

import re

from opad.text.normalize import normalize

_ABBREV_RE = re.compile(r"^(?:\w{1,3}\.)+$")


def split_sentences(code: str, text: str) -> list[str]:
    """Sentences of one paragraph (normalized), keeping abbreviations with what follows."""
    import simplemma  # heavy: loaded on first use

    parts = [p.strip() for p in simplemma.split_sentences(normalize(text)) if p.strip()]
    merged: list[str] = []
    carry = ""
    for part in parts:
        if _ABBREV_RE.match(part):
            carry = f"{carry}{part} "
            continue
        merged.append(carry + part)
        carry = ""
    if carry:
        merged.append(carry.strip())
    return merged
