"""Six grades that differ (issue 27, item 3): each level chooses from its own band of the
source, and at 600 words and over the lower levels keep fewer, easier passages and say so."""

from __future__ import annotations

from opad.engines.band import band
from opad.engines.base import GenerationRequest
from opad.engines.leveler import LevelerEngine
from opad.engines.selection import level_length, units
from opad.engines.sources import PACKAGED_LIBRARY, load_library
from opad.levels import Level
from opad.quality.yardsticks import measure
from opad.settings import Settings
from opad.text.estimator import LevelEstimator


def _long_text(code: str) -> str:
    texts = sorted(load_library(PACKAGED_LIBRARY, code), key=lambda st: -len(st[1].body))
    return texts[0][1].body


def test_the_length_yields_to_the_level_at_600_words_only() -> None:
    assert [level_length(level, 600) for level in Level] == [360, 420, 510, 600, 600, 600]
    assert {level_length(level, 300) for level in Level} == {300}


def test_a1_and_c2_choose_from_bands_that_do_not_meet() -> None:
    text = _long_text("de")
    sentences = LevelerEngine._sentences(text, "de")
    all_units = units("de", sentences, LevelEstimator("German"))
    opening = {0}
    a1 = band(all_units, opening, Level.A1, 300)
    c2 = band(all_units, opening, Level.C2, 300)
    assert a1 and c2 and not a1 & c2
    hardness = {i: all_units[i].hardness for i in range(len(all_units))}
    assert max(hardness[i] for i in a1) <= min(hardness[i] for i in c2)


def test_a_long_a1_reading_is_shorter_easier_and_says_why() -> None:
    engine = LevelerEngine(Settings(_env_file=None, OPAD_ENGINE="leveler"))
    text = _long_text("en")

    def make(level: Level):  # type: ignore[no-untyped-def]
        request = GenerationRequest(
            language="English", level=level, length=600, topic="x", source_text=text
        )
        return engine.generate(request, lambda p, m: None)

    a1, c2 = make(Level.A1), make(Level.C2)
    assert a1.word_count <= 0.7 * 600
    assert any("easier passages" in w and "A1" in w for w in a1.warnings), a1.warnings
    assert 0.85 * 600 <= c2.word_count <= 1.15 * 600
    assert not any("easier passages" in w for w in c2.warnings)
    body = [r.markdown.split("\n\n", 2)[2].split("\n## Vocabulary")[0] for r in (a1, c2)]
    easy, hard = measure("en", body[0]), measure("en", body[1])
    assert easy["formula"] < hard["formula"] and easy["sentence_length"] < hard["sentence_length"]
