"""Article markdown → sanitized HTML, with vocabulary words turned into focusable links.

Whatever an engine (or the news page behind it) wrote is untrusted: markdown-it turns it
into HTML, nh3 keeps only a prose allowlist, and only then do we add our own markup, by
walking the sanitized text nodes and re-escaping every piece of text we emit.
"""

from __future__ import annotations

import html
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache
from html.parser import HTMLParser

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
# Inside these a highlighted word would nest interactive content or mangle code.
_NO_HIGHLIGHT = frozenset({"a", "code", "pre", "kbd", "button"})

# html=True lets harmless inline HTML (an <em> an LLM wrote) survive; nh3 is the guarantee.
_markdown = MarkdownIt("commonmark", {"html": True, "linkify": False, "typographer": False})
_markdown.enable("table")
_markdown.enable("strikethrough")

_VOCAB_HEADING = re.compile(r"^##[ \t]+(vocabulary|vocabulaire|vokabular|wortschatz|vocabulario)"
                            r"[ \t:]*#*[ \t]*$", re.IGNORECASE | re.MULTILINE)  # fmt: skip
_CJK = ("ko", "ja", "zh")  # written without spaces: words are the analyzer's tokens
_TITLE = re.compile(r"\A\s*#[ \t]+(?P<title>[^\n]+?)[ \t#]*(?:\n|\Z)")


@dataclass(frozen=True)
class RenderedArticle:
    """A reader-ready article: the title from the first heading and the body as safe HTML."""

    title: str | None
    html: str


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


def split_title(markdown: str) -> tuple[str | None, str]:
    """The text of a leading `# Title` line (if any) and the markdown after it."""
    match = _TITLE.match(markdown)
    if not match:
        return None, markdown
    return match.group("title").strip(), markdown[match.end() :]


def strip_vocabulary_section(markdown: str) -> str:
    """Drop a trailing `## Vocabulary` section; the reader renders its own list from JSON."""
    matches = list(_VOCAB_HEADING.finditer(markdown))
    if not matches:
        return markdown
    start = matches[-1].start()
    # Only a trailing section: a later h1/h2 means the heading was part of the body.
    if re.search(r"^#{1,2}[ \t]", markdown[matches[-1].end() :], re.MULTILINE):
        return markdown
    return markdown[:start].rstrip() + "\n"


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


class _Highlighter(HTMLParser):
    """Re-emits sanitized HTML, wrapping vocabulary matches found in text nodes."""

    def __init__(self, pattern: re.Pattern[str], index: dict[str, int], code: str = "") -> None:
        super().__init__(convert_charrefs=True)
        self.code = code
        self.pattern = pattern
        self.index = index
        self.out: list[str] = []
        self.skip_depth = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        # The raw start tag comes from nh3's serializer, so it is already safe to re-emit.
        self.out.append(self.get_starttag_text() or "")
        if tag in _NO_HIGHLIGHT:
            self.skip_depth += 1

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.out.append(self.get_starttag_text() or "")

    def handle_endtag(self, tag: str) -> None:
        self.out.append(f"</{tag}>")
        if tag in _NO_HIGHLIGHT and self.skip_depth:
            self.skip_depth -= 1

    def _number(self, text: str) -> int:
        number = self.index.get(text.casefold())
        if number is not None:
            return number
        # Regex case-insensitivity and casefold() disagree on a few letters (Turkish İ).
        for key, value in self.index.items():
            if re.fullmatch(re.escape(key), text, re.IGNORECASE):
                return value
        return 0

    def handle_data(self, data: str) -> None:
        if self.skip_depth:
            self.out.append(html.escape(data, quote=False))
            return
        if self.code in _CJK:
            self._cjk_data(data)
            return
        pos = 0
        for match in self.pattern.finditer(data):
            self.out.append(html.escape(data[pos : match.start()], quote=False))
            number = self._number(match.group(0))
            self.out.append(
                f'<a class="vocab" href="#vocab-{number}" data-vocab="{number}">'
                f"{html.escape(match.group(0), quote=False)}</a>"
            )
            pos = match.end()
        self.out.append(html.escape(data[pos:], quote=False))

    def _cjk_data(self, data: str) -> None:
        """Korean, Japanese, Chinese: a vocabulary word is linked only where the analyzer
        cut the text into that word (本 is not linked inside 日本)."""
        from opad.text import normalize, tokenize

        text = normalize(data)
        pos = 0
        for token in tokenize(self.code, text):
            number = self.index.get(token.word.casefold())
            if number is None:
                continue
            self.out.append(html.escape(text[pos : token.start], quote=False))
            self.out.append(
                f'<a class="vocab" href="#vocab-{number}" data-vocab="{number}">'
                f"{html.escape(token.word, quote=False)}</a>"
            )
            pos = token.end
        self.out.append(html.escape(text[pos:], quote=False))


def highlight_vocabulary(safe_html: str, words: Sequence[str], code: str = "") -> str:
    """Wrap whole-word occurrences of `words` (case-insensitive) in text nodes of safe HTML.

    Each becomes `<a class="vocab" href="#vocab-N">` where N is the word's position in
    `words`: without JavaScript it jumps to the entry in the list, with it a popover opens.
    `code` (ISO 639-1): for ko/ja/zh words are matched as the text's tokens.
    """
    pattern = vocabulary_pattern(words)
    if pattern is None:
        return safe_html
    index: dict[str, int] = {}
    for number, word in enumerate(words):
        index.setdefault(word.strip().casefold(), number)
    parser = _Highlighter(pattern, index, code)
    parser.feed(safe_html)
    parser.close()
    return "".join(parser.out)


def render_article(
    markdown: str, vocabulary_words: Sequence[str], code: str = ""
) -> RenderedArticle:
    """The reader's body: title split off, own vocabulary section dropped, words highlighted
    (as whole tokens of language `code` in Korean, Japanese and Chinese)."""
    title, body = split_title(markdown)
    if vocabulary_words:
        body = strip_vocabulary_section(body)
    html_body = highlight_vocabulary(markdown_to_html(body), vocabulary_words, code)
    return RenderedArticle(title, html_body)
