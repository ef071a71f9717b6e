"""Clickable words, sentences and lengths for ko/ja/zh, built on the analyzers' morphemes.

**The clickable word.** A learner clicks what they see as a word and expects its
dictionary entry. A token is therefore one content morpheme *with the grammar attached to
it in writing*: Korean particles and endings (시장에 → lemma 시장, 갔어요 → 가다, written
together in one eojeol), Japanese auxiliaries and suffixes (食べました → 食べる). Two
content words in one eojeol stay two clicks (노인복지관 → 노인 | 복지관). Japanese particles
(を, が, に) are written as their own words and stay their own (non-content) tokens. A
Chinese token is one jieba word. Punctuation and numbers are never tokens.

**Length.** `count_units` counts letters (Han characters, kana, Hangul syllables, Latin
letters), not spaces, punctuation or digits. Japanese and Chinese have no spaces to count
words by, and their writers, publishers and exams count characters (字数, 文字数);
Korean spaces delimit eojeol (word + particles), whose count depends on spacing habits, and
Korean writing tasks (e.g. TOPIK's 600–700자 essay) also count characters. Digits are left
out as numbers are left out of word counts in the other languages.
"""

from __future__ import annotations

import regex

from opad.text.cjk.morpheme import Morpheme, is_kana_only
from opad.text.normalize import normalize
from opad.text.token import Token

CJK_CODES = ("ko", "ja", "zh")

_LETTER = regex.compile(r"\p{L}")
_ALNUM = regex.compile(r"[A-Za-z0-9]+")
_OPEN = "「『“‘（(〈《【"
_CLOSE = "」』”’）)〉》】"
_END = "。！？!?．"


def analyze(code: str, text: str) -> list[Morpheme]:
    """Every morpheme of `normalize(text)` (punctuation included) for `code` in ko/ja/zh.

    Raises ValueError for any other code.
    """
    norm = normalize(text)
    if code == "ko":
        from opad.text.cjk import korean

        return korean.analyze(norm)
    if code == "ja":
        from opad.text.cjk import japanese

        return japanese.analyze(norm)
    if code == "zh":
        from opad.text.cjk import chinese

        return chinese.analyze(norm)
    raise ValueError(f"not a Korean, Japanese or Chinese language code: {code!r}")


def _attaches(code: str, m: Morpheme) -> bool:
    """Whether `m` is written as part of the word before it."""
    if code == "ko":
        return m.pos[0] in "JE" or m.pos in ("XSN", "XSV", "XSA", "VCP", "VCN")
    if code == "ja":
        return m.pos.startswith(("助動詞", "接尾辞"))
    return False


def _prefix(code: str, m: Morpheme) -> bool:
    return (code == "ko" and m.pos == "XPN") or (code == "ja" and m.pos.startswith("接頭辞"))


def token_groups(code: str, text: str) -> list[tuple[Token, list[Morpheme]]]:
    groups: list[list[Morpheme]] = []
    open_prefix = False
    prev: Morpheme | None = None
    for m in analyze(code, text):
        # Latin letters and digits written together are one word (5G, COVID19, iPhone15),
        # however the analyzer cut them.
        if (
            prev is not None
            and prev.end == m.start
            and _ALNUM.fullmatch(m.surface)
            and (_ALNUM.fullmatch(prev.surface))
        ):
            if groups and groups[-1] and groups[-1][-1] is prev:
                groups[-1].append(m)
            else:
                groups[-1:] = [[prev, m]]
            prev = m
            continue
        prev = m
        if not _LETTER.search(m.surface):
            open_prefix = False
            groups.append([])  # punctuation, numbers: nothing attaches across them
            continue
        adjacent = bool(groups and groups[-1] and groups[-1][-1].end >= m.start)
        if adjacent and (open_prefix or _attaches(code, m)):
            groups[-1].append(m)
        else:
            groups.append([m])
        open_prefix = _prefix(code, m)
    norm = normalize(text)
    out: list[tuple[Token, list[Morpheme]]] = []
    last_end = 0
    for group in groups:
        if not group:
            continue
        start, end = max(group[0].start, last_end), max(m.end for m in group)
        if start >= end:
            continue
        head = next((m for m in group if m.is_content), group[0])
        latin = all(_ALNUM.fullmatch(m.surface) for m in group)
        lemma = norm[start:end] if latin else head.lemma
        if not _LETTER.search(norm[start:end]):
            continue  # digits alone are a number, not a word
        out.append((Token(norm[start:end], start, end, lemma), group))
        last_end = end
    return out


def tokenize(code: str, text: str) -> list[Token]:
    """The clickable words of `text`: spans into `normalize(text)`, lemma = dictionary form."""
    return [token for token, _ in token_groups(code, text)]


def readings(code: str, text: str) -> list[tuple[Token, str]]:
    """`tokenize(code, text)` with how each token is read, for furigana/pinyin on demand.

    Japanese: hiragana of the written form (食べました → たべました), "" for a word in kana
    (ケーキ: read as written); Chinese: tone-marked
    pinyin (图书馆 → tú shū guǎn); Korean: "" (Hangul is read as written).
    """
    sep = " " if code == "zh" else ""
    return [
        (
            t,
            ""
            if code == "ja" and is_kana_only(t.word)
            else sep.join(m.reading for m in group if m.reading),
        )
        for t, group in token_groups(code, text)
    ]


def words(code: str, text: str) -> list[str]:
    """The clickable words of `text`, in order."""
    return [t.word for t in tokenize(code, text)]


def lemma(code: str, word: str) -> str:
    """The dictionary form of one word (갔어요 → 가다; the word itself when none is found)."""
    tokens = tokenize(code, word)
    return tokens[0].lemma if tokens else normalize(word)


def count_units(code: str, text: str) -> int:
    """Length of `text` in characters: letters only (no spaces, punctuation or digits)."""
    return len(_LETTER.findall(normalize(text)))


def split_sentences(code: str, text: str) -> list[str]:
    """Sentences of one paragraph of `normalize(text)`, quotations kept with their sentence.

    Korean: Kiwi's splitter. Japanese and Chinese: a sentence ends at 。！？ outside any
    quotation or bracket; a quotation that ends a sentence (「…。」) ends it only when a new
    quotation, a line break or the end follows — otherwise the reporting clause
    (「…。」と言った, “…。”他说) stays with it.
    """
    norm = normalize(text)
    if code == "ko":
        from opad.text.cjk import korean

        return korean.split_sentences(norm)
    if code not in CJK_CODES:
        raise ValueError(f"not a Korean, Japanese or Chinese language code: {code!r}")
    out: list[str] = []
    depth, start, i = 0, 0, 0
    while i < len(norm):
        c = norm[i]
        if c in _OPEN or (c == '"' and depth == 0):
            depth += 1
        elif c in _CLOSE or c == '"':
            depth = max(0, depth - 1)
            closes_sentence = depth == 0 and i > 0 and norm[i - 1] in _END
            nxt = norm[i + 1 : i + 2]
            if closes_sentence and (not nxt or nxt in "\n" + _OPEN):
                out.append(norm[start : i + 1])
                start = i + 1
        elif c in _END and depth == 0:
            while i + 1 < len(norm) and norm[i + 1] in _END:
                i += 1
            out.append(norm[start : i + 1])
            start = i + 1
        i += 1
    out.append(norm[start:])
    return [s.strip() for s in out if s.strip()]
