"""The offline engine's readings: coherent units, six levels, honest warnings, any input."""

from __future__ import annotations

import statistics
import unicodedata

import pytest

from opad.engines.base import EngineError, GenerationRequest, GenerationResult
from opad.engines.honesty import level_words
from opad.engines.leveler import TOLERANCE, LevelerEngine
from opad.engines.selection import select
from opad.engines.sources import PACKAGED_LIBRARY, load_library
from opad.levels import Level
from opad.settings import Settings
from opad.text import count_words, split_sentences, words
from opad.text.cohesion import depends_on_previous
from opad.text.estimator import LevelEstimator
from tests.language.test_text_words import FRENCH, HINDI

LANGUAGES = {"en": "English", "de": "German", "es": "Spanish", "fr": "French"}


@pytest.fixture(scope="module")
def engine() -> LevelerEngine:
    return LevelerEngine(Settings(_env_file=None))  # type: ignore[call-arg]


def make(
    engine: LevelerEngine, language: str, level: Level, length: int, text: str
) -> GenerationResult:
    request = GenerationRequest(
        language=language, level=level, length=length, topic="my text", source_text=text
    )
    return engine.generate(request, lambda p, m: None)


def body_of(markdown: str) -> str:
    return markdown.split("\n\n", 2)[2].split("\n## Vocabulary")[0]


def test_hindi_reading_keeps_every_sentence_and_whole_words(engine: LevelerEngine) -> None:
    result = make(engine, "Hindi", Level.A2, 50, HINDI)
    body = body_of(result.markdown)
    assert result.word_count == 47
    assert len(split_sentences("hi", body)) == 8
    source_words = set(words("hi", HINDI))
    assert result.vocabulary and all(v.word in source_words for v in result.vocabulary)
    assert not any("only" in w for w in result.warnings)


def test_decomposed_text_gives_exactly_the_composed_result(engine: LevelerEngine) -> None:
    composed = make(engine, "French", Level.A2, 100, FRENCH)
    decomposed = make(engine, "French", Level.A2, 100, unicodedata.normalize("NFD", FRENCH))
    assert decomposed.model_dump() == composed.model_dump()
    assert composed.word_count == 33
    assert any(v.lemma in {"écrivain", "écrivaine", "étudier", "bibliothèque", "éditeur"}
               for v in composed.vocabulary)  # fmt: skip
    assert all(len(v.word) >= 3 and v.word in FRENCH for v in composed.vocabulary)


GERMAN_PFAND = (
    "Im Supermarkt stehen neue Pfandautomaten. Sie nehmen Mehrwegflaschen und "
    "Plastikflaschen an. Viele Kunden bringen ihre Flaschen jeden Samstag zurück. "
    "Der Markt spendet das Pfand an eine Schule in der Nachbarschaft."
)


@pytest.mark.parametrize("invisible", ["\u00ad", "\u200b", "\u2060", "\u200c"])
def test_pasted_text_with_invisible_characters_gives_the_same_reading(
    engine: LevelerEngine, invisible: str
) -> None:
    pasted = (
        GERMAN_PFAND.replace("Pfandautomaten", f"Pfand{invisible}automaten")
        .replace("Mehrwegflaschen", f"Mehrweg{invisible}flaschen")
        .replace("Supermarkt", f"Super{invisible}markt")
    )
    clean = make(engine, "German", Level.B1, 60, GERMAN_PFAND)
    dirty = make(engine, "German", Level.B1, 60, pasted)
    assert [v.lemma for v in dirty.vocabulary] == [v.lemma for v in clean.vocabulary]
    assert "Pfandautomaten" in body_of(dirty.markdown)
    assert not {"automaten", "markt", "Super", "Mehrweg"} & {v.word for v in dirty.vocabulary}


GERMAN_ABBREVIATIONS = (
    "Die Stadt baut eine neue Brücke über den Fluss. Der Bau kostet 3 Mio. Euro. "
    "Er dauert lange. Der Bürgermeister Dr. Schulz hat heute mit Prof. Wagner gesprochen. "
    "Sie sind zufrieden. Die Arbeiten beginnen im Frühling, z. B. am Ufer."
)


