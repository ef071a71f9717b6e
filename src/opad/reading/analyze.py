"""A reading's markdown → its typed body (`ReadingBody`), with `opad.text`: once per reading.

Runs in the worker only (it loads the language's analyzers: simplemma and wordfreq, or
Kiwi, SudachiPy, jieba). The steps:

1. `layout.parse`: title and source line out of the text, vocabulary section apart;
2. the text's markdown → sanitized HTML → prose blocks (`opad.markup.blocks`: the very
   blocks the reader lays the tokens onto);
3. per block: sentences (`opad.text.split_sentences`), words with lemmas
   (`opad.text.tokenize`; for Korean, Japanese and Chinese the analyzer's clickable words
   with readings and tags), punctuation and numbers between them, each word's level, kind
   and vocabulary item.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence

import regex

from opad.languages import find_language
from opad.markup.blocks import Block, walk
from opad.markup.render import markdown_to_html, vocabulary_pattern
from opad.metrics import READINGS_ANALYZED
from opad.reading import layout
from opad.reading.cjk_tokens import cjk_tokens
from opad.reading.model import (
    Paragraph,
    ReadingBody,
    Sentence,
    Token,
    TokenKind,
    VocabularyItem,
)
from opad.text import split_sentences, tokenize
from opad.text.estimator import LevelEstimator, lemma_zipf
from opad.text.kinds import looks_like_name

log = logging.getLogger("opad.reading")

CJK = ("ko", "ja", "zh")
# Zipf frequency (wordfreq: log10 of uses per billion words) from which a word is one of
# the language's most common ("the" 7.7, "with" 6.6, "every" 5.6 against "morning" 5.3):
# a `function` token, never worth a question (the cloze rule of opad.questions).
COMMON_ZIPF = 5.5
# Between words: a number (digits, with inner separators) or a run of punctuation.
_GAP = regex.compile(r"\p{N}+(?:[.,:/]\p{N}+)*|[^\s\p{L}\p{M}\p{N}]+")


def analyze(markdown: str, code: str, vocabulary: Sequence[VocabularyItem] = ()) -> ReadingBody:
    """The typed body of a reading's markdown in language `code` (ISO 639-1).

    Raises ValueError for a language OPAD does not know.
    """
    lang = find_language(code)
    if lang is None:
        raise ValueError(f"unknown language {code!r}")
    parsed = layout.parse(markdown)
    blocks = walk(markdown_to_html(parsed.body)).blocks
    estimator = LevelEstimator(lang.name)
    vocab = _VocabularyIndex(lang.code, vocabulary)
    paragraphs: list[Paragraph] = []
    number = 0
    for block in blocks:
        paragraph = _paragraph(lang.code, block, estimator, vocab, number)
        number += len(paragraph.sentences)
        paragraphs.append(paragraph)
    READINGS_ANALYZED.labels(lang.code).inc()
    return ReadingBody(
        language=lang.code,
        title=parsed.title,
        source=parsed.source,
        markdown=parsed.body,
        paragraphs=paragraphs,
    )


class _VocabularyIndex:
    """Which vocabulary item a word of the text is: whole-word matches of the items' words
    (multi-word items too) in most languages, the analyzer's whole tokens in ko/ja/zh (本
    is not 日本's vocabulary item)."""

    def __init__(self, code: str, vocabulary: Sequence[VocabularyItem]) -> None:
        self.code = code
        self.index: dict[str, int] = {}
        for n, item in enumerate(vocabulary):
            self.index.setdefault(item.word.strip().casefold(), n)
        words = [item.word for item in vocabulary]
        self.pattern = vocabulary_pattern(words) if code not in CJK else None

    def mark(self, text: str, tokens: list[Token]) -> None:
        if not self.index:
            return
        if self.code in CJK:
            for token in tokens:
                token.vocab = self.index.get(token.surface.casefold())
            return
        if self.pattern is None:
            return
        for match in self.pattern.finditer(text):
            number = self._number(match.group(0))
            for token in tokens:
                if token.start < match.end() and token.end > match.start() and token.is_word:
                    token.vocab = number

    def _number(self, text: str) -> int:
        found = self.index.get(text.casefold())
        if found is not None:
            return found
        # Regex case-insensitivity and casefold() disagree on a few letters (Turkish İ).
        for key, value in self.index.items():
            if regex.fullmatch(regex.escape(key), text, regex.IGNORECASE):
                return value
        return 0


