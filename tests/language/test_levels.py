"""Word levels per language: learner-visible examples, number words, monotone cut-offs."""

from __future__ import annotations

import pytest

from opad.levels import LEVEL_ORDER, Level
from opad.quality.calibrate import vocabulary_sizes
from opad.text import lemma
from opad.text.estimator import LevelEstimator
from opad.text.levels import (
    VOCABULARY_SIZE,
    frequency_level,
    lemma_ranks,
    level_for_rank,
    number_words,
    word_level,
)


def level_of(code: str, word: str) -> Level:
    return word_level(code, word, lemma(code, word)).level


@pytest.mark.parametrize("word", ["bench", "duck", "grass", "sunny", "park", "bicycle", "dog"])
def test_everyday_english_words_are_at_most_a2(word: str) -> None:
    assert level_of("en", word).rank <= Level.A2.rank


@pytest.mark.parametrize(
    ("code", "word"),
    [
        ("ru", "велосипед"),
        ("ru", "велосипеде"),  # a case form counts with its lemma
        ("ru", "собака"),
        ("it", "lavatrice"),
        ("it", "bicicletta"),
        ("es", "bicicleta"),
        ("es", "perro"),
        ("de", "Fahrrad"),
        ("de", "Wiese"),  # a noun, not read as the verb "weisen"
        ("pl", "rower"),
        ("pl", "rowerem"),
    ],
)
def test_everyday_words_in_other_languages_are_at_most_b1(code: str, word: str) -> None:
    assert level_of(code, word).rank <= Level.B1.rank


@pytest.mark.parametrize(
    ("code", "word"),
    [
        ("en", "thirty"),
        ("en", "sixty"),
        ("en", "hundred"),
        ("es", "seiscientos"),
        ("es", "quinientos"),
        ("es", "sesenta"),
        ("de", "dreißig"),
        ("fr", "soixante"),
        ("ru", "шестьсот"),
        ("it", "trecento"),
    ],
)
def test_number_words_are_a1_and_flagged(code: str, word: str) -> None:
    info = word_level(code, word, lemma(code, word))
    assert info.level is Level.A1
    assert info.is_number


def test_joining_words_of_written_numbers_are_not_number_words() -> None:
    assert {"and", "y", "et"}.isdisjoint(
        number_words("en") | number_words("es") | number_words("fr")
    )
    assert not word_level("en", "and", "and").is_number


@pytest.mark.parametrize(
    ("code", "word", "lowest"),
    [
        ("en", "ubiquitous", Level.C1),
        ("en", "municipality", Level.B2),
        ("es", "idiosincrasia", Level.C1),
    ],
)
def test_rare_words_are_advanced(code: str, word: str, lowest: Level) -> None:
    assert level_of(code, word).rank >= lowest.rank


def test_cut_offs_are_increasing_and_rank_levels_monotone() -> None:
    sizes = [VOCABULARY_SIZE[level] for level in LEVEL_ORDER[:-1]]
    assert sizes == sorted(sizes) and len(set(sizes)) == len(sizes)
    levels = [level_for_rank(r).rank for r in range(1, 20_000, 7)]
    assert levels == sorted(levels)
    assert level_for_rank(None) is Level.C2
    assert level_for_rank(1) is Level.A1


@pytest.mark.parametrize("code", ["es", "ru", "de", "en"])
def test_levels_are_monotone_in_frequency_within_a_language(code: str) -> None:
    """Without a learner list, a more frequent lemma is never at a higher level."""
    ranks = lemma_ranks(code)
    by_rank = sorted(ranks.items(), key=lambda kv: kv[1])[::50]
    levels = [frequency_level(code, lemma_, lemma_).rank for lemma_, _ in by_rank]
    assert levels == sorted(levels)
    assert len(set(levels)) == 6  # all six levels occur


@pytest.mark.parametrize("code", ["es", "ru", "fr"])
def test_every_level_in_use_has_a_share_of_real_words(code: str) -> None:
    """Each language's ranked list reaches past the C1 cut-off, so C1 and C2 are real."""
    assert max(lemma_ranks(code).values()) > VOCABULARY_SIZE[Level.C1]


def test_unknown_language_gives_c2_without_error() -> None:
    info = word_level("xx", "blorf", "blorf")
    assert info.level is Level.C2 and info.rank is None


def test_estimator_uses_the_calibrated_levels() -> None:
    estimator = LevelEstimator("English")
    assert estimator.word("bench").level.rank <= Level.A2.rank
    assert estimator.word("sixty").is_number
    assert estimator.text_level("The dog sat on the bench in the sunny park.").rank <= 1


def test_vocabulary_sizes_are_those_the_calibration_gives() -> None:
    """The shipped table is the calibration's output (rerun it after upgrading data)."""
    assert vocabulary_sizes() == VOCABULARY_SIZE
