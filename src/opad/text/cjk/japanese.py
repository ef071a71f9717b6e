"""Japanese morphemes with SudachiPy + SudachiDict-core (dictionary inside the wheel).

Split mode C (long units) keeps the words a learner looks up whole — 図書館, not
図書 + 館 — and Sudachi returns offsets, dictionary forms in the text's own spelling
(食べました → 食べる, ご飯 stays ご飯; a proper noun's lemma is its surface form, never a
katakana reading) and readings, which we give in hiragana as furigana are written.
"""

from __future__ import annotations

import threading
from typing import Any

from opad.text.cjk.morpheme import Morpheme, chunks, load_once

_CACHE: dict[str, Any] = {}
# SudachiPy tokenizers are not safe to share between threads: one per thread, one
# dictionary (the 190 MB part) per process.
_LOCAL = threading.local()

# Part-of-speech (UniDic scheme, first two levels) that is learnable.
CONTENT_POS = ("名詞", "動詞", "形容詞", "形状詞", "副詞")
NOT_CONTENT_POS2 = ("固有名詞", "数詞")


def _tokenizer() -> Any:
    tok = getattr(_LOCAL, "tokenizer", None)
    if tok is None:

        def build() -> Any:
            from sudachipy import Dictionary

            return Dictionary(dict="core")

        from sudachipy import SplitMode

        tok = load_once(_CACHE, "dictionary", build).tokenizer(mode=SplitMode.C)
        _LOCAL.tokenizer = tok
    return tok


def hiragana(kana: str) -> str:
    """Katakana → hiragana (the two blocks are 0x60 apart; ー and others are kept)."""
    return "".join(chr(ord(c) - 0x60) if "ァ" <= c <= "ヶ" else c for c in kana)


def analyze(text: str) -> list[Morpheme]:
    """Morphemes of NFC `text` with spans, dictionary forms, hiragana readings and flags.

    Verbs and adjectives that only help the verb before them (来て**いる**, 食べて**みる**:
    Sudachi's 非自立可能 after the particle て/で) are not content.
    """
    out: list[Morpheme] = []
    for offset, piece in chunks(text):
        for m in _tokenizer().tokenize(piece):
            pos = m.part_of_speech()
            start, end = offset + m.begin(), offset + m.end()
            if start == end or pos[0] == "空白":
                continue
            content = pos[0] in CONTENT_POS and pos[1] not in NOT_CONTENT_POS2
            prev = out[-1] if out else None
            if (
                content
                and pos[1] == "非自立可能"
                and prev is not None
                and prev.pos.startswith("助詞")
                and prev.surface in ("て", "で")
            ):
                content = False
            surface = text[start:end]
            lemma = m.dictionary_form() or surface
            reading = hiragana(m.reading_form()) if pos[0] not in ("補助記号", "記号") else ""
            out.append(Morpheme(surface, start, end, lemma, reading, ",".join(pos[:2]), content))
    return out
