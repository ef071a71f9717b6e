"""Word levels for Korean, Japanese and Chinese: learner scales and CEFR, sensibly ordered."""

from __future__ import annotations

import pytest

from opad.levels import Level
from opad.text.cjk.levels import cjk_word_level, zipf


@pytest.mark.parametrize(
    ("code", "word", "level", "label"),
    [
        ("ja", "食べる", Level.A1, "JLPT N5"),
        ("ja", "行く", Level.A1, "JLPT N5"),
        ("ja", "生物", Level.B1, "JLPT N3"),
        ("zh", "学校", Level.A1, "HSK 1"),
        ("zh", "图书馆", Level.A2, "HSK 3"),
        ("ko", "먹다", Level.A1, "TOPIK I, level 1"),
    ],
)
def test_listed_words(code: str, word: str, level: Level, label: str) -> None:
    assert cjk_word_level(code, word) == (level, label)


def test_japanese_spelling_variants_are_found_by_reading() -> None:
    # The JLPT lists write 御飯; the text and Sudachi write ご飯.
    assert cjk_word_level("ja", "ご飯", "ごはん") == (Level.A1, "JLPT N5")
    # Written in kana by the text: found by reading (食べる).
    assert cjk_word_level("ja", "たべる", "たべる") == (Level.A1, "JLPT N5")
    # A shared reading alone is not enough for a word written in kanji: 気管 (windpipe) does
    # not borrow the level of the listed 期間 or 機関, read きかん too.
    assert cjk_word_level("ja", "気管", "きかん")[1] == "not in the JLPT lists"


@pytest.mark.parametrize(
    ("code", "easy", "hard"),
    [
        ("zh", "学校", "生物多样性"),
        ("zh", "图书馆", "江豚"),
        ("ja", "学校", "生物多様性"),
        ("ja", "食べる", "脆弱性"),
        ("ko", "먹다", "생물다양성"),
        ("ko", "학교", "키오스크"),
        ("ko", "가다", "무형문화유산"),
    ],
)
def test_common_words_are_easier_than_rare_ones(code: str, easy: str, hard: str) -> None:
    assert cjk_word_level(code, easy)[0].rank < cjk_word_level(code, hard)[0].rank
    assert zipf(code, easy) > zipf(code, hard)


def test_words_outside_the_lists_say_so_and_are_hard() -> None:
    level, label = cjk_word_level("zh", "生物多样性")
    assert (level, label) == (Level.C2, "not in the HSK lists")
    assert cjk_word_level("ja", "生物多様性") == (Level.C2, "not in the JLPT lists")


def test_korean_derived_verbs_take_their_nouns_frequency() -> None:
    assert cjk_word_level("ko", "공부하다")[0] <= Level.A2
    assert zipf("ko", "공부하다") == zipf("ko", "공부")


@pytest.mark.parametrize("code", ["ko", "ja", "zh"])
def test_every_level_is_in_range(code: str) -> None:
    scale = {"ko": "TOPIK", "ja": "JLPT", "zh": "HSK"}[code]
    for word in ["学校", "학교", "食べる", "xyz", "ㅋㅋ", "2026"]:
        level, label = cjk_word_level(code, word)
        assert level in Level
        assert scale in label


def test_other_languages_are_refused() -> None:
    with pytest.raises(ValueError, match="'de'"):
        cjk_word_level("de", "Haus")
