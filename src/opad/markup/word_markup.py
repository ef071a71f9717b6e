"""Every word of a reading made selectable, with the learner's state as its colour.

Runs on the sanitized HTML of a reading (render.py's output). Words come from
`opad.text.tokenize` — the browser never guesses word boundaries — and each becomes
`<span class="w s-STATE" data-l="LEMMA" data-s="N">word</span>`, where N indexes the
page's sentences (split per paragraph with `opad.text.split_sentences`), so the popover
can send the sentence with the word. Two steps: `mark_words` finds the words and their
lemmas; `WordMarkup.html(states)` writes the page once the states of all its lemmas came
back from the API in one call.

Korean, Japanese and Chinese are written without spaces, so a block's text is analyzed as
a whole (`opad.text.tokenize` on the block, as the engine analyzed it) and the tokens are
then laid over the block's text nodes: inline markup (a vocabulary link, an <em>) never
changes where a word starts or ends. Their words also carry `data-r`, the reading
(hiragana over kanji, pinyin, Revised Romanization of Hangul) that ruby.js shows on demand.
"""

from __future__ import annotations

import html
from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import Any

from opad.learning.states import UNKNOWN, css_class
from opad.text import normalize, split_sentences, tokenize

_CJK = ("ko", "ja", "zh")
_HAN = ("\u3400", "\u9fff")

# Inside these a word is code, not prose.
_SKIP = frozenset({"code", "pre", "kbd", "script", "style"})  # words not wrapped
_NOT_PROSE = frozenset({"pre", "script", "style"})  # …nor part of any sentence
# Each of these holds its own sentences.
_BLOCKS = frozenset(
    {"p", "li", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "td", "th", "dd", "dt",
     "figcaption", "caption"}
)  # fmt: skip


@dataclass
class _Word:
    lemma: str
    text: str
    block_offset: int
    sentence: int = -1
    reading: str = ""


@dataclass
class _Pending:
    """A text node of a Korean/Japanese/Chinese block, marked once the block is complete."""

    text: str
    base: int


@dataclass
class WordMarkup:
    """The reading's pieces: literal HTML strings and words waiting for their state."""

    # _Pending only while a Korean/Japanese/Chinese block is open (replaced at its end).
    pieces: list[str | _Word | _Pending] = field(default_factory=list)
    sentences: list[str] = field(default_factory=list)

    @property
    def lemmas(self) -> list[str]:
        """Every distinct lemma of the reading, in order of first appearance."""
        return list(dict.fromkeys(p.lemma for p in self.pieces if isinstance(p, _Word)))

    def known_share(self, states: dict[str, dict[str, Any]]) -> float | None:
        """The share of the reading's words (running words, not lemmas) the learner knows
        or ignores; None for a reading without words."""
        words = [p for p in self.pieces if isinstance(p, _Word)]
        if not words:
            return None
        known = sum(
            1 for w in words if states.get(w.lemma, {}).get("state") in ("known", "ignored")
        )
        return known / len(words)

    def html(self, states: dict[str, dict[str, Any]]) -> str:
        """The HTML with each word wrapped and coloured by `states` ({lemma: {state, stage}})."""
        out: list[str] = []
        first = True
        for piece in self.pieces:
            if isinstance(piece, _Pending):  # not reached: every block is closed
                out.append(html.escape(piece.text, quote=False))
                continue
            if isinstance(piece, str):
                out.append(piece)
                continue
            state = states.get(piece.lemma, {})
            cls = css_class(state.get("state", UNKNOWN), int(state.get("stage") or 0))
            reading = f' data-r="{html.escape(piece.reading)}"' if piece.reading else ""
            # One tab stop for the whole text; arrow keys move between words (app.js).
            out.append(
                f'<span class="w {cls}" data-l="{html.escape(piece.lemma)}" '
                f'data-s="{piece.sentence}"{reading} tabindex="{0 if first else -1}">'
                f"{html.escape(piece.text, quote=False)}</span>"
            )
            first = False
        return "".join(out)


