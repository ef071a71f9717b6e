"""The crew's questions task against the scripted LLM: questions whose answer the text
does not support are dropped; the kept ones carry the text's own sentence; a questions
step that keeps failing never costs the reading."""

from __future__ import annotations

from typing import Any

from opad.engines.base import GenerationRequest
from opad.levels import Level
from opad.questions import QuestionKind
from opad.questions.step import reading_body
from tests.crew.fake_llm import UNSUPPORTED_QUESTIONS, FakeLLM
from tests.readings import questions_step

TEXT = "The town opened a new park. Families walk there at the weekend. Work ends next year."


def request(topic: str) -> GenerationRequest:
    return GenerationRequest(
        language="English", level=Level.B1, length=120, topic=topic, source_text=TEXT
    )


def test_questions_the_text_does_not_support_are_dropped(crew_engine: Any) -> None:
    result = crew_engine.generate(request("quiz park"), lambda p, m: None)
    body = reading_body(result.markdown)
    # The scripted LLM wrote six: two supported, four not (see UNSUPPORTED_QUESTIONS).
    assert [(q.kind, q.prompt, q.answer) for q in result.questions] == [
        (QuestionKind.MULTIPLE_CHOICE, "When will the work be finished?", "Next year"),
        (QuestionKind.TRUE_FALSE, "Many families come here at the weekend.", "True"),
    ]
    assert not {q.prompt for q in result.questions} & set(UNSUPPORTED_QUESTIONS)
    for q in result.questions:
        # The text's own sentence, not the LLM's copy (which it quoted in capitals).
        assert q.support in body and q.support != q.support.upper()
        assert q.answer in q.options
    assert result.questions[0].support == "The work will be finished next year, the council said."

    # The worker's step keeps them first and adds questions from the text: 4-6 in all.
    stored = questions_step("English", result).questions
    assert 4 <= len(stored) <= 6
    assert [q.prompt for q in stored[:2]] == [q.prompt for q in result.questions]
    assert {q.kind for q in stored[2:]} <= {QuestionKind.MATCHING, QuestionKind.CLOZE}
    assert len({q.id for q in stored}) == len(stored)


def test_a_questions_step_that_keeps_failing_keeps_the_reading(
    crew_engine: Any, fake_llm: FakeLLM
) -> None:
    fake_llm.add_rule("broken quiz", step="questions", fail="invalid_json")
    result = crew_engine.generate(request("broken quiz"), lambda p, m: None)
    assert result.questions == [] and result.vocabulary
    steps = [s.step for s in fake_llm.requests_for("broken quiz")]
    assert steps[:2] == ["adapt", "vocabulary"] and "questions" in steps
    assert 4 <= len(questions_step("English", result).questions) <= 6
