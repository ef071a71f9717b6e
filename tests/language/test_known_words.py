"""Known words % of a reading, and words by state over time, as rules."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

from opad.engines.topic_source import TopicSources
from opad.learning.reading_words import known_share
from opad.services.word_stats import words_by_state
from opad.settings import Settings
from tests.language.test_topics import quiet, write_library
from tests.readings import body_of


def lemma_counts(code: str, markdown: str) -> dict[str, int]:
    """{lemma: running words} of a reading: its typed body's, as the worker stores it."""
    return body_of(code, markdown).lemma_counts()


READING = """# The cat and the dog

**Source:** [Daily Paper](<https://example.org/cats>) · 2026-11-01

The cat sleeps. The dog barks at the cat.

Run `rm -rf cats` to clean.

## Vocabulary

- **barks** (bark, B1): makes the sound of a dog
"""


def test_lemma_counts_are_the_words_the_reader_marks() -> None:
    counts = lemma_counts("en", READING)
    # Title and source line are metadata, code is left alone, the vocabulary section is
    # never text: "source" was counted (and marked known) before (issue 25).
    assert "paper" not in counts and "daily" not in counts and "source" not in counts
    assert "rm" not in counts and "sound" not in counts and "vocabulary" not in counts
    assert counts["cat"] == 2 and counts["the"] == 3 and counts["bark"] == 1


def test_a_heading_called_vocabulary_inside_the_body_stays() -> None:
    text = "Intro words.\n\n## Vocabulary\n\nA part.\n\n## Later\n\nMore text here.\n"
    counts = lemma_counts("en", text)
    assert counts["vocabulary"] == 1 and counts["part"] == 1 and counts["more"] == 1


def test_known_share_counts_running_words_known_or_ignored() -> None:
    counts = lemma_counts("en", "The cat sees the cat. A dog.")  # 7 running words
    assert sum(counts.values()) == 7
    assert known_share(counts, {}) == 0
    assert known_share(counts, {"cat": "known"}) == 2 / 7
    # Ignored words (names, typos) are nothing to learn: they count as known.
    assert known_share(counts, {"cat": "known", "the": "ignored"}) == 4 / 7
    # New and learning words are not known yet.
    assert known_share(counts, {"cat": "learning", "dog": "new"}) == 0
    assert known_share(lemma_counts("en", "# Only a title\n"), {"only": "known"}) is None


def at(day: int, hour: int = 12) -> datetime:
    return datetime(2026, 11, day, hour, tzinfo=UTC)


def test_words_by_state_replays_the_changes_day_by_day() -> None:
    changes = [
        ("w1", "learning", at(2)),
        ("w2", "new", at(3, 8)),
        ("w2", "learning", at(3, 20)),  # same day: the end of the day counts
        ("w1", "known", at(5)),
        ("w3", "known", at(1)),  # before the window: already there on its first day
    ]
    series = words_by_state(changes, date(2026, 11, 2), 4)
    assert [s["learning"] for s in series] == [1, 2, 2, 1]
    assert [s["known"] for s in series] == [1, 1, 1, 2]
    assert all(s["new"] == 0 and s["ignored"] == 0 for s in series)
    assert (
        words_by_state([], date(2026, 11, 2), 2)
        == [{"new": 0, "learning": 0, "known": 0, "ignored": 0}] * 2
    )


def test_the_leveler_prefers_good_matches_that_reuse_the_learners_words(tmp_path: Path) -> None:
    root = write_library(
        tmp_path / "lib",
        {
            "a-close": ("Night trains are back", "2020-01-01", "Night trains. Trains. Trains run."),
            "b-weak": ("A new timetable", "2026-01-01", "Trains and buses. Trains leave early."),
            "c-other": ("Bread prices", "2026-05-01", "Bread costs more. Buses are early."),
        },
    )
    sources = TopicSources(Settings(OPAD_LIBRARY_DIR=str(root)))  # type: ignore[call-arg]
    assert sources.choose("English", "trains", frozenset(), quiet).title == "Night trains are back"
    # The learner is learning "bus" and "early": the good match that holds them wins...
    learning = frozenset({"bus", "early"})
    chosen = sources.choose("English", "trains", frozenset(), quiet, learning)
    assert chosen.title == "A new timetable" and chosen.warnings == ()
    # ...but never a text off the topic, and a text already read stays last.
    read = frozenset({"https://x/b-weak"})
    assert (
        sources.choose("English", "trains", read, quiet, learning).title == "Night trains are back"
    )
    # Words no text holds change nothing.
    unused = frozenset({"volcano"})
    assert (
        sources.choose("English", "trains", frozenset(), quiet, unused).title
        == "Night trains are back"
    )
