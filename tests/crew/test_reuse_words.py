"""The crew is given the learner's learning words to reuse where natural (issue 12)."""

from __future__ import annotations

from typing import Any

from opad.engines.base import GenerationRequest
from opad.levels import Level
from tests.crew.fake_llm import FakeLLM

TEXT = "The town opened a new library. It has many books. Children read there after school."


def test_the_writer_is_asked_to_reuse_the_learners_words(
    crew_engine: Any, fake_llm: FakeLLM
) -> None:
    words = ["borrow", "shelf", "quiet"]
    request = GenerationRequest(
        language="English", level=Level.B1, length=120, topic="reuse words",
        source_text=TEXT, reuse_words=words,
    )  # fmt: skip
    crew_engine.generate(request, lambda p, m: None)
    served = fake_llm.requests_for("reuse words")
    adapt = [s.prompt for s in served if s.step == "adapt"]
    assert adapt and "learning these words" in adapt[0]
    assert "borrow, shelf, quiet" in adapt[0]
    # Only the writer: picking vocabulary is about the text that was written.
    assert all("borrow" not in s.prompt for s in served if s.step == "vocabulary")


def test_no_words_no_request(crew_engine: Any, fake_llm: FakeLLM) -> None:
    request = GenerationRequest(
        language="English", level=Level.B1, length=120, topic="no reuse words", source_text=TEXT
    )
    crew_engine.generate(request, lambda p, m: None)
    adapt = [s.prompt for s in fake_llm.requests_for("no reuse words") if s.step == "adapt"]
    assert adapt and "learning these words" not in adapt[0]
