"""The worker's meanings step: the vocabulary list under a reading says what its words
mean (issue 25's "highlighted words have no meaning", the list under the text), from the
installed FreeDict dictionaries; English keeps its own; a reading's text is untouched."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

import pytest

from opad.reading.layout import parse, with_vocabulary
from opad.reading.model import VocabularyItem
from opad.worker.steps import Made, StepContext, meanings_step
from tests.language.test_question_step import DICTIONARIES, TRANSLATIONS, reading
from tests.readings import body_of


def context(language_code: str, folders: list[Any]) -> StepContext:
    services: Any = SimpleNamespace(settings=SimpleNamespace(dictionary_folders=folders))
    return StepContext(services, "article", language_code, lambda percent, message: None)


CODES = {"German": "de", "Spanish": "es", "French": "fr", "English": "en"}


@pytest.mark.parametrize("language", list(TRANSLATIONS))
def test_the_vocabulary_gets_its_translations_in_the_result_and_the_markdown(
    language: str,
) -> None:
    if not list(DICTIONARIES[0].glob("freedict-*-eng.index")):
        pytest.fail("FreeDict is not installed: run scripts/ensure-debs")
    result = reading(language)
    assert result.vocabulary and not any(v.definition for v in result.vocabulary)
    made = Made(result, body_of(language, result.markdown, result.vocabulary))
    after = meanings_step(context(CODES[language], DICTIONARIES), made).result
    defined = [v for v in after.vocabulary if v.definition]
    # Most of the list, not all: a word no dictionary has keeps an empty definition.
    assert len(defined) >= len(after.vocabulary) // 2, after.vocabulary
    assert [v.word for v in after.vocabulary] == [v.word for v in result.vocabulary]
    word, meaning = TRANSLATIONS[language]
    items = {v.word: v for v in after.vocabulary}
    if word in items:
        assert meaning in items[word].definition
    for item in defined:
        assert "sb." not in item.definition and len(item.definition.split(", ")) <= 3
        assert f": {item.definition}" in after.markdown  # the markdown's list says it too
    # The text itself is the same text.
    assert parse(after.markdown).body == parse(result.markdown).body


def test_english_and_no_dictionaries_leave_the_reading_as_it_is() -> None:
    result = reading("English")
    made = Made(result, None)
    assert meanings_step(context("en", DICTIONARIES), made) is made
    german = reading("German")
    made = Made(german, None)
    assert meanings_step(context("de", []), made) is made


def test_with_vocabulary_rewrites_only_the_trailing_section() -> None:
    markdown = "# Title\n\nText with Brunnen.\n\n## Vocabulary\n\n- **Brunnen** (Brunnen, B1)\n"
    item = VocabularyItem(word="Brunnen", lemma="Brunnen", level="B1", definition="well")
    out = with_vocabulary(markdown, [item])
    assert (
        out
        == "# Title\n\nText with Brunnen.\n\n## Vocabulary\n\n- **Brunnen** (Brunnen, B1): well\n"
    )
    assert with_vocabulary("# T\n\nText.\n", [item]).endswith("(Brunnen, B1): well\n")
    assert with_vocabulary(markdown, []) == "# Title\n\nText with Brunnen.\n"


def test_a_gloss_is_not_cut_inside_a_note_and_prefers_plain_translations() -> None:
    from opad.questions.step import _gloss

    # JMdict's カフェ, as the Japanese vocabulary list showed it (cut mid-parenthesis).
    meaning = "cafe, coffeehouse, hostess bar (serving western alcoholic beverages, 1910s-1930s)"
    assert _gloss(meaning) == "cafe, coffeehouse"
    assert _gloss("day, days, case (esp. unfortunate)") == "day, days"
    assert _gloss("(in compounds) water") == "(in compounds) water"  # nothing plainer left
    assert _gloss("well, fountain; spring") == "well, fountain, spring"
