"""The shapes shared by the Korean, Japanese and Chinese analyzers, and the loader lock."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import TypeVar

T = TypeVar("T")

_LOCK = threading.Lock()


@dataclass(frozen=True)
class Morpheme:
    """One unit of analysis: `text[start:end] == surface` in the NFC text.

    `lemma` is the dictionary form a learner looks up (먹다, 食べる, 图书馆); `reading` is
    hiragana (Japanese), tone-marked pinyin (Chinese) or "" (Korean, written as read);
    `pos` is the analyzer's tag (Sejong for Korean, UniDic/Sudachi for Japanese, ICTCLAS
    for Chinese); `is_content` is True only for learnable words: nouns, verbs, adjectives
    and adverbs — never particles, endings, auxiliaries, punctuation, numbers or names.
    """

    surface: str
    start: int
    end: int
    lemma: str
    reading: str
    pos: str
    is_content: bool


def grammatical_form(code: str, group: Sequence[Morpheme]) -> str:
    """A word's grammatical form from its morphemes' tags: "head+last" ("NNG+JKS", a noun
    with a subject particle); the head is the first content morpheme; Japanese tags keep
    their first level only. "" for no morphemes. Cloze options must share it."""
    if not group:
        return ""
    head = next((m for m in group if m.is_content), group[0])
    last = _first_level(code, group[-1].pos) if len(group) > 1 else ""
    return f"{_first_level(code, head.pos)}+{last}"


def _first_level(code: str, pos: str) -> str:
    return pos.split(",")[0] if code == "ja" else pos


def load_once(cache: dict[str, T], key: str, build: Callable[[], T]) -> T:
    """`cache[key]`, built by `build()` once per process even when threads race for it."""
    if key in cache:
        return cache[key]
    with _LOCK:
        if key not in cache:
            cache[key] = build()
        return cache[key]


def chunks(text: str, limit: int = 4000) -> Iterator[tuple[int, str]]:
    """(offset, piece) of `text` cut at line ends, then sentence ends, at most `limit` chars.

    Analyzers have input limits (Sudachi refuses ~49 KB of UTF-8 at once) and long inputs
    cost memory; cutting at line or sentence ends never cuts a word.
    """
    start = 0
    while start < len(text):
        end = min(len(text), start + limit)
        if end < len(text):
            window = text[start:end]
            cut = max(window.rfind("\n"), *(window.rfind(c) for c in "。！？.!?"))
            if cut > 0:
                end = start + cut + 1
        yield start, text[start:end]
        start = end


def is_kana_only(word: str) -> bool:
    """Whether a Japanese word has no kanji (hiragana, katakana, ー, or anything else that
    is no kanji: Latin letters, digits). It is read as written, so it has no reading: no
    furigana over kana (ケーキ, たべる)."""
    return not any("\u3400" <= c <= "\u9fff" or c in "々〆" for c in word)