class _Marker(HTMLParser):
    def __init__(self, code: str) -> None:
        super().__init__(convert_charrefs=True)
        self.code = code
        self.result = WordMarkup()
        self.skip = 0
        # Open <pre>/<script>/<style>: their text is not prose, so not part of a sentence
        # (inline <code> and <kbd> are: "Type `ls` now." is one sentence, read whole).
        self.code_depth = 0
        self.block_text: list[str] = []
        self.block_words: list[_Word] = []
        # Per open <a>: whether it is one of our vocabulary links (words wrapped, the
        # vocabulary popover still opens) or a real link (left alone: clicks follow it).
        self.links: list[bool] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _BLOCKS:
            self._end_block()
        self.result.pieces.append(self.get_starttag_text() or "")
        if tag == "a":
            vocab = "vocab" in (dict(attrs).get("class") or "").split()
            self.links.append(vocab)
            if not vocab:
                self.skip += 1
        if tag in _SKIP:
            self.skip += 1
            if tag in _NOT_PROSE:
                self.code_depth += 1

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.result.pieces.append(self.get_starttag_text() or "")

    def handle_endtag(self, tag: str) -> None:
        if tag in _BLOCKS:
            self._end_block()
        self.result.pieces.append(f"</{tag}>")
        if tag == "a" and self.links and not self.links.pop() and self.skip:
            self.skip -= 1
        if tag in _SKIP and self.skip:
            self.skip -= 1
            if tag in _NOT_PROSE and self.code_depth:
                self.code_depth -= 1

    def handle_data(self, data: str) -> None:
        if self.skip:
            self.result.pieces.append(html.escape(data, quote=False))
            if not self.code_depth:
                # A real link's or inline code's text: its words are not wrapped (a click
                # follows the link), but it is part of the sentence ("Source: The
                # Guardian, …" is read aloud whole, and the sentence is found in the text).
                self.block_text.append(normalize(data))
            return
        text = normalize(data)
        base = sum(len(t) for t in self.block_text)
        self.block_text.append(text)
        if self.code in _CJK:
            self.result.pieces.append(_Pending(text, base))
            return
        pos = 0
        for token in tokenize(self.code, text):
            self.result.pieces.append(html.escape(text[pos : token.start], quote=False))
            word = _Word(token.lemma or token.word, token.word, base + token.start)
            self.result.pieces.append(word)
            self.block_words.append(word)
            pos = token.end
        self.result.pieces.append(html.escape(text[pos:], quote=False))

    def _mark_cjk_block(self, text: str) -> None:
        """Replace the block's pending text nodes by text and words, the words cut from
        the whole block's analysis (a word split by inline markup is marked in each part,
        with the same lemma)."""
        from opad.text.cjk import readings
        from opad.text.cjk.facts import lemma_reading

        tokens = readings(self.code, text) if text.strip() else []
        new_words: list[_Word] = []
        for index in range(len(self.result.pieces) - 1, -1, -1):
            piece = self.result.pieces[index]
            if not isinstance(piece, _Pending):
                continue
            start, end = piece.base, piece.base + len(piece.text)
            parts: list[str | _Word] = []
            pos = start
            for token, reading in tokens:
                if token.end <= start or token.start >= end:
                    continue
                s, e = max(token.start, start), min(token.end, end)
                parts.append(html.escape(text[pos:s], quote=False))
                # Furigana only over kanji: a word written in kana is read as written.
                if self.code == "ja" and not any(_HAN[0] <= c <= _HAN[1] for c in token.word):
                    reading = ""
                elif self.code == "ko":  # Hangul is read as written: romanized for beginners
                    reading = lemma_reading("ko", token.word)
                if reading == token.word:  # a word in Latin letters ("OPAD") needs none
                    reading = ""
                word = _Word(token.lemma or token.word, text[s:e], s, reading=reading)
                parts.append(word)
                pos = e
            parts.append(html.escape(text[pos:end], quote=False))
            self.result.pieces[index : index + 1] = parts
            # Nodes are visited last to first: each one's words go before those found so far.
            new_words[:0] = [p for p in parts if isinstance(p, _Word)]
        self.block_words = new_words

    def _end_block(self) -> None:
        """Give the block's words the index of the sentence each stands in."""
        text = "".join(self.block_text)
        if self.code in _CJK and any(isinstance(p, _Pending) for p in self.result.pieces):
            self._mark_cjk_block(text)
        words, self.block_text, self.block_words = self.block_words, [], []
        if not words:
            return
        spans: list[tuple[int, int, int]] = []
        cursor = 0
        for sentence in split_sentences(self.code, text):
            start = text.find(sentence[:40], cursor)
            if start < 0:
                continue
            spans.append((start, start + len(sentence), len(self.result.sentences)))
            self.result.sentences.append(sentence)
            cursor = start + len(sentence)
        for word in words:
            word.sentence = next((n for s, e, n in spans if s <= word.block_offset < e), -1)
            if word.sentence < 0 and spans:
                # Between two found sentences (a split the search missed): the one before.
                word.sentence = max(
                    (n for s, _, n in spans if s <= word.block_offset), default=spans[0][2]
                )

    def close(self) -> None:
        super().close()
        self._end_block()


def mark_words(safe_html: str, code: str) -> WordMarkup:
    """Find every word of sanitized HTML in language `code` (ISO 639-1)."""
    marker = _Marker(code)
    marker.feed(safe_html)
    marker.close()
    return marker.result
