"""A title for a text the learner pasted: its own heading, else its first sentence, shortened.

Every pasted text used to be titled "Your text" (or after the topic, whatever the text was
about), so a library of them could not be told apart.
"""

from __future__ import annotations

import re

from opad.languages import find_language
from opad.text import normalize, split_sentences

MAX_CHARS = 70  # about what a library line or a browser tab shows whole
FALLBACK = "Your text"

_ATX_HEADING = re.compile(r"^\s{0,3}#{1,6}\s+(?P<text>.+?)\s*#*\s*$")
_SETEXT_UNDERLINE = re.compile(r"^\s{0,3}(=+|-+)\s*$")
# Markdown a title should not show: emphasis, inline code, links and images as their text.
_LINK = re.compile(r"!?\[(?P<text>[^\]]*)\]\([^)]*\)")
_MARKS = re.compile(r"(\*\*|__|\*|`|~~)")
_QUOTES = "\"'“”‘’«»„"
_SENTENCE_END = (".", "!", "?", "…", ":", ";", "。", "！", "？")
# A first line directly above the text (one line break, the usual result of copy-paste) is
# a headline only when it cannot be the start of the text: no closing punctuation of any
# kind (a colon or comma leads on), short, not a list item, and the next line starts
# like a new sentence, not like the rest of a line wrapped at a fixed width.
MAX_HEADLINE_WORDS = 20
MAX_CJK_HEADLINE_CHARS = 40  # Chinese and Japanese write no spaces: about 20 words
_OPEN_END = (*_SENTENCE_END, ",", "、", "，", "：", "；", "-", "–", "—", "(", "/", "&")
_CLOSING = "\"'”’»)]」』）*_"
_LIST_ITEM = re.compile(r"^(?:[-*+•–—·]\s|\(?\d{1,3}[.)]\s|[a-zA-Z][.)]\s)")
_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uf900-\ufaff]")


def title_from_text(text: str, language: str) -> str:
    """A short title for `text`, in `language` (an English name or ISO code).

    The first markdown heading (`# …` or an underlined line) wins; then a first line that
    stands alone like a heading (short, no closing full stop, a blank line after it, or a
    single line break when it looks like a headline: see `_headline_above_text`); else
    the first sentence. Cut at a word boundary to at most MAX_CHARS characters with "…".
    "Your text" when the text has no words.
    """
    lines = normalize(text).replace("\r\n", "\n").replace("\r", "\n").split("\n")
    heading = _heading(lines)
    if heading:
        return _shorten(heading)
    first_paragraph = _first_paragraph(lines)
    if not first_paragraph:
        return FALLBACK
    lang = find_language(language)
    sentences = split_sentences(lang.code if lang else "en", first_paragraph)
    sentence = _plain(sentences[0]) if sentences else _plain(first_paragraph)
    return _shorten(sentence.rstrip(".:;")) if sentence else FALLBACK


def split_headline(text: str) -> tuple[str | None, str]:
    """A pasted text's headline and the text without it: (headline, body), or
    (None, text) when its first line does not read as a headline (see `title_from_text`).

    A headline is not part of the reading: kept as a sentence it would push out the lead,
    the sentence that says what happened (an athletics story that never says the runner
    broke a record). The body keeps everything after the headline's line(s)."""
    lines = normalize(text).replace("\r\n", "\n").replace("\r", "\n").split("\n")
    heading = _heading(lines)
    if heading is None:
        return None, text
    stripped = [line.strip() for line in lines]
    first = next(i for i, line in enumerate(stripped) if line)
    rest = first + 1
    if rest < len(stripped) and _SETEXT_UNDERLINE.match(stripped[rest]):
        rest += 1
    body = "\n".join(lines[rest:]).strip("\n")
    if not body.strip():  # the whole text is one line: it is the text, not a headline
        return None, text
    return _shorten(heading), body


def _heading(lines: list[str]) -> str | None:
    """The first heading before any paragraph of more than one line."""
    stripped = [line.strip() for line in lines]
    for index, line in enumerate(stripped):
        if not line:
            continue
        atx = _ATX_HEADING.match(lines[index])
        if atx:
            return _plain(atx.group("text")) or None
        following = stripped[index + 1] if index + 1 < len(stripped) else ""
        if following and _SETEXT_UNDERLINE.match(following):
            return _plain(line) or None
        # A first line on its own, short and not ending a sentence, reads as a heading.
        standalone = not following and index + 1 < len(stripped)
        if standalone and len(line) <= 100 and not line.endswith(_SENTENCE_END[:4]):
            return _plain(line) or None
        if following and _headline_above_text(line, stripped[index + 1 :]):
            return _plain(line) or None
        return None
    return None


def _headline_above_text(line: str, after: list[str]) -> bool:
    """Whether `line`, followed by a single line break and the lines `after` (stripped),
    reads as a headline rather than the first line of the text.

    Seen in a walk-through: "City Council Approves New Bike Lanes on Main Street" pasted
    with one line break above the article became part of its first sentence (the title,
    the text read aloud, the first gap of the quiz). A line that ends in any punctuation
    that closes or leads on (". : , ;"), a list item, a long line, or the first line of a
    paragraph wrapped at a fixed width (the next line goes on in lower case, or the lines
    after it are about as long as it) stays text."""
    plain = _plain(line)
    if not plain or _LIST_ITEM.match(line):
        return False
    if plain.rstrip(_CLOSING).endswith(_OPEN_END):
        return False
    if _CJK.search(plain) and " " not in plain:
        if len(plain) > MAX_CJK_HEADLINE_CHARS:
            return False
    elif len(plain.split()) > MAX_HEADLINE_WORDS:
        return False
    following = after[0]
    start = following.lstrip(_CLOSING + "„“‘«¿¡#>")[:1]
    if start.islower():
        return False  # "… on Main" / "Street on Tuesday.": one sentence wrapped
    # Wrapped at a fixed width: the next line breaks off mid-sentence, the paragraph goes
    # on below it, and the first line is about as long as the lines it is wrapped with.
    block = [following]
    for more in after[1:]:
        if not more:
            break
        block.append(more)
    wrapped = len(block) > 1 and not following.rstrip(_CLOSING).endswith(_SENTENCE_END)
    return not (wrapped and len(line) >= 0.75 * max(len(b) for b in block[:-1]))


def _first_paragraph(lines: list[str]) -> str:
    paragraph: list[str] = []
    for line in lines:
        if line.strip():
            paragraph.append(line.strip())
        elif paragraph:
            break
    return " ".join(paragraph)


def _plain(text: str) -> str:
    text = _LINK.sub(lambda m: m.group("text"), text)
    text = " ".join(_MARKS.sub("", text).split()).strip(" -–—")
    if len(text) > 1 and text[0] in _QUOTES and text[-1] in _QUOTES:
        text = text[1:-1].strip()  # a quoted heading: the quotes are decoration
    return text


def _shorten(title: str) -> str:
    if len(title) <= MAX_CHARS:
        return title
    cut = title[: MAX_CHARS - 1]
    if " " in cut:
        cut = cut[: cut.rindex(" ")]
    return cut.rstrip(" ,;:-–—") + "…"
