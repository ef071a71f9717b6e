"""The sentences of a reading as the reader shows them: the same list the speech speaks.

The reader (web/routes/articles.py) numbers its sentences with `word_markup.mark_words`
on the rendered body; the audio's timings carry those numbers. Both sides call this one
path (render_article → mark_words → opad.text.split_sentences per block), so sentence N
of the timings is sentence N on the page by construction (opad.markup: pure text
functions, markdown → sanitized HTML → words and sentences).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from urllib.parse import urlsplit

from opad.markup.render import render_article
from opad.markup.word_markup import mark_words
from opad.text import tokenize


def reading_sentences(markdown: str, vocabulary_words: Sequence[str], code: str) -> list[str]:
    """The reader's sentences of a reading, in page order (index = the page's `data-s`)."""
    rendered = render_article(markdown, list(vocabulary_words))
    return mark_words(rendered.html, code).sentences


def speakable(code: str, sentences: Sequence[str]) -> list[int]:
    """Indexes of the sentences worth speaking: those with at least one word (a line of
    punctuation or numbers left of a source line is skipped, not read as noise)."""
    return [n for n, s in enumerate(sentences) if tokenize(code, s)]


# A web address in a sentence: up to a space or the punctuation that ends a clause after it.
_URL = re.compile(r"https?://[^\s<>\"]+?(?=[.,;:!?)\]]*(?:\s|$))")


def spoken_text(sentence: str) -> str:
    """The sentence as the speech engine should say it: a web address becomes its site's
    name ("https://www.example.org/a/b" → "example.org"), not a minute of spelled-out
    slashes. The page keeps the address; only what is spoken changes."""

    def site(match: re.Match[str]) -> str:
        host = urlsplit(match.group(0)).hostname or ""
        return host.removeprefix("www.")

    return _URL.sub(site, sentence)