@pytest.mark.parametrize("level", [Level.A1, Level.B2])
def test_abbreviations_never_cut_a_sentence_or_become_vocabulary(
    engine: LevelerEngine, level: Level
) -> None:
    result = make(engine, "German", level, 30, GERMAN_ABBREVIATIONS)
    body = body_of(result.markdown)
    for sentence in split_sentences("de", body):
        assert not sentence.endswith(("Dr.", "Prof.", "Mio.", "z. B.")), sentence
    assert "Dr. Schulz" in body or "Dr." not in body
    listed = {v.word for v in result.vocabulary} | {v.lemma for v in result.vocabulary}
    assert not listed & {"Mio", "Prof", "Dr", "Schulz", "Wagner", "Fluß"}


NAMES_AND_NUMBERS = {
    "English": "Mrs. Alvarez and Mr. Ashworth counted sixty ducks and thirty geese near the "
    "old bench. The gardener, Alvarez, planted seventeen magnificent sunflowers. Ashworth "
    "photographed the extraordinary creatures with enthusiasm.",
    "German": "Frau Lindenau zählte dreißig Enten und sechzig Gänse am Ufer. Lindenau "
    "pflanzte siebzehn prächtige Sonnenblumen. Herr Ashworth fotografierte die "
    "außergewöhnlichen Tiere mit Begeisterung.",
    "Spanish": "La señora Alvarez contó quinientos patos y seiscientos gansos en el parque. "
    "Alvarez plantó diecisiete girasoles magníficos. El señor Ashworth fotografió las "
    "extraordinarias criaturas con entusiasmo.",
}


@pytest.mark.parametrize("language", NAMES_AND_NUMBERS)
def test_names_and_number_words_are_never_vocabulary(engine: LevelerEngine, language: str) -> None:
    result = make(engine, language, Level.A2, 40, NAMES_AND_NUMBERS[language])
    listed = {v.word.lower() for v in result.vocabulary}
    never = {"alvarez", "ashworth", "lindenau", "sixty", "thirty", "seventeen", "dreißig",
             "sechzig", "siebzehn", "quinientos", "seiscientos", "diecisiete"}  # fmt: skip
    assert result.vocabulary and not listed & never, listed


UNPUNCTUATED = " ".join(
    ["the river runs past the old mill and the children play by the water in the sun"] * 19
)
LYRICS = "\n".join(
    [
        "I walk along the river in the morning light",
        "the water sings a song I used to know",
        "my friends are waiting by the old stone bridge",
        "we laugh and talk until the sun goes down",
    ]
    * 6
)


@pytest.mark.parametrize("text", [UNPUNCTUATED, LYRICS], ids=["prose", "lyrics"])
def test_text_without_sentence_punctuation_still_gives_a_reading(
    engine: LevelerEngine, text: str
) -> None:
    source_words = count_words("en", text)
    assert source_words >= 200
    result = make(engine, "English", Level.A2, 100, text)
    body = body_of(result.markdown)
    assert 85 <= result.word_count <= 115 and count_words("en", body) == result.word_count
    for warning in result.warnings:
        assert "only" not in warning and " 0 " not in warning


def test_a_text_without_words_fails_with_a_reason(engine: LevelerEngine) -> None:
    with pytest.raises(EngineError, match="no words"):
        make(engine, "English", Level.A2, 100, "2024 — 3.5 % … 42!")


# --- coherence and levels over the shipped library -------------------------------------


def _library_runs(code: str, length: int) -> list[tuple[Level, list[int], list[str]]]:
    language = LANGUAGES[code]
    estimator = LevelEstimator(language)
    _, text = load_library(PACKAGED_LIBRARY, code)[0]
    sentences = LevelerEngine._sentences(text.body, code)
    out = []
    for level in Level:
        kept = select(code, sentences, estimator, level, length, TOLERANCE)
        assert kept[0].index == 0  # the opening sentence is always kept
        kept_ids = {s.index for s in kept}
        for s in kept[1:]:
            if depends_on_previous(code, s.text):
                assert s.index - 1 in kept_ids, s.text  # never without its predecessor
        words_kept = sum(s.words for s in kept)
        assert abs(words_kept - length) <= TOLERANCE * length
        out.append((level, [s.index for s in kept], [s.text for s in kept]))
    return out


@pytest.mark.parametrize("code", LANGUAGES)
def test_library_readings_are_coherent_and_six_levels_differ(code: str) -> None:
    estimator = LevelEstimator(LANGUAGES[code])
    runs = _library_runs(code, 300)
    means = []
    for _, _, texts in runs:
        found = level_words(code, estimator, " ".join(texts))
        means.append(statistics.mean(lv.rank for _, lv in found))
    # By OPAD's own word levels A1 < B1 < C2; the strict order of all six and the A1/C2
    # overlap are measured by the quality report's independent yardsticks (docs/quality.md):
    # the difficulty now weighs sentence and word length too, and sentences travel with
    # what they need (issue 27), so a 600-word source leaves the levels less to choose.
    assert means[0] < means[2] < means[5], means
    a1, c2 = set(runs[0][1]), set(runs[5][1])
    assert len(a1 & c2) / len(a1) <= 0.5


