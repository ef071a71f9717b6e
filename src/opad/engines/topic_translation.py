"""English topic words in Korean, Japanese and Chinese, for a learner who types "food"
into a Korean request.

Two sources, in order:

1. the installed dictionaries (`opad.dictionaries.Dictionaries.offline("en", word, code)`,
   the folders of OPAD_DICT_DIRS): an English→ko/ja/zh dictionary's translations, where
   one is installed (FreeDict has none of these pairs in Debian today; the dictionaries
   being added for ja/zh/ko translate the other way);
2. `topic_lexicon.tsv` beside this module: ~70 subjects news and the starter library are
   about, each with the head words a headline in that language uses (written for OPAD by
   hand and checked against the library's own bilingual topic tags; not a dictionary).

A word neither knows gets no translation: it is still looked for as written (the
library's tags carry English words), and a request with no match says so.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path

LEXICON = Path(__file__).with_name("topic_lexicon.tsv")
COLUMNS = ("en", "ko", "ja", "zh")
_SPLIT = re.compile(r"[,;/]")


@lru_cache(maxsize=1)
def lexicon() -> dict[str, dict[str, tuple[str, ...]]]:
    """English word (lower case) → language code → its words, from `topic_lexicon.tsv`."""
    out: dict[str, dict[str, tuple[str, ...]]] = {}
    for line in LEXICON.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        cells = line.split("\t")
        if len(cells) != len(COLUMNS):
            raise ValueError(f"{LEXICON.name}: expected {len(COLUMNS)} columns: {line!r}")
        by_code = {
            code: tuple(w.strip() for w in cell.split("/") if w.strip())
            for code, cell in zip(COLUMNS[1:], cells[1:], strict=True)
        }
        for english in cells[0].split("/"):
            out[english.strip().lower()] = by_code
    return out


def translations(code: str, english: str, folders: Sequence[Path] = ()) -> tuple[str, ...]:
    """Words of language `code` (ko, ja, zh) for the English topic word `english` (a
    lemma: "bear", "train"); () when neither source knows it."""
    found: list[str] = []
    if folders:
        found += _from_dictionaries(code, english.lower(), tuple(folders))
    found += lexicon().get(english.lower(), {}).get(code, ())
    return tuple(dict.fromkeys(found))


@lru_cache(maxsize=4096)
def _from_dictionaries(code: str, english: str, folders: tuple[Path, ...]) -> tuple[str, ...]:
    from opad.dictionaries import Dictionaries

    dictionaries = Dictionaries(list(folders))
    try:
        entry = dictionaries.offline("en", english, code)
    finally:
        dictionaries.close()
    if entry is None:
        return ()
    words = [w.strip() for w in _SPLIT.split(entry.meaning)]
    # Only the words themselves: no glosses in brackets, no phrases.
    return tuple(w for w in words if w and " " not in w and "(" not in w)
