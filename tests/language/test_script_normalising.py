"""The normaliser per script and full-width forms (issue 30, part 4): what a reader of
each language sees as one word is one word, spelled as it was written."""

from __future__ import annotations

import pytest

from opad.text import normalize, tokenize, words

ZWNJ, ZWJ = "\u200c", "\u200d"


@pytest.mark.parametrize(
    ("code", "text", "word"),
    [
        ("fa", f"دانش{ZWNJ}آموزان به مدرسه رفتند.", f"دانش{ZWNJ}آموزان"),  # the issue's
        ("fa", f"آنها به خانه می{ZWNJ}روند.", f"می{ZWNJ}روند"),  # ours: the verb prefix
        ("fa", f"این کتاب{ZWNJ}ها خوب است.", f"کتاب{ZWNJ}ها"),  # ours: the plural suffix
        ("hi", f"यह क्{ZWJ}ष है।", f"क्{ZWJ}ष"),  # ours: an explicit half form (Devanagari)
        ("ar", f"كلمة لا{ZWJ}م هنا", f"لا{ZWJ}م"),  # ours: a joiner in Arabic script
    ],
)
def test_joiners_stay_where_the_script_spells_with_them(code: str, text: str, word: str) -> None:
    assert normalize(text) == text
    assert word in words(code, text)


@pytest.mark.parametrize(
    ("code", "text", "expected"),
    [
        ("en", f"co{ZWNJ}operation", ["cooperation"]),  # web typography in Latin text
        ("de", f"Fuß{ZWJ}ball", ["Fußball"]),
        ("en", f"ZWNJ{ZWNJ} at the end", ["ZWNJ", "at", "the", "end"]),
    ],
)
def test_joiners_go_where_the_script_does_not_use_them(
    code: str, text: str, expected: list[str]
) -> None:
    assert words(code, text) == expected


@pytest.mark.parametrize(
    ("code", "text", "word"),
    [
        ("zh", "我们讨论ＡＩ和５Ｇ技术。", "AI"),  # the issue's: one word, not one per letter
        ("zh", "我们讨论ＡＩ和５Ｇ技术。", "5G"),  # the issue's
        ("ja", "ＣＯＶＩＤ１９の研究が進む。", "COVID19"),  # ours
        ("ko", "５Ｇ 기술이 발전한다.", "5G"),  # ours
        ("zh", "新款iPhone15发布了。", "iPhone15"),  # ours: half-width, cut by the analyzer
    ],
)
def test_full_width_and_mixed_latin_is_one_word(code: str, text: str, word: str) -> None:
    found = tokenize(code, text)
    assert word in [t.word for t in found]
    norm = normalize(text)
    assert all(norm[t.start : t.end] == t.word for t in found)
    assert len(norm) == len(text)  # one for one: offsets into the text stay true


def test_full_width_punctuation_is_left_as_written() -> None:
    assert normalize("你好，世界！") == "你好，世界！"
    assert [w for w in words("zh", "２０２４年") if w[:1].isdigit()] == []  # a number alone
