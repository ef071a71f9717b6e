"""Chinese words with jieba (dictionary inside the wheel) and pinyin with pypinyin.

jieba builds a prefix dictionary on first use (~1 s) and caches it: we point that cache at
`<OPAD_DATA_DIR>/cache/` instead of the system temp folder (when the folder cannot be
written, jieba logs it and simply rebuilds next time). jieba 0.42 has invalid escape
sequences and uses pkg_resources, which warn on import: the import alone is done with
warnings silenced so strict warning settings (ours, in tests) do not turn them into errors.
"""

from __future__ import annotations

import contextlib
import logging
import warnings
from typing import Any

from opad.text.cjk.morpheme import Morpheme, chunks, load_once

_CACHE: dict[str, Any] = {}

# ICTCLAS tags (jieba.posseg) that are learnable: nouns, time and place nouns, verbs,
# verbal nouns, adjectives (and b, z: distinguishing and state words), adverbs and set
# phrases. Names (nr, ns, nt, nz), numerals (m),
# measure words (q), pronouns (r), particles (u, y), prepositions (p) and conjunctions (c)
# are not.
CONTENT_TAGS = frozenset(
    {
        "n",
        "ng",
        "t",
        "f",
        "s",
        "v",
        "vn",
        "vd",
        "vg",
        "a",
        "ad",
        "an",
        "ag",
        "b",
        "z",
        "d",
        "dg",
        "i",
        "l",
    }
)


def import_jieba() -> Any:
    """The jieba module, imported with its import-time warnings silenced."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        import jieba
        import jieba.posseg
    return jieba


def _pos_tokenizer() -> Any:
    def build() -> Any:
        from opad.settings import get_settings

        jieba = import_jieba()
        jieba.setLogLevel(logging.WARNING)
        tk = jieba.Tokenizer()
        cache_dir = get_settings().data_path / "cache"
        # A read-only data dir only costs time: jieba then rebuilds its dictionary each start.
        with contextlib.suppress(OSError):
            cache_dir.mkdir(parents=True, exist_ok=True)
        tk.tmp_dir = str(cache_dir)
        tk.cache_file = "jieba.cache"
        tk.initialize()
        return jieba.posseg.POSTokenizer(tk)

    return load_once(_CACHE, "posseg", build)


def pinyin(word: str) -> str:
    """Tone-marked pinyin of `word`, syllables separated by spaces (图书馆 → tú shū guǎn)."""
    from pypinyin import Style, lazy_pinyin

    return " ".join(lazy_pinyin(word, style=Style.TONE))


def analyze(text: str) -> list[Morpheme]:
    """Words of NFC `text` with spans, pinyin readings and content flags (lemma = word)."""
    out: list[Morpheme] = []
    for offset, piece in chunks(text):
        pos = offset
        for pair in _pos_tokenizer().cut(piece):
            word, flag = str(pair.word), str(pair.flag)
            start, end = pos, pos + len(word)
            pos = end
            if not word.strip():
                continue
            han = any("\u3400" <= c <= "\u9fff" for c in word)
            reading = pinyin(word) if han else ""
            out.append(
                Morpheme(word, start, end, word, reading, flag, flag in CONTENT_TAGS and han)
            )
    return out
