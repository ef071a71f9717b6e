"""Cloze questions from a whole reading: honest answers, no giveaways, deterministic. The
reading is split into sentences and its words lemmatized with the language's data."""

from __future__ import annotations

from opad.questions import QuestionKind
from opad.questions.cloze import GAP
from opad.questions.reading import cloze_for_reading
from tests.readings import body_of

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
    questions = cloze_for_reading(body_of("English", READING), VOCABULARY)
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


def test_the_same_reading_gives_the_same_questions() -> None:
    assert cloze_for_reading(body_of("English", READING), VOCABULARY) == cloze_for_reading(
        body_of("English", READING), VOCABULARY
    )


def test_no_vocabulary_no_questions() -> None:
    assert cloze_for_reading(body_of("English", READING), []) == []
