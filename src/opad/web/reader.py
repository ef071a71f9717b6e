"""The reader's page body: a reading's stored tokens laid onto its rendered text.

The worker analyzed the reading once (opad.reading.analyze); here nothing is tokenized:
the body's markdown is rendered and sanitized (opad.markup.render), walked into the same
prose blocks the analysis saw (opad.markup.blocks), and each stored word is wrapped where
its offsets say:

    <span class="w s-STATE" data-l="LEMMA" data-s="N" data-r="READING" data-p="POS">word</span>

N is the sentence's number in the whole reading (the audio's timings and the questions
use the same numbers); a vocabulary word is also inside `<a class="vocab" href="#vocab-K"
data-vocab="K">`; each sentence starts with an empty `<span class="sb" data-sb="N">` (where
the audio's replay mark goes: never inside a word, as in "L'école"). A block whose text is
not the stored paragraph's (a reading changed since) is shown as plain text.
"""

from __future__ import annotations

import html
import logging
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from opad.learning.states import UNKNOWN, css_class
from opad.markup.blocks import TextNode, walk
from opad.markup.render import markdown_to_html
from opad.reading.model import Paragraph, ReadingBody, Token

log = logging.getLogger("opad.web")


@dataclass(frozen=True)
class LaidReading:
    """The page's reading: safe HTML, its sentences (index = data-s) and its lemmas."""

    html: str
    sentences: list[str]
    lemmas: list[str]


def plain_html(markdown: str) -> str:
    """A body's markdown as safe HTML without word markup (a reading not analyzed yet)."""
    return markdown_to_html(markdown)


def _mark(sentence: int) -> str:
    """Where sentence number `sentence` starts (the audio's replay mark goes there)."""
    return f'<span class="sb" data-sb="{sentence}"></span>'


def _word_html(
    token: Token, sentence: int, text: str, states: Mapping[str, Any], first: bool
) -> str:
    lemma = token.lemma or token.surface
    state = states.get(lemma, {})
    cls = css_class(state.get("state", UNKNOWN), int(state.get("stage") or 0))
    extra = f' data-r="{html.escape(token.reading)}"' if token.reading else ""
    if token.pos:
        extra += f' data-p="{html.escape(token.pos)}"'
    # One tab stop for the whole text; arrow keys move between words (app.js).
    word = (
        f'<span class="w {cls}" data-l="{html.escape(lemma)}" data-s="{sentence}"{extra} '
        f'tabindex="{0 if first else -1}">{html.escape(text, quote=False)}</span>'
    )
    if token.vocab is not None:
        word = f'<a class="vocab" href="#vocab-{token.vocab}" data-vocab="{token.vocab}">{word}</a>'
    return word


def _node_html(
    node: TextNode, paragraph: Paragraph, states: Mapping[str, Any], first: list[bool]
) -> str:
    """A text node's HTML with the paragraph's words (and sentence starts) inside it."""
    start, end = node.base, node.base + len(node.text)
    marks: list[tuple[int, int, str]] = []  # (offset, order, html): order keeps marks first
    for sentence in paragraph.sentences:
        # A sentence that starts with a link's text: its mark goes before the link (lay).
        if start <= sentence.start < end and not (node.skipped and sentence.start == start):
            marks.append((sentence.start, 0, _mark(sentence.index)))
    out: list[str] = []
    pos = start
    events: list[tuple[int, int, str, int]] = [(o, k, h, o) for o, k, h in marks]
    if not node.skipped:
        for sentence in paragraph.sentences:
            for token in sentence.words:
                if token.end <= start or token.start >= end:
                    continue
                s, e = max(token.start, start), min(token.end, end)
                piece = _word_html(token, sentence.index, paragraph.text[s:e], states, first[0])
                first[0] = False
                events.append((s, 1, piece, e))
    for offset, _, piece, until in sorted(events, key=lambda ev: (ev[0], ev[1])):
        if offset < pos:
            continue  # overlapping tokens cannot be: the analysis gives them in order
        out.append(html.escape(paragraph.text[pos:offset], quote=False))
        out.append(piece)
        pos = until
    out.append(html.escape(paragraph.text[pos:end], quote=False))
    return "".join(out)


def lay(body: ReadingBody, states: Mapping[str, Any]) -> LaidReading:
    """The reading's HTML with every word wrapped and coloured by `states`
    ({lemma: {"state", "stage"}}), its sentences and its distinct lemmas."""
    page = walk(markdown_to_html(body.markdown))
    paragraphs = body.paragraphs
    fits = [
        n < len(paragraphs) and paragraphs[n].text == block.text
        for n, block in enumerate(page.blocks)
    ]
    if not all(fits) or len(page.blocks) != len(paragraphs):
        log.warning("reading %r: %d of %d blocks differ from its analysis", body.title,
                    fits.count(False), len(page.blocks))  # fmt: skip
    out: list[str] = []
    first = [True]
    for piece in page.pieces:
        if isinstance(piece, str):
            out.append(piece)
        elif piece.block >= 0 and fits[piece.block]:
            paragraph = paragraphs[piece.block]
            if piece.skipped and out:
                for sentence in paragraph.sentences:
                    if sentence.start == piece.base:  # before the link's (or code's) start tag
                        out.insert(-1, _mark(sentence.index))
            out.append(_node_html(piece, paragraph, states, first))
        else:
            out.append(html.escape(piece.text, quote=False))
    return LaidReading("".join(out), [s.text for s in body.sentences], body.lemmas())
