"""The offline engine: length, level and determinism on the shipped library."""

from __future__ import annotations

from pathlib import Path

import pytest

from opad.engines.base import EngineError, GenerationRequest
from opad.engines.leveler import TOLERANCE, LevelerEngine
from opad.engines.sources import PACKAGED_LIBRARY, load_library, parse_library_file
from opad.levels import Level
from opad.settings import Settings
from opad.text import count_words
from opad.text.estimator import LevelEstimator

SHIPPED = {"English": "en", "German": "de", "Spanish": "es", "French": "fr"}
TOPICS = {
    "English": "city parks",
    "German": "Windkraft",
    "Spanish": "energía solar",
    "French": "festival de musique",
}


@pytest.fixture(scope="module")
def engine() -> LevelerEngine:
    return LevelerEngine(Settings(_env_file=None))  # type: ignore[call-arg]


def request(language: str, level: Level, length: int, **extra: str) -> GenerationRequest:
    return GenerationRequest(
        language=language,
        level=level,
        length=length,
        topic=extra.pop("topic", TOPICS[language]),
        **extra,
    )


def body_of(markdown: str) -> str:
    """The article body: between the source line and the vocabulary section."""
    body = markdown.split("\n\n", 2)[2]
    return body.split("\n## Vocabulary")[0]


def test_library_has_enough_texts_of_the_right_size() -> None:
    for code in SHIPPED.values():
        texts = load_library(PACKAGED_LIBRARY, code)
        assert len(texts) >= 11, code
        for slug, text in texts:
            assert 400 <= count_words(code, text.body) <= 1600, (code, slug)
            assert text.title and text.topics


@pytest.mark.parametrize("language", SHIPPED)
@pytest.mark.parametrize("level", list(Level))
@pytest.mark.parametrize("length", [80, 250, 400])
def test_length_within_tolerance(
    engine: LevelerEngine, language: str, level: Level, length: int
) -> None:
    result = engine.generate(request(language, level, length), lambda p, m: None)
    words = count_words(SHIPPED[language], body_of(result.markdown))
    assert words == result.word_count
    assert abs(words - length) <= length * TOLERANCE, (words, length)
    # The only warnings a library text may earn are about its level, never its length.
    assert all(
        w.startswith(("This text is harder", "This reading is almost")) for w in result.warnings
    )


@pytest.mark.parametrize("language", SHIPPED)
@pytest.mark.parametrize("level", list(Level))
def test_vocabulary_never_below_the_level(
    engine: LevelerEngine, language: str, level: Level
) -> None:
    result = engine.generate(request(language, level, 300), lambda p, m: None)
    estimator = LevelEstimator(language)
    for item in result.vocabulary:
        assert item.level.rank >= level.rank, item
        assert estimator.word(item.word).level == item.level
        assert item.word in item.example
        assert item.example in result.markdown
    if level <= Level.B1:
        assert len(result.vocabulary) >= 3


def test_lower_levels_keep_easier_sentences(engine: LevelerEngine) -> None:
    estimator = LevelEstimator("English")

    def share_above_b1(level: Level) -> float:
        text = body_of(engine.generate(request("English", level, 200), lambda p, m: None).markdown)
        infos = estimator.words(text)
        return sum(i.level.rank > Level.B1.rank for i in infos) / len(infos)

    assert share_above_b1(Level.A1) < share_above_b1(Level.C2)


def test_deterministic(engine: LevelerEngine) -> None:
    first = engine.generate(request("German", Level.B1, 300), lambda p, m: None)
    second = engine.generate(request("German", Level.B1, 300), lambda p, m: None)
    assert first.model_dump() == second.model_dump()


def test_topic_picks_the_matching_text(engine: LevelerEngine) -> None:
    result = engine.generate(
        request("English", Level.B1, 200, topic="solar energy"), lambda p, m: None
    )
    assert "solar" in result.title.lower()


def test_progress_rises(engine: LevelerEngine) -> None:
    seen: list[tuple[int, str]] = []
    engine.generate(request("French", Level.A2, 200), lambda p, m: seen.append((p, m)))
    assert [p for p, _ in seen] == sorted(p for p, _ in seen)
    assert len(seen) >= 3 and all(m for _, m in seen)


def test_source_text_is_used_and_short_sources_warn(engine: LevelerEngine) -> None:
    text = "The cat sat on the mat. It was warm. The sun was bright and the day was calm."
    result = engine.generate(request("English", Level.A1, 100, source_text=text), lambda p, m: None)
    assert "The cat sat on the mat." in result.markdown
    assert result.source.name == "Your text"
    assert result.warnings and "shorter" in result.warnings[0]


def test_language_without_library_texts_says_what_to_do(tmp_path: Path) -> None:
    engine = LevelerEngine(Settings(_env_file=None, OPAD_LIBRARY_DIR=tmp_path))  # type: ignore[call-arg]
    with pytest.raises(EngineError, match="no texts in Italian"):
        engine.generate(
            GenerationRequest(language="Italian", level=Level.B1, length=100, topic="x"),
            lambda p, m: None,
        )


def test_library_format(tmp_path: Path) -> None:
    path = tmp_path / "x.md"
    path.write_text("---\ntitle: T\ntopics: a, B\ndate: 2026-01-02\n---\nBody text.\n")
    text = parse_library_file(path)
    assert (text.title, text.topics, text.date, text.body) == (
        "T",
        ("a", "b"),
        "2026-01-02",
        "Body text.",
    )
