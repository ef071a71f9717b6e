"""The questions step: 4–6 honest questions per reading in English, German, Spanish and
French, deterministic, never a distractor equal to the answer; vocabulary matching where
definitions exist; a failure never costs the reading."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from opad.engines.base import GenerationRequest, GenerationResult, Source, VocabularyItem
from opad.engines.leveler import LevelerEngine
from opad.levels import Level
from opad.questions import QuestionKind
from opad.questions.cloze import GAP
from opad.questions.step import questions_for, reading_body, with_questions
from opad.reading.model import ReadingBody
from opad.settings import Settings
from tests.park_texts import TEXTS
from tests.readings import body_of, questions_step


def reading(language: str) -> GenerationResult:
    engine = LevelerEngine(Settings(_env_file=None))  # type: ignore[call-arg]
    request = GenerationRequest(
        language=language, level=Level.A2, length=80, topic="park", source_text=TEXTS[language]
    )
    return engine.generate(request, lambda percent, message: None)


@pytest.mark.parametrize("language", list(TEXTS))
def test_each_reading_gets_four_to_six_honest_questions_of_two_kinds(language: str) -> None:
    result = questions_step(language, reading(language))
    questions = result.questions
    assert 4 <= len(questions) <= 6
    assert [q.id for q in questions] == [f"q{n}" for n in range(1, len(questions) + 1)]
    assert {q.kind for q in questions} == {QuestionKind.CLOZE, QuestionKind.TRUE_FALSE}
    text = TEXTS[language].replace("\n\n", " ")
    cloze = [q for q in questions if q.kind is QuestionKind.CLOZE]
    for q in cloze:
        assert q.prompt.replace(GAP, q.answer) == q.support and q.support in text
        assert len(q.options) >= 3 and q.options.count(q.answer) == 1
        assert len({o.casefold() for o in q.options}) == len(q.options)
        assert all(len(o) > 2 for o in q.options)
    assert len({q.answer.casefold() for q in cloze}) == len(cloze)  # one per word
    for q in questions:
        if q.kind is QuestionKind.TRUE_FALSE:
            assert q.options == ["True", "False"] and q.support in text
            assert (q.prompt == q.support) == (q.answer == "True")
    # Deterministic: the same reading gives the same questions, options in the same order.
    assert questions_step(language, reading(language)).questions == questions


DICTIONARIES = [Path("/usr/share/dictd")]  # scripts/ensure-debs installs FreeDict there
TRANSLATIONS = {  # a word of each reading and words its FreeDict translations include
    "German": ("Bewohner", "inhabitant"),
    "Spanish": ("atraiga", "attract"),
    "French": ("célébrer", "celebrate"),
}


@pytest.mark.parametrize("language", list(TRANSLATIONS))
def test_installed_dictionaries_give_matching_questions(language: str) -> None:
    if not list(DICTIONARIES[0].glob("freedict-*-eng.index")):
        pytest.fail("FreeDict is not installed: run scripts/ensure-debs")
    result = questions_step(language, reading(language), DICTIONARIES)
    matching = [q for q in result.questions if q.kind is QuestionKind.MATCHING]
    assert 1 <= len(matching) <= 2 and 4 <= len(result.questions) <= 6
    word, meaning = TRANSLATIONS[language]
    assert any(q.answer == word and meaning in q.prompt for q in matching), matching
    text = TEXTS[language].replace("\n\n", " ")
    for q in matching:
        assert q.answer in q.support and q.support in text
        assert q.answer.casefold() not in q.prompt.casefold()
        assert "sb." not in q.prompt and len(q.prompt.split(", ")) <= 3
    # The question step leaves the vocabulary list as it is (the meanings step fills it).
    assert all(not v.definition for v in result.vocabulary)
    # English: no bilingual dictionary into English, and WordNet's senses are not used.
    english = questions_step("English", reading("English"), DICTIONARIES).questions
    assert QuestionKind.MATCHING not in {q.kind for q in english}


def test_the_answer_is_not_always_in_the_same_place() -> None:
    places = Counter(
        q.options.index(q.answer)
        for language in TEXTS
        for q in questions_step(language, reading(language)).questions
    )
    assert len(places) >= 3 and max(places.values()) <= 0.6 * sum(places.values())


def test_vocabulary_with_definitions_gives_matching_questions() -> None:
    body = TEXTS["English"]
    vocabulary = [
        VocabularyItem(word="fountain", lemma="fountain", level=Level.B1,
                       definition="A structure that sends water into the air.",
                       example="Hundreds of families gathered near the fountain to celebrate."),
        VocabularyItem(word="volunteers", lemma="volunteer", level=Level.B1,
                       definition="People who work without being paid.", example="(not in text)"),
        VocabularyItem(word="flooding", lemma="flooding", level=Level.B1,
                       definition="When flooding covers the land.", example=""),  # gives it away
        VocabularyItem(word="wetlands", lemma="wetland", level=Level.B2, definition="Wet land.",
                       example="Engineers designed wetlands that absorb heavy rain."),
        VocabularyItem(word="absorb", lemma="absorb", level=Level.B1, definition="",
                       example="Engineers designed wetlands that absorb heavy rain."),
    ]  # fmt: skip
    markdown = f"# Park\n\n**Source:** x\n\n{body}\n"
    questions = questions_for(body_of("English", markdown, vocabulary), vocabulary)
    matching = [q for q in questions if q.kind is QuestionKind.MATCHING]
    assert [(q.prompt, q.answer) for q in matching] == [
        ("A structure that sends water into the air.", "fountain"),
        ("People who work without being paid.", "volunteers"),
    ]
    # The supporting sentence is the text's, even when the item's example is not.
    assert matching[1].support == "The mayor praised the volunteers who planted thousands of trees."
    cloze = [q for q in questions if q.kind is QuestionKind.CLOZE]
    assert 4 <= len(questions) <= 6 and cloze
    assert not {q.answer for q in cloze} & {"fountain", "volunteers"}


def test_an_easy_text_asks_about_its_content_words() -> None:
    easy = (
        "Tom has a dog. The dog is big and brown. Every morning they walk to the park. "
        "Tom likes to run with his dog. They go home at eight. Then Tom eats bread."
    )
    questions = questions_for(body_of("English", easy), [])
    assert len(questions) >= 4
    for q in questions:
        others = {o.casefold() for o in q.options} - {q.answer.casefold()}
        assert not others & {"the", "they", "with", "every", "then", "eight", "his"}


def test_the_reading_body_leaves_out_title_source_and_vocabulary() -> None:
    markdown = ("# A title\n\n**Source:** [Site](<https://x>)\n\nOne *small* text.\n\n"
                "Two **bold** lines.\n\n## Vocabulary\n\n- **text** (text, A1)\n")  # fmt: skip
    assert reading_body(markdown) == "One small text.\n\nTwo bold lines."


def test_a_failing_step_keeps_the_reading(
    caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    result = GenerationResult(title="x", markdown="# x\n\nText.", source=Source(name="s"))

    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("broken")

    monkeypatch.setattr("opad.questions.step.cloze_for_reading", broken)
    assert with_questions(ReadingBody(language="en"), result) == result
    assert "questions could not be made" in caplog.text
