"""Measuring a text against a level: share above it, which words, which sentences."""

from __future__ import annotations

from opad.engines.level_check import MAX_SHARE_ABOVE, check_level
from opad.levels import Level
from opad.text.estimator import LevelEstimator

EASY = "The dog is in the park. We like the sunny day. My mother has a red car."
HARD = "Notwithstanding vociferous objections, the ordinance was promulgated."


def test_an_easy_text_is_at_a1() -> None:
    result = check_level(LevelEstimator("English"), EASY, Level.A1)
    assert result.share_above == 0 and not result.too_hard
    assert result.words == 17 and result.hard_words == () and result.hard_sentences == ()


def test_a_hard_text_names_its_words_and_sentences() -> None:
    text = f"{EASY}\n\n{HARD} The dog is happy."
    result = check_level(LevelEstimator("English"), text, Level.B1)
    assert result.too_hard and result.share_above > MAX_SHARE_ABOVE
    assert {"vociferous", "promulgated"} <= set(result.hard_words)
    assert result.hard_sentences[0] == HARD
    assert "The dog is happy." not in result.hard_sentences
    assert result.describe().startswith(f"{round(result.share_above * 100)}% of its words")
    assert "above B1 (for example: " in result.describe()


def test_the_top_level_is_never_too_hard() -> None:
    assert not check_level(LevelEstimator("English"), HARD, Level.C2).too_hard


def test_names_and_number_words_are_not_counted() -> None:
    text = "My friend Ashworth has sixty dogs. Lindenau is a small town."
    result = check_level(LevelEstimator("English"), text, Level.A1)
    assert "ashworth" not in result.hard_words and "sixty" not in result.hard_words
    assert result.words == 9  # "My friend has dogs" + "Lindenau is a small town"


def test_share_is_a_fraction_of_the_counted_words() -> None:
    text = "The dog saw a vociferous cat."
    result = check_level(LevelEstimator("English"), text, Level.A1)
    assert result.words == 6 and result.hard_words == ("vociferous",)
    assert result.share_above == 1 / 6


def test_empty_text() -> None:
    result = check_level(LevelEstimator("Spanish"), "", Level.A1)
    assert result.words == 0 and result.share_above == 0 and not result.too_hard


def test_other_languages_are_measured_by_frequency() -> None:
    easy = "El perro está en el parque. Mi madre tiene un coche rojo."
    assert not check_level(LevelEstimator("Spanish"), easy, Level.A2).too_hard
    hard = "La idiosincrasia del ayuntamiento exacerbó la controversia presupuestaria."
    assert check_level(LevelEstimator("Spanish"), hard, Level.A2).too_hard
