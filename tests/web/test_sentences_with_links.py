"""A link's text is part of its sentence — on the page and in what the audio says.

The reader leaves a real link's words unwrapped (a click follows the link), but the
sentence around it is still whole: the audio once said "Source: , 28 November" because
the link's text was dropped from the sentence list the speech reads.
"""

from __future__ import annotations

import pytest

from opad.audio.script import reading_sentences, spoken_text
from opad.markup.render import render_article
from opad.markup.word_markup import mark_words


@pytest.mark.parametrize(
    ("markdown", "code", "sentences"),
    [
        (
            "The park opens. Children play.\n\n*Source: [The Guardian](https://g.com/x), "
            "28 November 2026*",
            "en",
            ["The park opens.", "Children play.", "Source: The Guardian, 28 November 2026"],
        ),
        (
            "Lies [diesen Bericht](https://x.de) über Parks. Er ist lang.",
            "de",
            ["Lies diesen Bericht über Parks.", "Er ist lang."],
        ),
        (
            "Fuente: <https://elpais.com/a>, 28 de noviembre",
            "es",
            ["Fuente: https://elpais.com/a, 28 de noviembre"],
        ),
        ("公園が開きました。\n\n出典: [朝日新聞](https://asahi.com)、2026年", "ja", None),
    ],
)
def test_a_links_text_stays_in_its_sentence(
    markdown: str, code: str, sentences: list[str] | None
) -> None:
    found = reading_sentences(markdown, [], code)
    if sentences is None:  # Japanese: the segmenter decides the split; the name must be there
        assert any("朝日新聞" in s for s in found), found
    else:
        assert found == sentences


def test_inline_code_stays_in_its_sentence_and_a_code_block_is_no_sentence() -> None:
    html = render_article("Type `ls` now. It is short.\n\n```\nls -la\n```\n\nDone.", []).html
    marked = mark_words(html, "en")
    assert marked.sentences == ["Type ls now.", "It is short.", "Done."]
    assert "ls" not in marked.lemmas  # code is not a word to look up


def test_a_links_words_are_not_wrapped_for_lookup() -> None:
    html = render_article("Read [the report](https://x.org) now.", []).html
    marked = mark_words(html, "en")
    assert marked.lemmas == ["read", "now"]
    assert marked.sentences == ["Read the report now."]


@pytest.mark.parametrize(
    ("sentence", "spoken"),
    [
        ("Source: https://www.example.org/a/b, 28 November 2026",
         "Source: example.org, 28 November 2026"),
        ("See https://bbc.co.uk/news.", "See bbc.co.uk."),
        ("(https://x.org/a?b=1) ok", "(x.org) ok"),
        ("Fuente: https://elpais.com/sociedad/2026-11-28/x.html", "Fuente: elpais.com"),
        ("No address here.", "No address here."),
        ("http://localhost:8000/x is local", "localhost is local"),
    ],
)  # fmt: skip
def test_the_audio_says_a_web_address_as_its_site(sentence: str, spoken: str) -> None:
    assert spoken_text(sentence) == spoken
