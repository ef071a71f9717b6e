"""The leveler (OPAD_ENGINE=leveler, formerly "offline"): levels a real text by word
frequency, with no LLM.

The source is the request's text, else its URL, else a text on the topic: fresh news when
OPAD_NEWS is on, else the starter library (see `topic_source`). It keeps whole units of
sentences suited to the level (engines/selection.py), in their original order, until the
target length is reached; lists the words at or above the learner's level; and says when
the result is still harder than asked, nearly the whole source, or in another language
(engines/honesty.py).
"""

from __future__ import annotations

from opad.engines.base import (
    EngineError,
    GenerationRequest,
    GenerationResult,
    ProgressFn,
    Source,
    VocabularyItem,
)
from opad.engines.coverage import MIN_KNOWN, Learner, count, select_for_coverage
from opad.engines.honesty import language_warning, level_warnings
from opad.engines.selection import level_length, paragraphs, select
from opad.engines.source_units import Sentence
from opad.engines.sources import SourceText, fetch_url
from opad.engines.titles import split_headline, title_from_text
from opad.engines.topic_source import TopicSources
from opad.levels import Level
from opad.netguard import parse_networks
from opad.reading.layout import article_markdown
from opad.reading.model import Coverage
from opad.settings import Settings
from opad.text import count_units, length_unit, split_sentences, words
from opad.text.estimator import LevelEstimator
from opad.text.kinds import (
    abbreviations,
    can_be_vocabulary,
    counts_a_number,
    is_number_word,
    looks_like_name,
    names,
)

TOLERANCE = 0.15
MAX_VOCABULARY = 40
MIN_VOCABULARY = 3
# Items per 100 words of the reading, by level: a list a learner works through with one
# reading (a beginner's short reading gives 4–5 words, not 20). Nation (2013) puts new
# words met in a graded reader at a few per hundred running words; the C levels see
# longer texts with more rare words worth noting.
PER_100_WORDS = {Level.A1: 4, Level.A2: 5, Level.B1: 6, Level.B2: 6, Level.C1: 7, Level.C2: 8}


