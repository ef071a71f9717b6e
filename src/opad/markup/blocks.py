"""The prose blocks of a reading's sanitized HTML, and its text nodes in page order.

One walk serves both sides of "analyzed once": the worker's analysis takes each block's
text from it (opad.reading.analyze), and the reader lays the stored tokens back onto the
same text nodes (opad.web.reader). Both see the same blocks with the same text, so a
token's offsets in its paragraph are offsets into the page's text.

- A block is the text between two block boundaries (the start or end of a p, li, h1–h6,
  blockquote, td, th, dd, dt, figcaption or caption), NFC with invisible characters
  removed (`opad.text.normalize`, a pure function: no analyzer is loaded).
- Text in <pre>, <script>, <style> is no block's text (it is code, not prose).
- Text in a link or inline code is part of its block (the sentence reads on through it)
  but `skipped`: its words are not the reading's words (a click follows the link).
"""

from __future__ import annotations

import html
from dataclasses import dataclass, field
from html.parser import HTMLParser

from opad.text.normalize import normalize

BLOCK_TAGS = frozenset(
    {"p", "li", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "td", "th", "dd", "dt",
     "figcaption", "caption"}
)  # fmt: skip
_SKIPPED = frozenset({"a", "code", "kbd"})  # in the sentence, but not words
_NOT_PROSE = frozenset({"pre", "script", "style"})  # in no sentence at all


@dataclass
class TextNode:
    """A text node: `text` (normalized) starts at `base` in block number `block` (-1: in
    no block, e.g. code in <pre>); `skipped` when its words are not the reading's."""

    text: str
    block: int
    base: int
    skipped: bool


@dataclass
class Block:
    """One prose block: its tag, its text, and the spans of skipped text in it."""

    tag: str
    text: str
    skipped: list[tuple[int, int]] = field(default_factory=list)


@dataclass
class Walk:
    """The page in order: literal HTML (str, already safe) and text nodes; the blocks."""

    pieces: list[str | TextNode] = field(default_factory=list)
    blocks: list[Block] = field(default_factory=list)


class _Walker(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.walk = Walk()
        self.open_blocks: list[str] = []
        self.skip = 0
        self.not_prose = 0
        self.nodes: list[TextNode] = []  # of the block being read
        self.text: list[str] = []

    def _boundary(self) -> None:
        """End the block being read: it is kept when it has any non-space text."""
        text = "".join(self.text)
        if text.strip():
            number = len(self.walk.blocks)
            block = Block(self.open_blocks[-1] if self.open_blocks else "p", text)
            for node in self.nodes:
                node.block = number
                if node.skipped:
                    block.skipped.append((node.base, node.base + len(node.text)))
            self.walk.blocks.append(block)
        self.nodes, self.text = [], []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in BLOCK_TAGS:
            self._boundary()
            self.open_blocks.append(tag)
        # The start tag as nh3's serializer wrote it: already safe to re-emit.
        self.walk.pieces.append(self.get_starttag_text() or "")
        if tag in _SKIPPED:
            self.skip += 1
        if tag in _NOT_PROSE:
            self.not_prose += 1

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.walk.pieces.append(self.get_starttag_text() or "")

    def handle_endtag(self, tag: str) -> None:
        if tag in BLOCK_TAGS:
            self._boundary()
            if tag in self.open_blocks:
                del self.open_blocks[len(self.open_blocks) - 1 - self.open_blocks[::-1].index(tag)]
        self.walk.pieces.append(f"</{tag}>")
        if tag in _SKIPPED and self.skip:
            self.skip -= 1
        if tag in _NOT_PROSE and self.not_prose:
            self.not_prose -= 1

    def handle_data(self, data: str) -> None:
        if self.not_prose:
            self.walk.pieces.append(html.escape(data, quote=False))
            return
        text = normalize(data)
        node = TextNode(text, -1, sum(len(t) for t in self.text), self.skip > 0)
        self.text.append(text)
        self.nodes.append(node)
        self.walk.pieces.append(node)

    def close(self) -> None:
        super().close()
        self._boundary()


def walk(safe_html: str) -> Walk:
    """The blocks and text nodes of sanitized HTML (opad.markup.render's output)."""
    walker = _Walker()
    walker.feed(safe_html)
    walker.close()
    return walker.walk
