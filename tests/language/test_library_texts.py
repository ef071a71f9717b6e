"""The shipped starter library: enough texts, long enough, and cleanly written."""

from __future__ import annotations

import re

import pytest

from opad.engines.sources import PACKAGED_LIBRARY, SourceText, load_library
from opad.text import count_words, split_sentences

SHIPPED = ("en", "de", "es", "fr")
# Texts for languages OPAD does not level yet (not in opad.languages): nothing loads them,
# but they must already be in the library format.
UPCOMING = ("ko", "ja", "zh")
# Opening and closing quotation marks each language's texts use.
QUOTES = {
    "en": [('"', '"')],
    "de": [("„", "“")],
    "es": [("«", "»")],
    "fr": [("«", "»")],
    "ko": [('"', '"')],
    "ja": [("「", "」")],
    "zh": [("“", "”"), ("‘", "’")],
}


def paragraphs(text: SourceText) -> list[str]:
    return [p.strip() for p in text.body.split("\n\n") if p.strip()]


def quotes_balanced(paragraph: str, code: str) -> bool:
    for opening, closing in QUOTES[code]:
        if opening == closing:
            if paragraph.count(opening) % 2:
                return False
        elif paragraph.count(opening) != paragraph.count(closing):
            return False
    return True


@pytest.mark.parametrize("code", SHIPPED)
def test_shipped_language_has_enough_texts_for_long_requests(code: str) -> None:
    texts = load_library(PACKAGED_LIBRARY, code)
    assert len(texts) >= 11
    lengths = {slug: count_words(code, text.body) for slug, text in texts}
    # A 1000-word request needs a source of at least that length.
    assert sum(n >= 1000 for n in lengths.values()) >= 3, lengths
    assert all(len(text.topics) >= 5 for _, text in texts)


@pytest.mark.parametrize("code", SHIPPED)
def test_paragraphs_have_several_sentences_and_closed_quotes(code: str) -> None:
    for slug, text in load_library(PACKAGED_LIBRARY, code):
        for paragraph in paragraphs(text):
            assert len(split_sentences(code, paragraph)) >= 2, (slug, paragraph)
            assert quotes_balanced(paragraph, code), (slug, paragraph)


def test_french_texts_use_french_spacing() -> None:
    for slug, text in load_library(PACKAGED_LIBRARY, "fr"):
        # A no-break space inside « » and before : ; ? ! (never an ordinary space).
        assert not re.search(r"« | »|«\w|\w»| [:;?!]", text.body), slug
        assert not re.search(r"\w[;?!]", text.body), slug


@pytest.mark.parametrize("code", UPCOMING)
def test_texts_for_upcoming_languages(code: str) -> None:
    texts = load_library(PACKAGED_LIBRARY, code)
    assert len(texts) >= 5
    for slug, text in texts:
        assert slug.isascii(), slug  # the slug becomes a pseudo-URL
        assert 600 <= len(re.sub(r"\s", "", text.body)) <= 1500, slug
        assert text.title and text.date
        assert any(t.isascii() for t in text.topics), slug  # English topics
        assert any(not t.isascii() for t in text.topics), slug  # and the language's own
        assert len(paragraphs(text)) >= 4, slug
        for paragraph in paragraphs(text):
            assert len(re.findall(r"[.!?。！？]", paragraph)) >= 2, (slug, paragraph)
            assert quotes_balanced(paragraph, code), (slug, paragraph)
