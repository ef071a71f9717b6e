"""A reading's markdown → sanitized HTML, and the pattern that finds vocabulary words.

Whatever an engine (or the news page behind it) wrote is untrusted: markdown-it turns it
into HTML, nh3 keeps only a prose allowlist; our own markup (opad.web.reader) is added
only then, on the sanitized text nodes, re-escaping every piece of text it emits.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from functools import cache

import nh3
from markdown_it import MarkdownIt

ALLOWED_TAGS = frozenset(
    {
        "a", "abbr", "b", "blockquote", "br", "caption", "cite", "code", "dd", "del", "dl",
        "dt", "em", "figcaption", "figure", "h1", "h2", "h3", "h4", "h5", "h6", "hr", "i",
        "ins", "kbd", "li", "mark", "ol", "p", "pre", "q", "s", "small", "span", "strong",
        "sub", "sup", "table", "tbody", "td", "tfoot", "th", "thead", "time", "tr", "u", "ul",
    }
)  # fmt: skip
# No img: a remote image would be fetched from wherever the engine pointed, on every read.
ALLOWED_ATTRIBUTES = {
    "*": {"lang", "title"},
    "a": {"href"},
    "ol": {"start"},
    "td": {"colspan", "rowspan"},
    "th": {"colspan", "rowspan", "scope"},
    "time": {"datetime"},
}
URL_SCHEMES = frozenset({"http", "https", "mailto"})

# html=True lets harmless inline HTML (an <em> an LLM wrote) survive; nh3 is the guarantee.
_markdown = MarkdownIt("commonmark", {"html": True, "linkify": False, "typographer": False})
_markdown.enable("table")
_markdown.enable("strikethrough")


def sanitize(fragment: str) -> str:
    """Keep only prose markup: no script, style, event handler or non-http(s) link survives."""
    return nh3.clean(
        fragment,
        tags=set(ALLOWED_TAGS),
        attributes={tag: set(attrs) for tag, attrs in ALLOWED_ATTRIBUTES.items()},
        url_schemes=set(URL_SCHEMES),
        link_rel="noopener noreferrer",
        strip_comments=True,
    )


def markdown_to_html(markdown: str) -> str:
    """Render markdown and sanitize the result."""
    return sanitize(_markdown.render(markdown))


@cache
def _word_char_class() -> str:
    # \w misses combining marks (Devanagari vowel signs, Arabic harakat…), which are
    # part of a word: without them a match could stop in the middle of one.
    marks: list[str] = []
    start = prev = None
    for code in range(0x0300, 0x2000):
        if unicodedata.category(chr(code)).startswith("M"):
            if prev is not None and code == prev + 1:
                prev = code
                continue
            if start is not None:
                marks.append(f"\\u{start:04x}-\\u{prev:04x}")
            start = prev = code
    if start is not None:
        marks.append(f"\\u{start:04x}-\\u{prev:04x}")
    return "[\\w" + "".join(marks) + "]"


def vocabulary_pattern(words: Iterable[str]) -> re.Pattern[str] | None:
    """One regex matching any of the words as a whole word, case-insensitively."""
    unique = sorted({w.strip() for w in words if w and w.strip()}, key=len, reverse=True)
    if not unique:
        return None
    wc = _word_char_class()
    # Longest first, so a multi-word entry wins over a word it contains.
    alternatives = "|".join(re.escape(w) for w in unique)
    return re.compile(f"(?<!{wc})(?:{alternatives})(?!{wc})", re.IGNORECASE)
