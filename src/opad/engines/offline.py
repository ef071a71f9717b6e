"""The leveler (OPAD_ENGINE=leveler, formerly "offline"): levels a real text by word
frequency, with no LLM.

The source is the request's text, else its URL, else a text on the topic: fresh news when
OPAD_NEWS is on, else the starter library (see `topic_source`). It keeps the most
accessible sentences (in their original order) until the target length is reached, and
lists the words at or above the learner's level.
"""

from __future__ import annotations

from dataclasses import dataclass

from opad.engines.base import (
    GenerationRequest,
    GenerationResult,
    ProgressFn,
    Source,
    VocabularyItem,
)
from opad.engines.leveling import LevelEstimator, count_words, split_sentences
from opad.engines.markdown import article_markdown
from opad.engines.sources import SourceText, fetch_url
from opad.engines.titles import title_from_text
from opad.engines.topic_source import TopicSources
from opad.levels import Level
from opad.netguard import parse_networks
from opad.settings import Settings

TOLERANCE = 0.15
MAX_VOCABULARY = 40


@dataclass(frozen=True)
class _Sentence:
    index: int
    paragraph: int
    text: str
    words: int


class OfflineEngine:
    """Leveling of a real text without an LLM; it reaches the network only for a
    source_url, or for news when OPAD_NEWS is on."""

    # Named for what it does: it levels a real text (no LLM rewrites it). "offline" stays
    # an alias (OPAD_ENGINE, jobs stored before the rename).
    name = "leveler"

    def __init__(self, settings: Settings) -> None:
        self.topics = TopicSources(settings)
        self.fetch_timeout = settings.fetch_timeout_seconds
        self.fetch_max_bytes = settings.fetch_max_bytes
        self.fetch_allow = parse_networks(settings.fetch_allow_networks)

    def _source(self, request: GenerationRequest, progress: ProgressFn) -> SourceText:
        if request.source_text:
            progress(10, "Reading your text…")
            # The text's own heading or first sentence, even when a topic was given too.
            title = title_from_text(request.source_text, request.language)
            return SourceText(title=title, body=request.source_text, name="Your text")
        if request.source_url:
            progress(10, "Fetching the page…")
            return fetch_url(
                request.source_url,
                timeout=self.fetch_timeout,
                max_bytes=self.fetch_max_bytes,
                allow=self.fetch_allow,
            )
        progress(10, "Finding a text about your topic…")
        return self.topics.choose(
            request.language, request.topic, frozenset(request.used_sources), progress
        )

    def generate(self, request: GenerationRequest, progress: ProgressFn) -> GenerationResult:
        """Pick, level and annotate a text."""
        source = self._source(request, progress)
        estimator = LevelEstimator(request.language)

        progress(35, f"Choosing sentences for {request.level.value}…")
        sentences = self._sentences(source.body, estimator.code)
        kept = self._select(sentences, estimator, request.level, request.length)
        body = self._join(kept)
        words = count_words(body)

        progress(70, "Picking vocabulary…")
        vocabulary = self.vocabulary(kept, estimator, request.level)

        warnings = list(source.warnings)
        if words < request.length * (1 - TOLERANCE):
            warnings.append(
                f"the source has only {words} usable words; the article is shorter than "
                f"the {request.length} words asked for"
            )
        result_source = Source(
            name=source.name,
            url=source.url,
            date=source.date,
            author=source.author,
            title=source.title,
        )
        markdown = article_markdown(source.title, result_source, body, vocabulary)
        return GenerationResult(
            title=source.title,
            markdown=markdown,
            source=result_source,
            vocabulary=vocabulary,
            usage=None,
            word_count=words,
            warnings=warnings,
        )

    @staticmethod
    def _sentences(body: str, code: str) -> list[_Sentence]:
        out: list[_Sentence] = []
        paragraphs = [p for p in body.replace("\r\n", "\n").split("\n\n") if p.strip()]
        for p_index, paragraph in enumerate(paragraphs):
            for text in split_sentences(" ".join(paragraph.split()), code):
                n = count_words(text)
                if n:
                    out.append(_Sentence(len(out), p_index, text, n))
        return out

    @staticmethod
    def _select(
        sentences: list[_Sentence], estimator: LevelEstimator, level: Level, length: int
    ) -> list[_Sentence]:
        """Easiest sentences first until the target is met, never past its upper bound."""
        upper = length * (1 + TOLERANCE)
        ranked = sorted(
            sentences, key=lambda s: (estimator.sentence_difficulty(s.text, level), s.index)
        )
        chosen: list[_Sentence] = []
        total = 0
        for sentence in ranked:
            if total >= length:
                break
            if total + sentence.words <= upper:
                chosen.append(sentence)
                total += sentence.words
        return sorted(chosen, key=lambda s: s.index)

    @staticmethod
    def _join(sentences: list[_Sentence]) -> str:
        paragraphs: list[list[str]] = []
        last = None
        for s in sentences:
            if s.paragraph != last:
                paragraphs.append([])
                last = s.paragraph
            paragraphs[-1].append(s.text)
        return "\n\n".join(" ".join(p) for p in paragraphs)

    @staticmethod
    def vocabulary(
        sentences: list[_Sentence], estimator: LevelEstimator, level: Level
    ) -> list[VocabularyItem]:
        """Lemmas at or above `level` (never A1), each with the sentence it occurs in."""
        floor = max(level.rank, Level.A2.rank)
        seen: dict[str, VocabularyItem] = {}
        for sentence in sentences:
            for position, info in enumerate(estimator.words(sentence.text)):
                if info.level.rank < floor or len(info.word) < 3:
                    continue
                # A capitalised word inside a sentence is most likely a name (except in
                # German, where every noun is capitalised).
                if position and info.word[0].isupper() and estimator.code != "de":
                    continue
                key = info.lemma.lower()
                if key not in seen:
                    seen[key] = VocabularyItem(
                        word=info.word, lemma=info.lemma, level=info.level, example=sentence.text
                    )
        # Hardest first, then alphabetical: deterministic and most useful at the top.
        items = sorted(seen.values(), key=lambda v: (-v.level.rank, v.lemma.lower()))
        return items[:MAX_VOCABULARY]
