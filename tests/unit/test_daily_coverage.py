"""The known-word coverage target (issue 31): the leveler chooses passages of a real
library text so the share of words the learner knows is within 3 points of the target,
or as high as the source allows; due words are reported; too few known words fall back
to the level. A learner is simulated as knowing the language's N most frequent lemmas."""

from __future__ import annotations

from pathlib import Path

import pytest
import wordfreq

from opad.daily.clock import fast_clock_spec, parse_clock
from opad.engines.base import GenerationRequest
from opad.engines.leveler import LevelerEngine
from opad.levels import Level
from opad.settings import Settings
from opad.text.estimator import LevelEstimator

LIBRARY = Path(__file__).resolve().parents[2] / "src" / "opad" / "library"


def top_lemmas(code: str, n: int) -> list[str]:
    estimator = LevelEstimator(code)
    out: list[str] = []
    for word in wordfreq.top_n_list(code, n * 4):
        lemma = estimator.word(word).lemma.lower()
        if lemma not in out:
            out.append(lemma)
        if len(out) == n:
            break
    return out


@pytest.fixture(scope="module")
def engine() -> LevelerEngine:
    return LevelerEngine(Settings(_env_file=None))  # type: ignore[call-arg]


def made(engine: LevelerEngine, text: str, known: list[str], target: float | None, **more: object):  # type: ignore[no-untyped-def]
    request = GenerationRequest(
        language="German", level=Level.B1, length=150, topic="t", source_text=text,
        known_words=known, coverage=target, **more,
    )  # fmt: skip
    return engine.generate(request, lambda _p, _m: None)


@pytest.mark.parametrize("n", [1000, 3000])
def test_coverage_comes_within_three_points_of_the_target(engine: LevelerEngine, n: int) -> None:
    text = (LIBRARY / "de" / "museum.md").read_text(encoding="utf-8")
    known = top_lemmas("de", n)
    highest = made(engine, text, known, 1.0).coverage.reached
    lowest = made(engine, text, known, 0.5).coverage.reached
    assert highest - lowest > 0.1  # the source leaves room to choose
    for target in (0.80, 0.85, 0.90, 0.95):
        result = made(engine, text, known, target)
        assert result.coverage is not None and result.coverage.known_lemmas == n
        reached = result.coverage.reached
        assert reached is not None
        assert abs(reached - min(target, highest)) <= 0.03, (n, target, reached, highest)
        assert 0.85 * 150 <= result.word_count <= 1.15 * 150


def test_due_words_in_the_reading_are_named_and_few_known_words_fall_back_to_the_level(
    engine: LevelerEngine,
) -> None:
    text = (LIBRARY / "de" / "museum.md").read_text(encoding="utf-8")
    known = top_lemmas("de", 1000)
    result = made(engine, text, known, 0.9, due_words=["museum", "ausstellung", "zebra"])
    assert result.coverage is not None
    assert "zebra" not in result.coverage.due_words
    assert "museum" in result.coverage.due_words
    assert set(result.coverage.due_words) <= {"museum", "ausstellung"}
    few = made(engine, text, known[:50], 0.95)
    assert few.coverage is not None and few.coverage.reached is None
    assert few.coverage.known_lemmas == 50
    plain = made(engine, text, known, None)
    assert plain.coverage is None


def test_the_fast_clock_stands_still_until_its_epoch_then_runs() -> None:
    from datetime import UTC, datetime

    start = datetime(2026, 12, 1, tzinfo=UTC)
    import time

    now = time.time()
    waiting = parse_clock(fast_clock_spec(start, 3600, now + 100))
    assert waiting() == start
    running = parse_clock(fast_clock_spec(start, 3600, now - 2))
    assert 7000 < (running() - start).total_seconds() < 8000
    with pytest.raises(ValueError, match="OPAD_DAILY_CLOCK"):
        parse_clock("yesterday")


def test_a_fast_clock_can_wait_for_its_start_in_a_file(tmp_path: Path) -> None:
    import time
    from datetime import UTC, datetime

    start = datetime(2026, 12, 1, tzinfo=UTC)
    at = tmp_path / "epoch"
    clock = parse_clock(fast_clock_spec(start, 3600, at))
    assert clock() == start  # no file yet: standing still
    at.write_text(repr(time.time() - 2))
    assert 7000 < (clock() - start).total_seconds() < 8000
