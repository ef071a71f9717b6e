"""What the learner's side of the API accepts: each bad field is refused with its name."""

from __future__ import annotations

from typing import Any

import pytest
from pydantic import BaseModel, ValidationError

from opad.api.word_inputs import (
    MAX_LEMMAS,
    Grade,
    InvalidInput,
    LearnerSettings,
    Lemmas,
    WordChange,
    WordSave,
    check_lemmas,
    check_text,
    check_word,
    language_of,
    word_filters,
)
from opad.learning.states import WordState
from opad.levels import Level

SAVE = {"language": "de", "word": "Hunde"}


def bad_fields(model: type[BaseModel], body: dict[str, Any]) -> set[str]:
    with pytest.raises(ValidationError) as info:
        model.model_validate(body)
    return {".".join(str(p) for p in e["loc"]) for e in info.value.errors()}


def test_a_word_saved_with_defaults_is_learning() -> None:
    saved = WordSave.model_validate(SAVE)
    assert (saved.state, saved.stage, saved.sentence, saved.lemma) == (
        WordState.LEARNING,
        None,
        "",
        None,
    )
    assert WordSave.model_validate({**SAVE, "level": "B2"}).level is Level.B2


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("language", ""),
        ("language", "x" * 41),
        ("word", ""),
        ("word", "x" * 101),
        ("lemma", ""),
        ("sentence", "x" * 2001),
        ("article_id", "x" * 37),
        ("state", "forgotten"),
        ("stage", 0),
        ("stage", 5),
        ("meaning", "x" * 2001),
        ("level", "D1"),
    ],
)
def test_each_bad_field_of_a_saved_word_is_named(field: str, value: object) -> None:
    assert bad_fields(WordSave, {**SAVE, field: value}) == {field}


@pytest.mark.parametrize(
    ("field", "value"),
    [("state", "gone"), ("stage", 9), ("meaning", "m" * 2001), ("notes", "n" * 5001)],
)
def test_each_bad_field_of_a_change_is_named(field: str, value: object) -> None:
    assert bad_fields(WordChange, {field: value}) == {field}


def test_a_change_keeps_only_what_was_sent() -> None:
    change = WordChange.model_validate({"state": "known"})
    assert change.model_dump(exclude_unset=True) == {"state": WordState.KNOWN}


def test_lemmas_have_a_length_and_a_count_limit() -> None:
    assert bad_fields(Lemmas, {"language": "de", "lemmas": ["x" * 101]}) == {"lemmas.0"}
    assert bad_fields(Lemmas, {"language": "de", "lemmas": ["a"] * (MAX_LEMMAS + 1)}) == {"lemmas"}
    assert Lemmas.model_validate({"language": "de", "lemmas": []}).lemmas == []


@pytest.mark.parametrize("rating", ["again", "hard", "good", "easy"])
def test_the_four_grades(rating: str) -> None:
    assert Grade.model_validate({"rating": rating}).rating == rating


@pytest.mark.parametrize("rating", ["Good", "perfect", "", "good "])
def test_any_other_grade_is_refused(rating: str) -> None:
    assert bad_fields(Grade, {"rating": rating}) == {"rating"}


def test_the_explanation_language_is_two_to_forty_characters() -> None:
    assert bad_fields(LearnerSettings, {"explain_in": "e"}) == {"explain_in"}
    assert LearnerSettings.model_validate({"explain_in": "en"}).explain_in == "en"


def test_a_language_is_found_by_code_or_name() -> None:
    assert language_of("de").code == "de"
    assert language_of("German").code == "de"


@pytest.mark.parametrize("value", ["Klingon", "", "   "])
def test_an_unknown_language_names_the_field_asked(value: str) -> None:
    with pytest.raises(InvalidInput) as info:
        language_of(value, "explain_in")
    assert (info.value.status_code, info.value.field) == (422, "explain_in")
    assert info.value.detail == f"explain_in: unsupported language {value!r}"


def test_words_are_stripped_and_must_not_be_empty() -> None:
    assert check_word("  Hund ", "word") == "Hund"
    with pytest.raises(InvalidInput, match="^word: must not be empty$"):
        check_word(" \t", "word")


@pytest.mark.parametrize("check", [check_word, check_text])
def test_a_nul_character_is_refused_naming_the_field(check: Any) -> None:
    with pytest.raises(InvalidInput) as info:
        check("Hu\x00nd", "sentence")
    assert info.value.field == "sentence"
    assert info.value.detail == "sentence: must not contain NUL characters"


def test_text_is_kept_as_sent() -> None:
    assert check_text("  two  spaces ", "q") == "  two  spaces "
    assert check_lemmas(["a", " b"]) == ["a", " b"]
    with pytest.raises(InvalidInput) as info:
        check_lemmas(["a", "b\x00"])
    assert info.value.field == "lemmas"


def test_filters_read_as_the_service_takes_them() -> None:
    assert word_filters(None, None, None) == {"language": None, "state": None, "level": None}
    assert word_filters("German", WordState.KNOWN, " b1 ") == {
        "language": "de",
        "state": WordState.KNOWN,
        "level": "B1",
    }


@pytest.mark.parametrize(
    ("language", "level", "field"), [("xx", None, "language"), (None, "B3", "level")]
)
def test_a_bad_filter_names_itself(language: str | None, level: str | None, field: str) -> None:
    with pytest.raises(InvalidInput) as info:
        word_filters(language, None, level)
    assert info.value.field == field
