"""The running words of a reading, by lemma: what "known words %" is computed from.

The reader marks the words of the rendered body (title split off, the reading's own
vocabulary section dropped, link and code text left alone); this counts the same words
from the stored markdown, so the library can show each reading's share of known words
from an index in the database instead of re-reading every text (services/known_share.py).
"""

from __future__ import annotations

import re
from collections import Counter
from html.parser import HTMLParser

from markdown_it import MarkdownIt

from opad.text import normalize, tokenize

# The states whose words count as known: known, and ignored (names, typos: nothing to learn).
KNOWN_STATES = ("known", "ignored")

_markdown = MarkdownIt("commonmark", {"html": True, "linkify": False, "typographer": False})
_markdown.enable("table")
_markdown.enable("strikethrough")

# The same headings the reader drops (markup/render.py): the list is shown from JSON instead.
_VOCAB_HEADING = re.compile(r"^##[ \t]+(vocabulary|vocabulaire|vokabular|wortschatz|vocabulario)"
                            r"[ \t:]*#*[ \t]*$", re.IGNORECASE | re.MULTILINE)  # fmt: skip
_TITLE = re.compile(r"\A\s*#[ \t]+[^\n]+?[ \t#]*(?:\n|\Z)")
# Text in these is not prose the reader marks (links are followed, code is code).
_SKIP = frozenset({"a", "code", "pre", "kbd", "script", "style"})


class _Text(HTMLParser):
    def __init__(self, code: str) -> None:
        super().__init__(convert_charrefs=True)
        self.code = code
        self.skip = 0
        self.lemmas: Counter[str] = Counter()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _SKIP:
            self.skip += 1

    def handle_endtag(self, tag: str) -> None:
        if tag in _SKIP and self.skip:
            self.skip -= 1

    def handle_data(self, data: str) -> None:
        if not self.skip:
            for token in tokenize(self.code, normalize(data)):
                self.lemmas[token.lemma or token.word] += 1


def _body(markdown: str, drop_vocabulary: bool) -> str:
    match = _TITLE.match(markdown)
    body = markdown[match.end() :] if match else markdown
    headings = list(_VOCAB_HEADING.finditer(body)) if drop_vocabulary else []
    # Only a trailing section: a later h1/h2 means the heading was part of the body.
    if headings and not re.search(r"^#{1,2}[ \t]", body[headings[-1].end() :], re.MULTILINE):
        body = body[: headings[-1].start()]
    return body


def lemma_counts(code: str, markdown: str, drop_vocabulary: bool = True) -> Counter[str]:
    """{lemma: running words} of a reading's markdown in language `code` (ISO 639-1).

    `drop_vocabulary`: leave out a trailing "## Vocabulary" section (the reader does when
    the reading has a vocabulary list). The total of the counts is the reading's word count
    as the reader marks it.
    """
    parser = _Text(code)
    parser.feed(_markdown.render(_body(markdown, drop_vocabulary)))
    parser.close()
    return parser.lemmas


def known_share(counts: Counter[str], states: dict[str, str]) -> float | None:
    """The share (0–1) of running words whose lemma is known or ignored in `states`
    ({lemma: state}); None for a reading without words. The SQL in
    services/known_share.py computes the same figure for many readings at once."""
    total = sum(counts.values())
    if not total:
        return None
    return sum(n for lemma, n in counts.items() if states.get(lemma) in KNOWN_STATES) / total
