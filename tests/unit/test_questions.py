"""Cloze questions and grading: honest answers, fair distractors, deterministic."""

from __future__ import annotations

import pytest

from opad.questions import Answer, Question, QuestionKind, grade
from opad.questions.cloze import GAP, ClozeWord, distractors
from opad.questions.reading import cloze_for_reading

READING = (
    "The town opened a large new park on Saturday morning. Hundreds of families "
    "gathered near the fountain to celebrate.\n\n"
    "The mayor praised the volunteers who planted thousands of trees. She said the park "
    "would reduce flooding and improve the neighbourhood.\n\n"
    "Engineers designed wetlands that absorb heavy rain. Residents hope the project will "
    "attract visitors and support local businesses."
)
VOCABULARY = [
    "gather",
    "fountain",
    "volunteer",
    "flooding",
    "wetland",
    "absorb",
    "attract",
    "neighbourhood",
    "celebrate",
    "engineer",
]


def test_each_cloze_answer_is_the_word_the_text_has() -> None:
    questions = cloze_for_reading("English", READING, VOCABULARY)
    assert 3 <= len(questions) <= 5
    for q in questions:
        assert q.kind is QuestionKind.CLOZE
        assert q.prompt.count(GAP) == 1
        assert q.prompt.replace(GAP, q.answer) == q.support
        assert q.support in READING
        assert q.answer in q.options
        assert len(set(o.casefold() for o in q.options)) == len(q.options)
        assert q.options.count(q.answer) == 1
        # No distractor is a word of the gap sentence itself (it would give it away).
        others = {o.casefold() for o in q.options} - {q.answer.casefold()}
        assert not others & {w.casefold() for w in q.support.replace(".", " ").split()}


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


def test_the_same_reading_gives_the_same_questions() -> None:
    assert cloze_for_reading("English", READING, VOCABULARY) == cloze_for_reading(
        "English", READING, VOCABULARY
    )


def test_no_vocabulary_no_questions() -> None:
    assert cloze_for_reading("English", READING, []) == []


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