class LevelerEngine:
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
            # The text's own headline is its title, not a sentence of the reading, so the
            # lead is what the reading opens with; else its first sentence, shortened.
            headline, body = split_headline(request.source_text)
            title = headline or title_from_text(request.source_text, request.language)
            return SourceText(title=title, body=body, name="Your text")
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
            request.language,
            request.topic,
            frozenset(request.used_sources),
            progress,
            frozenset(request.reuse_words),
        )

    def generate(self, request: GenerationRequest, progress: ProgressFn) -> GenerationResult:
        """Pick, level and annotate a text; say what it is if it is not what was asked."""
        source = self._source(request, progress)
        estimator = LevelEstimator(request.language)
        code = estimator.code

        progress(35, f"Choosing sentences for {request.level.value}…")
        sentences = self._sentences(source.body, code)
        source_words = sum(s.words for s in sentences)
        if not source_words:
            raise EngineError("the text has no words to make a reading from")
        learner = Learner(
            frozenset(w.lower() for w in request.known_words),
            frozenset(w.lower() for w in request.due_words),
        )
        by_coverage = request.coverage is not None and len(learner.known) >= MIN_KNOWN
        if by_coverage and request.coverage is not None:
            # A daily plan's target: the learner's own words choose the passages.
            kept = select_for_coverage(
                code, sentences, estimator, request.length, TOLERANCE, learner, request.coverage
            )
        else:
            kept = select(code, sentences, estimator, request.level, request.length, TOLERANCE)
        # Japanese and Chinese write sentences one after the other, without a space.
        glue = "" if code in ("ja", "zh") else " "
        body = "\n\n".join(glue.join(p) for p in paragraphs(kept, sentences, code))
        words = count_units(code, body)  # characters in Korean, Japanese and Chinese
        unit = length_unit(code)

        progress(70, "Picking vocabulary…")
        vocabulary = self.vocabulary(kept, estimator, request.level, body, source.body)

        warnings = list(source.warnings)
        if request.source_text or request.source_url:
            other = language_warning(request.language, source.body)
            if other:
                warnings.append(other)
        aim = level_length(request.level, request.length)
        if (
            aim < request.length
            and source_words > aim * (1 + TOLERANCE)
            and words < request.length * (1 - TOLERANCE)
        ):
            warnings.append(
                f"this {request.level.value} reading keeps {words} {unit} of the source's "
                f"easier passages rather than the {request.length} asked: the rest is "
                f"harder than {request.level.value}"
            )
        elif words < request.length * (1 - TOLERANCE):
            if source_words < request.length * (1 - TOLERANCE):
                warnings.append(
                    f"the source has only {source_words} {unit}; the reading is shorter "
                    f"than the {request.length} {unit} asked for"
                )
            else:
                warnings.append(
                    f"the reading has {words} {unit}, fewer than the {request.length} "
                    f"asked for: the source's sentences could not be fitted closer"
                )
        warnings += level_warnings(code, estimator, body, request.level, words, source_words)
        result_source = Source(
            name=source.name,
            url=source.url,
            date=source.date,
            author=source.author,
            title=source.title,
            origin=source.origin,
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
            coverage=reached(code, kept, source.body, estimator, learner, request.coverage),
        )

    @staticmethod
    def _sentences(body: str, code: str) -> list[Sentence]:
        out: list[Sentence] = []
        paragraphs = [p for p in body.replace("\r\n", "\n").split("\n\n") if p.strip()]
        for p_index, paragraph in enumerate(paragraphs):
            for text in split_sentences(code, paragraph):
                n = count_units(code, text)
                if n:
                    out.append(Sentence(len(out), p_index, text, n))
        return out

    @staticmethod
    def vocabulary(
        sentences: list[Sentence],
        estimator: LevelEstimator,
        level: Level,
        body: str,
        source: str | None = None,
    ) -> list[VocabularyItem]:
        """Lemmas at or above `level` (never A1), each with the sentence it occurs in;
        never names, numbers written as words, abbreviations or fragments. Names are
        found in the whole `source` when given: a name the reading only keeps at the start
        of a sentence ("Janet said…") still shows as one mid-sentence somewhere in it."""
        code = estimator.code
        floor = max(level.rank, Level.A2.rank)
        never = names(code, source or body) | abbreviations(code, body)
        seen: dict[str, VocabularyItem] = {}
        for sentence in sentences:
            for word in words(code, sentence.text):
                if (
                    not can_be_vocabulary(code, word)
                    or word in never
                    or is_number_word(code, word)
                    or counts_a_number(code, word, sentence.text)
                ):
                    continue
                info = estimator.word(word)
                if info.level.rank < floor:
                    continue
                # A capitalised word the text and the language's word lists show to be a
                # name ("Janet" only ever at a sentence start) is not a word to learn.
                if looks_like_name(code, word, info.lemma, sentence.text):
                    continue
                key = info.lemma.lower()
                if key not in seen:
                    seen[key] = VocabularyItem(
                        word=info.word,
                        lemma=info.lemma,
                        reading=estimator.reading(word),
                        level=info.level,
                        example=sentence.text,
                    )
        room = vocabulary_room(code, body, level)
        # The words just above the learner's level first: the ones they can learn next.
        kept = sorted(seen.values(), key=lambda v: (v.level.rank - floor, v.lemma.lower()))
        # Shown hardest first, then alphabetical: deterministic.
        return sorted(kept[:room], key=lambda v: (-v.level.rank, v.lemma.lower()))


def reached(
    code: str,
    kept: list[Sentence],
    source: str,
    estimator: LevelEstimator,
    learner: Learner,
    target: float | None,
) -> Coverage | None:
    """The coverage block of a reading made with a target (None without one)."""
    if target is None:
        return None
    if len(learner.known) < MIN_KNOWN:
        return Coverage(target=target, reached=None, known_lemmas=len(learner.known))
    never = frozenset(names(code, source))
    counts = [count(code, s.text, estimator, learner, never) for s in kept]
    total = sum(c.total for c in counts)
    due = sorted(frozenset().union(*(c.due for c in counts))) if counts else []
    return Coverage(
        target=target,
        reached=round(sum(c.known for c in counts) / total, 4) if total else None,
        known_lemmas=len(learner.known),
        due_words=due,
    )


def vocabulary_room(code: str, body: str, level: Level) -> int:
    """How many vocabulary items a reading of `body` gets at `level`: `PER_100_WORDS`
    per hundred words (words, not characters, in Korean, Japanese and Chinese too), at
    least `MIN_VOCABULARY`, at most `MAX_VOCABULARY`."""
    n = len(words(code, body))
    return max(MIN_VOCABULARY, min(MAX_VOCABULARY, round(n * PER_100_WORDS[level] / 100)))
