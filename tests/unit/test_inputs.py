"""Validation of what a learner asks for."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from opad.inputs import ArticleCreate

VALID = {"language": "German", "level": "B1", "length": 300, "topic": "city parks"}


def errors(**changes: object) -> dict[str, str]:
    """Field → message for an invalid request."""
    body = {**VALID, **changes}
    body = {k: v for k, v in body.items() if v is not ...}
    with pytest.raises(ValidationError) as info:
        ArticleCreate.model_validate(body)
    return {
        ".".join(str(p) for p in e["loc"]) or "body": str(e["msg"]) for e in info.value.errors()
    }


def test_canonical_forms() -> None:
    req = ArticleCreate.model_validate(
        {"language": "de", "level": "b2", "length": "500", "topic": "  city   parks "}
    )
    assert (req.language, req.level.value, req.length, req.topic) == (
        "German",
        "B2",
        500,
        "city parks",
    )
    assert ArticleCreate.model_validate({**VALID, "language": "FRANÇAIS"}).language == "French"
    assert ArticleCreate.model_validate({**VALID, "language": "español"}).language == "Spanish"


@pytest.mark.parametrize(
    ("field", "value", "fragment"),
    [
        ("level", "D1", "CEFR level"),
        ("level", 3, "CEFR level"),
        ("length", 49, "between 50 and 2000"),
        ("length", 2001, "between 50 and 2000"),
        ("length", "five hundred", "whole number"),
        ("length", 12.5, "whole number"),
        ("length", True, "whole number"),
        ("language", "Klingon", "unsupported language"),
        ("language", 7, "language name"),
        ("topic", "   ", "must not be empty"),
        ("topic", "x" * 201, "at most 200"),
        ("source_text", "x" * 50_001, "at most 50000"),
        ("source_url", "ftp://example.org/a", "http:// or https://"),
        ("source_url", "javascript:alert(1)", "http:// or https://"),
        ("source_url", "https://", "http:// or https://"),
    ],
)
def test_each_bad_field_is_named(field: str, value: object, fragment: str) -> None:
    problems = errors(**{field: value})
    assert field in problems, problems
    assert fragment in problems[field]


def test_missing_fields_are_named() -> None:
    assert set(errors(language=..., level=..., length=...)) >= {"language", "level", "length"}


def test_topic_optional_only_with_a_source() -> None:
    problems = errors(topic=...)
    assert any("topic" in m for m in problems.values())
    req = ArticleCreate.model_validate({**VALID, "topic": None, "source_text": "Ein Text."})
    assert req.topic == "your text"
