"""Each grid run measured once: the figures the report aggregates."""

from __future__ import annotations

from dataclasses import dataclass, field

from opad.levels import Level
from opad.quality import metrics, yardsticks
from opad.quality.discourse import Cohesion, check
from opad.quality.runner import Run
from opad.text import count_units
from opad.text.estimator import LevelEstimator
from opad.text.levels import english_list_level, frequency_level


@dataclass(frozen=True)
class Measured:
    """One run's figures (shares are 0–1; levels are A1 = 1 … C2 = 6)."""

    run: Run
    source_words: int
    ratio: float
    mean_level: float
    above_asked: float
    above_b1: float
    words_per_sentence: float
    kept: tuple[str, ...]
    dangling: int
    paragraphs: int
    one_sentence_paragraphs: int
    unclosed_quotes: int
    faults: tuple[tuple[str, str], ...]  # (word, "number" | "name")
    english_items: int  # vocabulary items the English list knows
    english_ok: int  # … of which at or above the level asked
    list_agree: int  # English words whose frequency level equals the list's
    list_within_one: int
    list_words: int
    warned_harder: bool
    yard: dict[str, float] = field(default_factory=dict)  # opad.quality.yardsticks
    cohesion: Cohesion | None = None  # opad.quality.discourse


def measure(run: Run) -> Measured:
    """Measure one run (English-list figures are zero outside English)."""
    code = run.source.code
    estimator = LevelEstimator(run.source.language)
    counted = metrics.counted_words(estimator, run.body)
    kept = metrics.sentences_of(code, run.body)
    paragraphs = metrics.paragraphs_of(run.body)
    one = round(metrics.one_sentence_paragraph_share(code, run.body) * len(paragraphs))
    faults = []
    for item in run.vocabulary:
        is_number = estimator.word(item.word).is_number
        fault = metrics.vocabulary_fault(code, item.word, item.lemma, is_number, item.example)
        if fault:
            faults.append((item.word, fault))
    english_items = english_ok = agree = within = listed = 0
    if code == "en":
        for item in run.vocabulary:
            ok = metrics.english_item_ok(item.lemma, item.word, run.level)
            if ok is not None:
                english_items += 1
                english_ok += ok
        for info in counted:
            list_level = english_list_level(info.lemma.lower())
            if list_level is None:
                continue
            by_rank = frequency_level(code, info.word, info.lemma)
            listed += 1
            agree += by_rank == list_level
            within += abs(by_rank.rank - list_level.rank) <= 1
    # In the unit the length was asked in: characters in Korean, Japanese and Chinese.
    source_words = sum(count_units(code, s) for s in run.source_sentences)
    return Measured(
        run=run,
        source_words=source_words,
        ratio=metrics.length_ratio(run.words, run.length),
        mean_level=metrics.mean_word_level(counted),
        above_asked=metrics.share_above(counted, run.level),
        above_b1=metrics.share_above(counted, Level.B1),
        words_per_sentence=metrics.words_per_sentence(estimator, run.body),
        kept=tuple(kept),
        dangling=metrics.dangling_count(code, kept, run.source_sentences),
        paragraphs=len(paragraphs),
        one_sentence_paragraphs=one,
        unclosed_quotes=metrics.unclosed_quotes(run.body),
        faults=tuple(faults),
        english_items=english_items,
        english_ok=english_ok,
        list_agree=agree,
        list_within_one=within,
        list_words=listed,
        warned_harder=any("harder" in w or "above" in w for w in run.warnings),
        yard=yardsticks.measure(code, run.body) if run.body else {},
        cohesion=check(code, run.source.body, run.body, run.source.headline, run.source.genre)
        if run.body
        else None,
    )
