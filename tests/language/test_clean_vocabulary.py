"""Clean vocabulary lists (issue 27, item 4): no names, no pieces of names, no numbers,
number words or counters, and a number of items sized by level and length."""

from __future__ import annotations

import pytest

from opad.engines.leveler import MAX_VOCABULARY, LevelerEngine, vocabulary_room
from opad.engines.source_units import Sentence
from opad.levels import Level
from opad.text.estimator import LevelEstimator
from opad.text.kinds import counts_a_number, is_number_word, names


def listed(language: str, text: str, level: Level = Level.A1) -> set[str]:
    estimator = LevelEstimator(language)
    sentences = [Sentence(0, 0, text, len(text.split()))]
    items = LevelerEngine.vocabulary(sentences, estimator, level, text * 20, text)
    return {v.word for v in items} | {v.lemma for v in items}


@pytest.mark.parametrize(
    ("code", "word"),
    [
        ("en", "four-hour"),
        ("en", "ten-year-old"),
        ("en", "one-bedroom"),
        ("en", "dozens"),
        ("de", "Vier-Tage-Woche"),
        ("de", "Dutzende"),
        ("fr", "quarantaine"),
        ("fr", "quinzaine"),
        ("fr", "centaines"),
        ("it", "trent'anni"),
        ("it", "ventina"),
        ("es", "docena"),
        ("es", "veintena"),
        ("pt", "dezena"),
        ("zh", "第"),
        ("zh", "第三"),
        ("zh", "七月"),
        ("zh", "三百多位"),
        ("ja", "三件"),
        ("ja", "十月"),
    ],
)
def test_numbers_number_words_and_counters_are_numbers(code: str, word: str) -> None:
    assert is_number_word(code, word)


@pytest.mark.parametrize(
    ("code", "word"),
    [
        ("en", "well-known"),
        ("en", "someone"),
        ("fr", "fontaine"),
        ("fr", "semaine"),
        ("fr", "domaine"),
        ("it", "cucina"),
        ("it", "mattina"),
        ("es", "escena"),
        ("es", "antena"),
        ("pt", "cena"),
        ("zh", "一样"),
        ("zh", "一定"),
    ],
)
def test_words_that_only_look_like_numbers_are_words(code: str, word: str) -> None:
    assert not is_number_word(code, word)


@pytest.mark.parametrize(
    ("code", "word", "sentence", "counter"),
    [
        ("ko", "석", "국회는 300석 가운데 150석을 얻었다.", True),
        ("ko", "명", "주민 세 명이 왔다.", True),
        ("ko", "석", "석 달 동안 기다렸다.", False),  # 석 달: three months, no counter
        ("ja", "件", "相談は2,800件に上った。", True),
        ("ja", "件", "目撃件数は約2,800件で、最も多い。", True),  # not inside 件数
        ("zh", "位", "三百多位观众来了。", True),
        ("zh", "位", "这位老师很好。", False),
    ],
)
def test_counters_after_a_number(code: str, word: str, sentence: str, counter: bool) -> None:
    assert counts_a_number(code, word, sentence) is counter


@pytest.mark.parametrize(
    ("code", "text", "name"),
    [
        ("es", "Javier Moreno, enfermero de 29 años, trabaja en el hospital.", "Javier"),
        ("es", "Pilar Romero tiene un puesto de frutas desde hace años.", "Pilar"),
        ("pt", "Joana Pires abriu uma loja de bicicletas em Lisboa.", "Joana"),
        ("it", "Giulia Ferri vende verdura al mercato coperto.", "Giulia"),
    ],
)
def test_a_first_name_opening_a_sentence_before_a_surname_is_a_name(
    code: str, text: str, name: str
) -> None:
    assert name in names(code, text)


def test_a_common_word_that_is_also_a_name_stays_a_word() -> None:
    found = names("es", "Pilar Romero vende fruta. El pilar del puente es viejo.")
    assert "Pilar" in found and "pilar" not in found


@pytest.mark.parametrize(
    ("language", "text", "never"),
    [
        ("Korean", "경북 청송군에서 사과 축제가 열렸다. 국회는 300석 가운데 150석을 얻었다.",
         {"청", "송", "청송", "석"}),
        ("Chinese", "第三届比赛在杭州市举行。陈建华说，浙江大学的学生也来了。"
                    "七月，三百多位观众来到体育场。",
         {"第", "第三", "杭州", "杭州市", "陈建华", "浙江", "浙江大学", "七月", "位"}),
        ("Japanese", "高山市で祭りが開かれた。第三回の大会には三千人が来た。",
         {"高山", "第三", "三千"}),
        ("French", "Une quarantaine d'habitants ont réparé la fontaine du village.",
         {"quarantaine"}),
        ("English", "The four-hour meeting drew dozens of residents to the town hall.",
         {"four-hour", "dozens"}),
    ],
)  # fmt: skip
def test_no_name_piece_number_or_counter_is_listed(
    language: str, text: str, never: set[str]
) -> None:
    assert not listed(language, text) & never


@pytest.mark.parametrize(
    ("level", "words", "most"),
    [(Level.A1, 100, 4), (Level.A1, 300, 12), (Level.B1, 300, 18), (Level.C2, 600, 40)],
)
def test_the_list_is_sized_by_level_and_length(level: Level, words: int, most: int) -> None:
    body = " ".join(["word"] * words)
    assert vocabulary_room("en", body, level) == min(most, MAX_VOCABULARY)
    assert vocabulary_room("en", "one two", level) == 3  # never fewer than three
