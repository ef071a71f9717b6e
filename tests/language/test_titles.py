"""Titles of pasted texts come from the text: its heading, else its first sentence."""

from __future__ import annotations

import pytest

from opad.engines.base import GenerationRequest
from opad.engines.leveler import LevelerEngine
from opad.engines.titles import MAX_CHARS, title_from_text
from opad.levels import Level
from opad.settings import Settings

LONG = (
    "In a small village at the foot of the mountains there lived an old woman who had "
    "never once seen the sea, though she dreamed of it every night."
)


@pytest.mark.parametrize(
    ("text", "language", "title"),
    [
        (
            "# The Cat Who Came Home\n\nOnce upon a time a cat left.",
            "English",
            "The Cat Who Came Home",
        ),
        ("## A *small* `heading` ##\n\nBody.", "English", "A small heading"),
        ("Title line\n=====\n\nThe body.", "English", "Title line"),
        ("Der Hund\n\nEin Hund lief über die Straße. Er war schnell.", "German", "Der Hund"),
        ("The cat sat on the mat. It was happy.", "English", "The cat sat on the mat"),
        ("Why do cats purr? Scientists are not sure.", "English", "Why do cats purr?"),
        ("Dr. Smith went to Washington. He liked it.", "en", "Dr. Smith went to Washington"),
        ('"A quoted title"\n\nText here.', "English", "A quoted title"),
        ("A line\ncontinues here. Second one.", "English", "A line continues here"),
        ("See [the report](https://example.org) now. More.", "English", "See the report now"),
        ("El gato duerme. La casa es grande.", "Spanish", "El gato duerme"),
        ("\n\n   \n", "English", "Your text"),
    ],
)
def test_title_from_heading_or_first_sentence(text: str, language: str, title: str) -> None:
    assert title_from_text(text, language) == title


def test_long_first_sentence_is_cut_at_a_word_with_an_ellipsis() -> None:
    title = title_from_text(LONG, "English")
    assert len(title) <= MAX_CHARS and title.endswith("…")
    assert LONG.startswith(title.removesuffix("…"))
    assert title == "In a small village at the foot of the mountains there lived an old…"


def test_distinct_texts_get_distinct_titles_and_the_topic_never_wins() -> None:
    engine = LevelerEngine(Settings(_env_file=None))  # type: ignore[call-arg]
    titles = []
    for text in (
        "The cat sleeps on the warm roof all afternoon. " * 8,
        "# Rain in Spring\n\n" + "The rain falls softly on the green fields. " * 8,
    ):
        request = GenerationRequest(
            language="English", level=Level.B1, length=60, topic="Space", source_text=text
        )
        result = engine.generate(request, lambda *_: None)
        titles.append(result.title)
        assert result.markdown.startswith(f"# {result.title}")
    assert titles == ["The cat sleeps on the warm roof all afternoon", "Rain in Spring"]
