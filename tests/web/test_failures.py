"""A failed job's error, in the learner's words (web/failures.py)."""

from __future__ import annotations

import pytest

from opad.web.failures import explain


@pytest.mark.parametrize(
    ("error", "reason"),
    [
        (
            "the language model wrote in English instead of Italian",
            "The language model wrote the reading in another language than the one you chose.",
        ),
        (
            "the text is longer than the language model can read at once",
            "The text was too long for the language model to read at once.",
        ),
        (
            "gave up after 2 attempts: the LLM is rate limited (HTTP 429) for openai/m",
            "The language model was too busy to answer.",
        ),
        (
            "adapt_news_article: the LLM's answer was not valid structured output after "
            "retries (AdaptedArticle: the answer contains no JSON object)",
            "The language model's answer could not be used to make a reading.",
        ),
        ("LLM rejected the API key for openai/m", "OPAD could not use its language model"),
        ("news search (Serper) failed: boom", "The news source could not be reached."),
        ("something nobody foresaw", "Something went wrong while making the reading."),
    ],
)
def test_each_error_has_a_plain_reason_and_something_to_try(error: str, reason: str) -> None:
    said, advice = explain(error)
    assert said.startswith(reason)
    assert advice and "LLM" not in said + advice and "_" not in said + advice
