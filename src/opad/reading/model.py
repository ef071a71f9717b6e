"""A reading as a value: what an engine makes (the result models) and its questions.

The typed body (paragraphs, sentences, tokens) joins them here; everything that reads a
reading points down to this module.
"""

from __future__ import annotations

import json
from enum import StrEnum

from pydantic import BaseModel, Field

from opad.levels import Level


class QuestionKind(StrEnum):
    CLOZE = "cloze"  # a sentence of the text with one word removed; pick the word
    MULTIPLE_CHOICE = "multiple_choice"
    TRUE_FALSE = "true_false"
    MATCHING = "matching"  # a vocabulary word's definition; pick the word of the text


class Question(BaseModel):
    """One question: a prompt, its options, the right option, and the supporting sentence.

    `prompt` holds "____" where a cloze's word was; `answer` is one of `options`;
    `support` is the sentence of the reading that proves the answer.
    """

    id: str
    kind: QuestionKind
    prompt: str
    options: list[str]
    answer: str
    support: str


class Source(BaseModel):
    name: str
    url: str | None = None
    date: str | None = None
    author: str | None = None
    title: str | None = None
    # The id of a text without a URL (a library text: "library:en/city-parks"), recorded
    # with the reading so that the same text is not served again unasked.
    origin: str | None = None


class VocabularyItem(BaseModel):
    word: str
    lemma: str
    level: Level
    # How the lemma is read where the script does not say: hiragana (Japanese), pinyin
    # (Chinese), Revised Romanization (Korean); "" otherwise.
    reading: str = ""
    definition: str = ""
    example: str = ""


class Usage(BaseModel):
    model: str | None = None
    prompt_tokens: int = 0
    completion_tokens: int = 0
    total_tokens: int = 0
    by_step: dict[str, dict[str, int]] = Field(default_factory=dict)
    # At OPAD_LLM_PRICES; None when a model that was used has no price there.
    cost_usd: float | None = None


class Coverage(BaseModel):
    """The known-word coverage a reading reached for the learner it was made for
    (engines/coverage.py): shares 0–1 of its running words."""

    target: float
    reached: float | None  # None: too few known words to level by (`known_lemmas`)
    known_lemmas: int
    due_words: list[str] = Field(default_factory=list)  # due for review, in the reading


class GenerationResult(BaseModel):
    title: str
    markdown: str
    source: Source
    vocabulary: list[VocabularyItem] = Field(default_factory=list)
    usage: Usage | None = None
    word_count: int = 0
    warnings: list[str] = Field(default_factory=list)
    # Comprehension questions with their answers: stored in result.json, never shown
    # with the article (GET /articles/{id}/questions leaves the answers out).
    questions: list[Question] = Field(default_factory=list)
    # Made for a daily plan with a coverage target: what it reached (issue 31).
    coverage: Coverage | None = None


# -- the typed body: what the worker's analysis makes of the text, once per reading --------


class TokenKind(StrEnum):
    """What a token is, for everything that counts, marks, quizzes or speaks words.

    `function` means a word not worth teaching: a grammar word where the analyzer says so
    (Korean endings, Japanese particles, Chinese measure words), and in every language a
    word so frequent (Zipf ≥ 5.5, wordfreq) that a learner meets it first ("the", "mit").
    """

    CONTENT = "content"
    FUNCTION = "function"
    NAME = "name"
    NUMBER = "number"
    PUNCTUATION = "punctuation"


class Token(BaseModel):
    """One token of a paragraph: `paragraph.text[start:end] == surface`.

    `lemma` is the dictionary form a lookup and the learner's saved words use; `reading`
    how the surface is read where the script does not say (hiragana over kanji, pinyin,
    Revised Romanization of Hangul; "" otherwise); `pos` a coarse part of speech (Universal
    Dependencies' UPOS: NOUN, VERB, ADJ, ADV, PROPN, NUM, PUNCT…) where the analyzer gives
    one, else ""; `vocab` the index of the reading's vocabulary item it belongs to, if any;
    `form` (Korean, Japanese, Chinese) the grammatical form from the morphemes' tags
    (opad.text.cjk.morpheme.grammatical_form), which a cloze's options must share, so the
    questions need not analyze the sentence again ("" elsewhere, and in readings stored
    before it was kept).

    What the reader's popover shows about a word, kept so that the API answers a lookup
    from the stored reading and loads no analyzer or word data (issue 32): `zipf` the
    word's frequency as the popover counts it (wordfreq's Zipf scale, log10 of uses per
    billion words: the higher of the form's and its lemma's), `scale` the level on the
    learner's own scale ("JLPT N4", "HSK 3"; "" outside Korean, Japanese, Chinese) and
    `lemma_reading` how the lemma is read there (行きました → いく). A word's `zipf` is None
    in readings stored before they were kept: the lookup then computes all three.
    """

    surface: str
    start: int
    end: int
    lemma: str = ""
    reading: str = ""
    kind: TokenKind = TokenKind.CONTENT
    level: Level | None = None
    pos: str = ""
    vocab: int | None = None
    form: str = ""
    zipf: float | None = None
    scale: str = ""
    lemma_reading: str = ""

    @property
    def is_word(self) -> bool:
        """A word a learner can click, save and count: not punctuation, not digits."""
        if self.kind == TokenKind.PUNCTUATION:
            return False
        return any(c.isalpha() for c in self.surface)

    @property
    def in_vocabulary(self) -> bool:
        """Whether the token is one of the reading's vocabulary words."""
        return self.vocab is not None


