"""The quality report's measures, each on texts whose right answer is known."""

from __future__ import annotations

import pytest

from opad.levels import Level
from opad.quality import metrics
from opad.quality.runner import article_body, grid_sources
from opad.quality.sections import strictly_rising
from opad.text.estimator import LevelEstimator


def test_length_ratio() -> None:
    assert metrics.length_ratio(115, 100) == 1.15
    assert metrics.length_ratio(0, 0) == 0.0


def test_mean_level_and_share_above() -> None:
    estimator = LevelEstimator("English")
    infos = metrics.counted_words(estimator, "The dog saw a vociferous cat.")
    assert [i.word for i in infos] == ["The", "dog", "saw", "a", "vociferous", "cat"]
    assert metrics.share_above(infos, Level.A1) == 1 / 6
    assert metrics.share_above(infos, Level.C2) == 0
    assert 1 < metrics.mean_word_level(infos) < 2
    assert metrics.mean_word_level([]) == 0.0


def test_names_and_numbers_are_not_counted() -> None:
    infos = metrics.counted_words(LevelEstimator("English"), "We met Ashworth and sixty cats.")
    assert [i.word for i in infos] == ["We", "met", "and", "cats"]


def test_german_nouns_are_counted() -> None:
    infos = metrics.counted_words(LevelEstimator("German"), "Der Hund läuft im Park.")
    assert "Hund" in [i.word for i in infos] and "Park" in [i.word for i in infos]


def test_words_per_sentence_and_paragraphs() -> None:
    estimator = LevelEstimator("English")
    text = "One two three. Four five.\n\nSix seven eight nine."
    assert metrics.words_per_sentence(estimator, text) == 3.0
    assert metrics.one_sentence_paragraph_share("en", text) == 0.5
    assert metrics.one_sentence_paragraph_share("en", "") == 0.0


@pytest.mark.parametrize(
    ("code", "sentence", "dangles"),
    [
        ("en", "It opened on Saturday morning.", True),
        ("en", "However, the council agreed.", True),
        ("en", "The park opened on Saturday.", False),
        ("en", '"It is quiet," she said.', True),
        ("de", "Er liegt mitten in der Stadt.", True),
        ("de", "Der Park liegt mitten in der Stadt.", False),
        ("fr", "Cependant, la ville a dit non.", True),
        ("ru", "Она находилась в подвале.", True),
        ("es", "Sin embargo, el plan sigue.", True),
        ("xx", "It opened.", False),
    ],
)
def test_dangling_openers(code: str, sentence: str, dangles: bool) -> None:
    assert metrics.opens_dangling(code, sentence) is dangles


def test_dangling_count_needs_the_antecedent_dropped() -> None:
    source = ["The town has a new park.", "It opened on Saturday.", "People came.", "They sang."]
    assert metrics.dangling_count("en", source[:2], source) == 0  # kept with its antecedent
    assert metrics.dangling_count("en", [source[1], source[2]], source) == 1
    assert metrics.dangling_count("en", [source[0], source[3]], source) == 1
    assert metrics.dangling_count("en", ["It is new."], source) == 1  # not from the source
    assert metrics.dangling_count("en", ["The park.", "It is new."], source) == 0


@pytest.mark.parametrize(
    ("text", "unclosed"),
    [
        ('"I am glad," she said.', 0),
        ('I am very glad I lived to see it."', 1),
        ("„Jetzt habe ich endlich einen Garten.", 1),
        ("„Jetzt habe ich endlich einen Garten“, sagt sie.", 0),
        ("“Yes,” he said. “No.”", 0),
        ("« Oui », dit-il.\n\n« Non", 1),
        ("«Да», — сказал он.", 0),
        ("No quotes at all; it's fine.", 0),
        ("A closing ” with no opening.", 1),
    ],
)
def test_unclosed_quotes(text: str, unclosed: int) -> None:
    assert metrics.unclosed_quotes(text) == unclosed


def test_sentence_overlap() -> None:
    assert metrics.sentence_overlap(["a", "b", "c"], ["b", "c", "d", "e"]) == 2 / 3
    assert metrics.sentence_overlap([], ["a"]) == 0.0


@pytest.mark.parametrize(
    ("code", "word", "lemma", "number", "example", "fault"),
    [
        ("en", "municipality", "municipality", False, "The municipality pays.", None),
        ("en", "2021", "2021", False, "", "number"),
        ("es", "quinientos", "quinientos", True, "", "number"),
        ("en", "Ashworth", "Ashworth", False, "We met Mr Ashworth there.", "name"),
        ("de", "Lindenau", "Lindenau", False, "Frau Lindenau wohnt hier.", "name"),
        ("de", "Wiese", "Wiese", False, "Die Wiese ist grün.", None),  # a German noun
        ("de", "Nachthälfte", "Nachthälfte", False, "In der Nachthälfte schläft man.", None),
        ("de", "Spaß", "Spaß", False, "Spaß macht es.", None),
        ("fr", "Peut-être", "peut-être", False, "Peut-être demain.", None),
    ],
)
def test_vocabulary_faults(
    code: str, word: str, lemma: str, number: bool, example: str, fault: str
) -> None:
    assert metrics.vocabulary_fault(code, word, lemma, number, example) == fault


def test_a_capitalised_word_inside_its_example_is_a_name() -> None:
    example = "Yesterday Marlowe spoke to the town."
    assert metrics.vocabulary_fault("fr", "Marlowe", "Marlowe", False, example) == "name"
    start = "Researchers spoke to the town."
    assert metrics.vocabulary_fault("en", "Researchers", "researcher", False, start) is None


def test_english_items_by_the_list() -> None:
    assert metrics.english_item_ok("drought", "droughts", Level.B1) is True
    assert metrics.english_item_ok("dog", "dogs", Level.B1) is False
    assert metrics.english_item_ok("qzxv", "qzxv", Level.B1) is None


def test_strictly_rising() -> None:
    assert strictly_rising([1, 2, 3])
    assert not strictly_rising([1, 2, 2])


def test_article_body_cuts_title_source_and_vocabulary() -> None:
    markdown = "# T\n\n**Source:** x\n\nFirst.\n\nSecond.\n\n## Vocabulary\n\n- a"
    assert article_body(markdown) == "First.\n\nSecond."


def test_grid_takes_languages_from_the_library_and_own_texts_elsewhere(tmp_path) -> None:  # type: ignore[no-untyped-def]
    (tmp_path / "ko").mkdir()  # a language OPAD cannot level yet is skipped
    (tmp_path / "it").mkdir()
    (tmp_path / "it" / "a.md").write_text("---\ntitle: A\n---\nUna frase.\n", encoding="utf-8")
    sources = grid_sources(tmp_path)
    kinds = {(s.code, s.kind) for s in sources}
    assert ("it", "library") in kinds and ("it", "own") not in kinds  # the library wins
    assert {("pt", "own"), ("ru", "own"), ("en", "hard")} <= kinds
    assert not any(s.code == "ko" for s in sources)
