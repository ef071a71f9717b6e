"""The hand-checked lemma list (issue 27, item 4): at least 40 words per shipped
language, each with the lemma a learner looks up — the issue's Herde/pasas/Gärtner/
umgestürzte among them, and the kinds of fault they stand for (feminine nouns in -e,
verb forms read as plurals, nouns given verbs, adjectives given nouns, participles)."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from opad.text import lemma

LIST = Path(__file__).with_name("data") / "lemmas.tsv"
SHIPPED = ("en", "de", "es", "fr", "it", "pt", "ko", "ja", "zh")


def _rows() -> list[tuple[str, str, tuple[str, ...]]]:
    rows = []
    for line in LIST.read_text(encoding="utf-8").splitlines():
        if line.startswith("#") or not line.strip():
            continue
        code, word, wanted = line.split("\t")
        rows.append((code, word, tuple(wanted.split("|"))))
    return rows


def test_every_shipped_language_has_forty_checked_words() -> None:
    counts = Counter(code for code, _, _ in _rows())
    assert all(counts[code] >= 40 for code in SHIPPED), counts


@pytest.mark.parametrize("code", SHIPPED)
def test_each_word_has_its_lemma(code: str) -> None:
    wrong = [
        (word, lemma(code, word), wanted)
        for c, word, wanted in _rows()
        if c == code and lemma(code, word) not in wanted
    ]
    assert not wrong, wrong