class Sentence(BaseModel):
    """One sentence: `index` is its number in the whole reading (0-based, page order) —
    the number the reader's words carry (data-s), the audio timings name and questions
    quote; `start`/`end` are offsets into its paragraph's text."""

    index: int
    text: str
    start: int
    end: int
    tokens: list[Token] = Field(default_factory=list)

    @property
    def words(self) -> list[Token]:
        """The sentence's words (`Token.is_word`), in order."""
        return [t for t in self.tokens if t.is_word]


class Paragraph(BaseModel):
    """One block of the text as the reader shows it (`tag`: p, li, h2, blockquote…):
    `text` is the block's text (NFC, invisible characters removed), as the reader's page
    has it, so stored offsets lay onto the page's text nodes."""

    tag: str = "p"
    text: str
    sentences: list[Sentence] = Field(default_factory=list)


# Bumped when the analysis changes in a way stored readings must be analyzed again for.
BODY_VERSION = 1


class ReadingBody(BaseModel):
    """A reading's text, analyzed once: metadata apart, then paragraphs → sentences →
    tokens. `language` is an ISO 639-1 code; `title` and `source` are never part of the
    paragraphs (nothing speaks, counts, quizzes or marks them); `markdown` is the body's
    markdown (without title, source line and vocabulary section) that the reader renders
    and lays the tokens onto."""

    version: int = BODY_VERSION
    language: str
    title: str = ""
    source: Source | None = None
    markdown: str = ""
    paragraphs: list[Paragraph] = Field(default_factory=list)

    @property
    def sentences(self) -> list[Sentence]:
        """Every sentence, in reading order (`sentences[n].index == n`)."""
        return [s for p in self.paragraphs for s in p.sentences]

    @property
    def words(self) -> list[Token]:
        """Every word (`Token.is_word`), in reading order."""
        return [t for s in self.sentences for t in s.words]

    def lemma_counts(self) -> dict[str, int]:
        """{lemma: running words}: what "known words %" is computed from."""
        counts: dict[str, int] = {}
        for token in self.words:
            key = token.lemma or token.surface
            counts[key] = counts.get(key, 0) + 1
        return counts

    def lemmas(self) -> list[str]:
        """Every distinct lemma of the words, in order of first appearance."""
        return list(dict.fromkeys(t.lemma or t.surface for t in self.words))

    def learnable_lemmas(self) -> list[str]:
        """The lemmas a learner could know or learn: the reading's own words (title and
        source are metadata, never here) in its language, without names, numbers (digits
        or words), punctuation and English words quoted in another language (`pos` "X") —
        what "Mark all remaining words known" saves. Lemmas differing only
        in case ("Ahora" at a sentence's start) count once, lower case first."""
        kept = (TokenKind.CONTENT, TokenKind.FUNCTION)
        found: dict[str, str] = {}
        for token in self.words:
            if token.kind not in kept or token.pos == "X":
                continue
            lemma = token.lemma or token.surface
            key = lemma.casefold()
            if key not in found or (lemma == key and found[key] != key):
                found[key] = lemma
        return list(found.values())

    def plain_text(self) -> str:
        """The paragraphs' text, a blank line between paragraphs."""
        return "\n\n".join(p.text.strip() for p in self.paragraphs)

    def to_json(self) -> str:
        """Compact JSON: defaults left out (a token is a few dozen bytes), the version kept."""
        data = self.model_dump(mode="json", exclude_defaults=True)
        data["version"] = self.version
        return json.dumps(data, ensure_ascii=False, separators=(",", ":"))