def _paragraph(
    code: str, block: Block, estimator: LevelEstimator, vocab: _VocabularyIndex, first: int
) -> Paragraph:
    text = block.text
    spans: list[tuple[int, int]] = []
    cursor = 0
    for sentence in split_sentences(code, text):
        start = text.find(sentence[:40], cursor)
        if start < 0:
            continue  # a split the search cannot place: its words join the one before
        spans.append((start, start + len(sentence)))
        cursor = start + len(sentence)
    words = cjk_tokens(code, text) if code in CJK else _words(code, text, estimator, spans)
    if code in CJK:
        for token in words:
            _level_cjk(token, estimator)
    tokens = _with_gaps(text, words)
    tokens = [t for t in tokens if not any(s < t.end and t.start < e for s, e in block.skipped)]
    vocab.mark(text, tokens)
    if not spans:
        spans = [(0, len(text))]
    sentences = [
        Sentence(index=first + n, text=text[s:e], start=s, end=e) for n, (s, e) in enumerate(spans)
    ]
    for token in tokens:
        at = max((n for n, (s, _) in enumerate(spans) if s <= token.start), default=0)
        sentences[at].tokens.append(token)
    return Paragraph(tag=block.tag, text=text, sentences=sentences)


def _sentence_at(text: str, spans: list[tuple[int, int]], offset: int) -> str:
    for start, end in spans:
        if start <= offset < end:
            return text[start:end]
    return text


def _words(
    code: str, text: str, estimator: LevelEstimator, spans: list[tuple[int, int]]
) -> list[Token]:
    """The words of one block in a language written with spaces, with level and kind."""
    out = []
    for found in tokenize(code, text):
        info = estimator.word(found.word)
        lemma = found.lemma or found.word
        kind, pos = TokenKind.CONTENT, ""
        if info.is_number:
            kind, pos = TokenKind.NUMBER, "NUM"
        elif looks_like_name(code, found.word, lemma, _sentence_at(text, spans, found.start)):
            kind, pos = TokenKind.NAME, "PROPN"
        elif info.zipf >= COMMON_ZIPF:
            kind = TokenKind.FUNCTION
        if kind == TokenKind.CONTENT and _english_in(code, found.word, info.zipf):
            pos = "X"  # UPOS for a foreign word: never marked known in bulk
        out.append(
            Token(
                surface=found.word,
                start=found.start,
                end=found.end,
                lemma=lemma,
                kind=kind,
                level=info.level,
                pos=pos,
                zipf=round(lemma_zipf(estimator, info, lemma), 2),
                scale=info.detail.scale,
            )
        )
    return out


# How much more frequent (Zipf) in English than in the reading's language a word must be
# to count as an English word quoted in it: "library" in Spanish (4.9 against 3.2),
# "source" (5.2 / 3.5), "starter" (4.0 / 2.6) are; German "bad" (5.5 / 4.6) or Spanish
# "email" (4.7 / 3.9) are not. A word common in the language itself (Zipf 4 or more, German
# "See" 4.5 against English "see" 6.3) is always its own.
ENGLISH_MARGIN = 1.2
OWN_ZIPF = 4.0


def _english_in(code: str, word: str, zipf: float) -> bool:
    """Whether `word`, in a reading in language `code`, is an English word (ASCII letters,
    and far more frequent in English than in `code`, by wordfreq)."""
    if code == "en" or not word.isascii() or zipf >= OWN_ZIPF:
        return False
    import wordfreq

    return wordfreq.zipf_frequency(word, "en") >= zipf + ENGLISH_MARGIN


def _level_cjk(token: Token, estimator: LevelEstimator) -> None:
    info = estimator.word(token.surface)
    token.level = info.level
    # What the popover shows, kept so a lookup needs no analyzer (services/lookups.py).
    token.zipf = round(lemma_zipf(estimator, info, token.lemma), 2)
    token.scale = info.detail.scale
    token.lemma_reading = estimator.reading(token.surface)
    if token.kind == TokenKind.CONTENT and info.zipf >= COMMON_ZIPF:
        token.kind = TokenKind.FUNCTION


def _with_gaps(text: str, words: list[Token]) -> list[Token]:
    """The words with the numbers and punctuation between them, in text order."""
    out: list[Token] = []
    pos = 0
    for word in [*words, None]:
        end = word.start if word is not None else len(text)
        for match in _GAP.finditer(text, pos, end):
            digits = match.group(0)[:1].isdigit()
            out.append(
                Token(
                    surface=match.group(0),
                    start=match.start(),
                    end=match.end(),
                    kind=TokenKind.NUMBER if digits else TokenKind.PUNCTUATION,
                    pos="NUM" if digits else "PUNCT",
                )
            )
        if word is not None:
            out.append(word)
            pos = word.end
    return out