def test_reading_keeps_paragraphs_and_closes_quotes(engine: LevelerEngine) -> None:
    source = (
        "The town opened a new library on Saturday. It has three floors and a garden.\n\n"
        "“I am very glad I lived to see it,” said Mrs. Alvarez, who is ninety. "
        "She came with her grandson. He carried her books.\n\n"
        "The building cost four million euros. However, the council says it was worth it. "
        "Critics disagree.\n\n"
        "Next year, the library will open a café. Its menu is not yet known."
    )
    for level in Level:
        result = make(engine, "English", level, 40, source)
        body = body_of(result.markdown)
        assert body.startswith("The town opened a new library on Saturday.")
        assert body.count("“") == body.count("”")
        if "She came" in body:
            assert "Mrs. Alvarez" in body
        if "However" in body:
            assert "four million" in body
        paragraphs = body.split("\n\n")
        assert all(len(split_sentences("en", p)) >= 2 for p in paragraphs), paragraphs


# --- honest results ------------------------------------------------------------------------

HARD = (
    "Epistemological considerations notwithstanding, the methodological heterogeneity "
    "characterising contemporary historiography necessitates interdisciplinary "
    "triangulation. Consequently, hermeneutic frameworks presuppose ontological "
    "commitments whose justification remains contentious. Nevertheless, "
    "historiographical paradigms continually undergo reconceptualisation."
)


def test_a_hard_source_at_a1_says_it_is_harder(engine: LevelerEngine) -> None:
    result = make(engine, "English", Level.A1, 100, HARD)
    harder = [w for w in result.warnings if w.startswith("This text is harder than A1:")]
    assert harder, result.warnings
    assert "%" in harder[0] and "for example" in harder[0]
    assert "almost the whole source" in harder[0]  # nothing was left out
    easy = make(engine, "English", Level.C2, 100, HARD)
    assert not any(w.startswith("This text is harder") for w in easy.warnings)


def test_a_text_in_another_language_says_so(engine: LevelerEngine) -> None:
    result = make(engine, "German", Level.B1, 40, FRENCH)
    assert any("written in French, not German" in w for w in result.warnings), result.warnings
    same = make(engine, "French", Level.B1, 40, FRENCH)
    assert not any("written in" in w for w in same.warnings)


def test_library_topic_requests_are_not_checked_for_language(engine: LevelerEngine) -> None:
    request = GenerationRequest(language="German", level=Level.B1, length=150, topic="Windkraft")
    result = engine.generate(request, lambda p, m: None)
    assert not any("written in" in w for w in result.warnings)


def test_a_name_kept_only_at_a_sentence_start_is_still_a_name() -> None:
    # The reading keeps "Wolstenholme explained …" (capitalised at the start: no sign of a
    # name there); the source also has "… said Wolstenholme", which shows it is one.
    from opad.engines.leveler import LevelerEngine
    from opad.engines.source_units import Sentence
    from opad.levels import Level
    from opad.text.estimator import LevelEstimator

    source = (
        "The new bridge opened on Monday, said Wolstenholme. "
        "Wolstenholme explained the unprecedented engineering."
    )
    kept_text = "Wolstenholme explained the unprecedented engineering."
    kept = [Sentence(1, 0, kept_text, 5)]
    estimator = LevelEstimator("English")
    # At C1 the list has room for the one hard word (a 5-word reading gets 3 items, the
    # nearest the level first).
    with_source = LevelerEngine.vocabulary(kept, estimator, Level.C1, kept_text, source)
    assert "Wolstenholme" not in {v.word for v in with_source}
    assert "unprecedented" in {v.word for v in with_source}
    # Only ever at a sentence start, even in the source: the English learner list, which
    # knows no such word, tells it is a name.
    janet = "Janet explained the unprecedented engineering. Residents praised the design."
    kept = [Sentence(0, 0, janet, 9)]
    listed = {v.word for v in LevelerEngine.vocabulary(kept, estimator, Level.C1, janet, janet)}
    assert "Janet" not in listed and "unprecedented" in listed
