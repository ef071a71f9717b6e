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


def test_the_topic_section_counts_silent_mismatches_and_repeats() -> None:
    from opad.quality.topic_suite import Outcome, topic_section

    outcomes = [
        Outcome("en", "sport", "public-transport", ("womens-football",), False, "x", True),
        Outcome("en", "food", "kitchen", ("kitchen",), False, "kitchen", False),  # silent repeat
        Outcome("en", "art", "museum", (), True, "museum", True),  # said so: no mismatch
    ]
    text = "\n".join(topic_section(outcomes))
    assert "**1** of 3 topics served an unrelated text" in text
    assert "**1** repeats served the same text again" in text
    assert "**missed**" in text


def test_the_vocabulary_and_question_sections_count_faults() -> None:
    from opad.levels import Level
    from opad.quality.vocab_report import Reading, questions_section, vocabulary_section
    from opad.questions.models import Question, QuestionKind
    from opad.reading.model import VocabularyItem

    item = VocabularyItem(word="Hallberg", lemma="Hallberg", level=Level.B1, example="x")
    cloze = Question(id="q1", kind=QuestionKind.CLOZE, prompt="We ____ home.",
                     options=["walked", "quickly", "tables"], answer="walked",
                     support="We walked home.")  # fmt: skip
    readings = [
        Reading("en", "a", Level.A1, 100, 100, [item], [cloze], faults=[("Hallberg", "name")]),
        Reading("en", "b", Level.A1, 100, 100, [item], []),
    ]
    vocab = "\n".join(vocabulary_section(readings))
    assert "**50.00 per 100 lists**" in vocab and "Hallberg" in vocab
    questions = "\n".join(questions_section(readings))
    assert "**100.0%** (1 of 1" in questions
