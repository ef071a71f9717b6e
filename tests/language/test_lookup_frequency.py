"""The popover's frequency label is counted as its level is: on the dictionary form
(or the form, when that is more common), so an inflected form of an everyday verb is not
an "A1 · rare word" (ocuparan, tranken in the learner walk-through)."""

from __future__ import annotations

import pytest

from opad.services.lookups import frequency_band
from opad.text.estimator import LevelEstimator, lemma_zipf


@pytest.mark.parametrize(
    ("language", "form", "band"),
    [
        ("German", "tranken", "common"),  # trinken; the form alone is "less common"
        ("Spanish", "ocuparan", "common"),  # ocupar; the form alone is "rare"
        ("Spanish", "comieron", "very common"),  # comer
        ("French", "mangeaient", "very common"),  # manger; the form alone is "rare"
        ("English", "swam", "common"),  # swim
        ("German", "gingen", "very common"),  # gehen
    ],
)
def test_an_inflected_form_is_as_common_as_its_dictionary_form(
    language: str, form: str, band: str
) -> None:
    estimator = LevelEstimator(language)
    info = estimator.word(form)
    assert frequency_band(lemma_zipf(estimator, info, "")) == band
    assert lemma_zipf(estimator, info, "") >= estimator.word(info.lemma).zipf


def test_the_form_counts_when_it_is_the_more_common() -> None:
    """ "was" is far more common than "be" would make it rarer: the higher of the two."""
    estimator = LevelEstimator("English")
    info = estimator.word("was")
    assert lemma_zipf(estimator, info, "be") == max(info.zipf, estimator.word("be").zipf)
    # A word that is its own lemma: its own frequency, whatever lemma the reader sent.
    same = estimator.word("park")
    assert lemma_zipf(estimator, same, "park") == same.zipf
    # The reader's lemma counts too (a phrase's head, a lemma the reader knows better).
    inflected = estimator.word("ocuparan")
    assert lemma_zipf(estimator, inflected, "ocupar") == estimator.word("ocupar").zipf


def test_japanese_frequency_was_already_the_lemmas() -> None:
    estimator = LevelEstimator("Japanese")
    info = estimator.word("食べました")
    assert lemma_zipf(estimator, info, "食べる") >= info.zipf
