"""The report's own yardsticks for vocabulary and questions (opad.quality.vocab_checks):
they must see the faults they count, and not see faults where there are none."""

from __future__ import annotations

import pytest

from opad.quality.vocab_checks import form_class, grammar_solvable, is_cjk_name, item_fault


@pytest.mark.parametrize(
    ("code", "word", "example", "fault"),
    [
        ("en", "four-hour", "A four-hour meeting.", "number"),
        ("fr", "quarantaine", "Une quarantaine d'habitants.", "number"),
        ("zh", "七月", "七月，观众来了。", "number"),
        ("ko", "석", "국회는 300석을 얻었다.", "number"),
        ("ko", "청", "경북 청송군에서 축제가 열렸다.", "name"),
        ("zh", "杭州", "比赛在杭州市举行。", "name"),
        ("en", "Brandt", "Yesterday Martina Brandt opened the shop.", "name"),
        ("en", "meeting", "A long meeting.", None),
        ("ko", "도시", "도시에 갔다.", None),  # 도시에 ends like a place, but is the word
        ("ko", "석", "석 달 동안 기다렸다.", None),
        ("zh", "大型", "大型社区里有公园。", None),
    ],
)
def test_item_faults(code: str, word: str, example: str, fault: str | None) -> None:
    assert item_fault(code, word, word, example) == fault


def test_a_piece_of_a_korean_place_name() -> None:
    assert is_cjk_name("ko", "송", "청송군의 사과")
    assert not is_cjk_name("ko", "마을", "마을이 조용하다")


@pytest.mark.parametrize(
    ("code", "answer", "options", "solvable"),
    [
        ("en", "walked", ["walked", "quickly", "happiness", "tables"], True),
        ("en", "walked", ["walked", "opened", "painted", "reached"], False),
        ("es", "casas", ["casas", "comer", "rápidamente"], True),
        ("es", "casas", ["casas", "mesas", "calles"], False),
        ("de", "Lärm", ["Lärm", "laut", "schnell"], True),
        ("de", "Lärm", ["Lärm", "Verkehr", "Regen"], False),
        ("ja", "楽しむ", ["楽しむ", "会議", "デザイン"], True),
        ("ja", "子どもたち", ["子どもたち", "会議", "先生"], False),
        ("ko", "담갔다", ["담갔다", "배추", "마늘"], True),
    ],
)
def test_grammar_alone(code: str, answer: str, options: list[str], solvable: bool) -> None:
    assert grammar_solvable(code, answer, options) is solvable


def test_chinese_has_no_form_to_see() -> None:
    assert form_class("zh", "老师") == form_class("zh", "开始")
