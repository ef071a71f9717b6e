"""Cloze questions and grading: fair distractors, deterministic grading (the cloze of a
whole reading, which splits and lemmatizes it, is in tests/language/test_cloze_reading.py)."""

from __future__ import annotations

import pytest

from opad.questions import Answer, Question, QuestionKind, grade
from opad.questions.cloze import ClozeWord, distractors


def test_distractors_never_equal_the_answer_or_its_lemma() -> None:
    answer = ClozeWord("planted", "plant", 2)
    pool = [
        ClozeWord("plants", "plant", 1),
        ClozeWord("Planted", "plant", 2),
        ClozeWord("designed", "design", 2),
        ClozeWord("praised", "praise", 2),
        ClozeWord("gathered", "gather", 3),
        ClozeWord("town", "town", 0),
        ClozeWord("praised", "praise", 2),
    ]
    wrong = distractors(answer, pool)
    # Same ending, closest level first (ties in a fixed order that is not the spelling's).
    assert sorted(wrong[:2]) == ["designed", "praised"] and wrong[2] == "gathered"
    assert wrong == distractors(answer, list(reversed(pool)))


def test_distractors_keep_german_nouns_with_nouns() -> None:
    answer = ClozeWord("Wiese", "Wiese", 2)
    pool = [
        ClozeWord("laufen", "laufen", 2),
        ClozeWord("Garten", "Garten", 2),
        ClozeWord("Brunnen", "Brunnen", 3),
        ClozeWord("schnell", "schnell", 1),
    ]
    assert distractors(answer, pool)[:2] == ["Garten", "Brunnen"]


def test_grading() -> None:
    qs = [
        Question(
            id="q1",
            kind=QuestionKind.TRUE_FALSE,
            prompt="The park opened.",
            options=["True", "False"],
            answer="True",
            support="The park opened.",
        ),
        Question(
            id="q2",
            kind=QuestionKind.CLOZE,
            prompt="A ____ park.",
            options=["big", "red", "old"],
            answer="big",
            support="A big park.",
        ),
    ]
    grades = grade(qs, [Answer(question_id="q1", choice=" true ")])
    assert [g.correct for g in grades] == [True, False]
    assert grades[1].choice is None and grades[1].support == "A big park."
    with pytest.raises(KeyError):
        grade(qs, [Answer(question_id="q9", choice="x")])
