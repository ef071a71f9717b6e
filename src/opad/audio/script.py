"""What the audio speaks: the reading's typed sentences (opad.reading.model), nothing else.

Never the title, the source line or the vocabulary section: they are not sentences of the
typed body. A sentence's number is the body's (`Sentence.index`), the number the reader's
words carry (data-s), so the audio's timings name the page's sentences by construction.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from opad.reading.model import ReadingBody
from opad.speech.normalize import speakable


def spoken_sentences(body: ReadingBody) -> list[tuple[int, str]]:
    """(number, text) of the sentences worth speaking: those with at least one word (a
    line of punctuation or digits alone is skipped, not read as noise)."""
    return [(s.index, s.text) for s in body.sentences if s.words]


# A web address in a sentence: up to a space or the punctuation that ends a clause after it.
_URL = re.compile(r"https?://[^\s<>\"]+?(?=[.,;:!?)\]]*(?:\s|$))")


def spoken_text(sentence: str, code: str) -> str:
    """The sentence as the speech engine should say it in the language `code`: a web
    address becomes its site's name ("https://www.example.org/a/b" → "example.org"), not a
    minute of spelled-out slashes; dates, numbers and abbreviations become words of the
    language (opad.speech.normalize). The page keeps the text; only what is spoken changes."""

    def site(match: re.Match[str]) -> str:
        host = urlsplit(match.group(0)).hostname or ""
        return host.removeprefix("www.")

    return speakable(_URL.sub(site, sentence), code)
