"""ArticleCreate beyond the basics: the edges of each field, the NUL rule on every field, and
which of topic, own text and page wins."""

from __future__ import annotations

from typing import Any

import pytest
from pydantic import ValidationError

from opad.inputs import MAX_LENGTH, MAX_SOURCE_TEXT, MAX_TOPIC, MIN_LENGTH, ArticleCreate
from opad.levels import Level

VALID: dict[str, Any] = {"language": "German", "level": "B1", "length": 300, "topic": "parks"}


def made(**changes: Any) -> ArticleCreate:
    return ArticleCreate.model_validate({**VALID, **changes})


def refused(**changes: Any) -> dict[str, str]:
    with pytest.raises(ValidationError) as info:
        made(**changes)
    return {".".join(map(str, e["loc"])) or "body": e["msg"] for e in info.value.errors()}


@pytest.mark.parametrize("length", [MIN_LENGTH, MAX_LENGTH, " 300 ", 300.0])
def test_lengths_at_the_edges_and_as_the_original_design_sends_them(length: object) -> None:
    assert made(length=length).length == int(float(str(length).strip()))


@pytest.mark.parametrize("length", [MIN_LENGTH - 1, MAX_LENGTH + 1, "-300", "3e2", None, []])
def test_other_lengths_name_the_length(length: object) -> None:
    assert set(refused(length=length)) == {"length"}


@pytest.mark.parametrize(
    ("given", "level"), [("a1", Level.A1), (" C2 ", Level.C2), ("b2", Level.B2)]
)
def test_levels_in_any_case(given: str, level: Level) -> None:
    assert made(level=given).level is level


@pytest.mark.parametrize("field", ["language", "level", "topic", "source_text", "source_url"])
def test_a_nul_character_is_refused_in_every_field(field: str) -> None:
    problems = refused(**{field: "Ber\x00lin"})
    assert "U+0000" in problems[field]


def test_the_topic_edges() -> None:
    assert made(topic="x" * MAX_TOPIC).topic == "x" * MAX_TOPIC
    assert made(topic=" a \n b\t").topic == "a b"  # whitespace runs read as one space
    assert "at most 200" in refused(topic="x" * (MAX_TOPIC + 1))["topic"]


def test_own_text_edges() -> None:
    assert made(source_text="x" * MAX_SOURCE_TEXT).source_text == "x" * MAX_SOURCE_TEXT
    assert made(source_text="   ").source_text is None  # blank reads as not given


@pytest.mark.parametrize(
    ("url", "kept"),
    [
        ("  https://example.org/a  ", "https://example.org/a"),
        ("HTTP://example.org", "HTTP://example.org"),
        ("", None),
    ],
)
def test_page_addresses(url: str, kept: str | None) -> None:
    assert made(source_url=url).source_url == kept


@pytest.mark.parametrize("url", ["example.org", "http:///path", "file:///etc/passwd"])
def test_bad_page_addresses_name_the_field(url: str) -> None:
    assert "http:// or https://" in refused(source_url=url)["source_url"]


def test_an_address_over_2000_characters_is_refused() -> None:
    assert "at most 2000" in refused(source_url="https://e.org/" + "a" * 2000)["source_url"]


def test_a_source_without_a_topic_reads_as_your_text() -> None:
    body = {k: v for k, v in VALID.items() if k != "topic"}
    page = ArticleCreate.model_validate({**body, "source_url": "https://example.org/a"})
    assert page.topic == "your text"
    kept = ArticleCreate.model_validate({**VALID, "source_text": "Ein Text."})
    assert kept.topic == "parks"  # a topic given with a source is kept


def test_without_topic_or_source_the_error_says_topic() -> None:
    body = {k: v for k, v in VALID.items() if k != "topic"}
    with pytest.raises(ValidationError, match="topic: is required unless source_text"):
        ArticleCreate.model_validate({**body, "source_text": "  "})
