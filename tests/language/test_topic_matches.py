"""Topics match whole words and lemmas; English topics for ko/ja/zh are translated; saved
words rank only among real matches; "already read" covers library texts and news by
canonical URL (issue 27, item 6)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from opad.engines import build_engine
from opad.engines.base import GenerationRequest, GenerationResult, Source
from opad.engines.origins import canonical_url, library_origin
from opad.engines.topic_source import TopicSources
from opad.engines.topic_translation import lexicon, translations
from opad.engines.topics import is_english_topic, match_topic, topic_terms
from opad.levels import Level
from opad.settings import Settings
from opad.worker.records import stored_origin


def match(code: str, topic: str, title: str, body: str, tags: tuple[str, ...] = ()) -> Any:
    terms = topic_terms(code, topic, lambda w: translations(code, w))
    return match_topic(code, terms, title=title, body=body, tags=tags)


@pytest.mark.parametrize(
    ("code", "topic", "title"),
    [
        ("en", "sport", "Cheaper tickets for public transport"),  # the example
        ("en", "art", "A fresh start for the party"),
        ("en", "car", "Nurses who care"),
        ("en", "port", "Passports for sports fans"),
        ("en", "house", "Housing costs rise"),
        ("de", "Port", "Sport und Transport"),
        ("de", "Sport", "Der Transport der Waren"),
        ("es", "arte", "La mayor parte del barrio"),
        ("fr", "sport", "Le transport en commun"),
        ("it", "arte", "La partenza della gara"),
    ],
)
def test_a_topic_word_inside_another_word_is_no_match(code: str, topic: str, title: str) -> None:
    assert not match(code, topic, title, title + ". " + title + ".").found


@pytest.mark.parametrize(
    ("code", "topic", "title"),
    [
        ("en", "sport", "Sports clubs grow"),  # the lemma
        ("de", "Fußball", "Frauenfußball wächst"),  # compound head after a known word
        ("de", "Sport", "Radsport am Sonntag"),
        ("de", "Park", "Der neue Stadtpark"),
        ("es", "trabajo", "Trabajadores y trabajo"),
    ],
)
def test_whole_words_lemmas_and_compound_heads_match(code: str, topic: str, title: str) -> None:
    assert match(code, topic, title, "Text.").good


def test_a_short_topic_needs_every_word_salient() -> None:
    # "city parks": a bus story tagged "city" that mentions a park once is not about it.
    body = "Buses run every ten minutes. One stop is near a park. Tickets are cheaper."
    assert not match("en", "city parks", "Cheaper buses", body, ("city", "transport")).good
    assert match("en", "city parks", "Cheaper buses", body, ("city parks",)).good


@pytest.mark.parametrize(
    ("code", "topic", "body"),
    [
        ("ko", "food", "마을 주민들이 모여 음식을 나누었다. 음식은 맛있었다."),
        ("ko", "bears", "지리산에 곰이 산다. 곰은 겨울잠을 잔다."),
        ("ja", "trains", "ローカル線の電車に観光客が乗った。"),
        ("zh", "elevator", "老楼加装电梯，居民很高兴。"),
        ("zh", "bus", "无人驾驶公交车开上城市道路。"),
    ],
)
def test_an_english_topic_for_cjk_is_translated(code: str, topic: str, body: str) -> None:
    assert is_english_topic(code, topic)
    # No English tags at all: only the translation can find it.
    assert match(code, topic, body.split("。")[0], body).good


def test_an_english_topic_for_cjk_also_matches_english_tags() -> None:
    terms = topic_terms("ko", "kimchi festival")  # no translation function: as written
    found = match_topic(
        "ko", terms, title="김장", body="배추를 절였다.", tags=("kimchi", "festival")
    )
    assert found.good
    assert not is_english_topic("ko", "김치 kimchi")  # mixed: read as Korean


def test_the_topic_lexicon_is_well_formed() -> None:
    table = lexicon()
    assert len(table) >= 100
    for english, by_code in table.items():
        assert english == english.lower()
        assert set(by_code) == {"ko", "ja", "zh"}
        assert all(by_code[c] for c in by_code), english


def _library(tmp_path: Path) -> Path:
    root = tmp_path / "library" / "en"
    root.mkdir(parents=True)
    (root / "satellite.md").write_text(
        "---\ntitle: Students build a satellite\ntopics: space research, science\n---\n"
        "A team of students launched a small satellite. It sends pictures of clouds. "
        "The research helps scientists study the weather from space.\n",
        encoding="utf-8",
    )
    (root / "garden.md").write_text(
        "---\ntitle: A garden opens\ntopics: urban green space, gardens\n---\n"
        "The new garden has a lake, grass, trees and benches. Children play on the grass "
        "by the lake. Research shows that trees cool the city. Benches stand under trees.\n",
        encoding="utf-8",
    )
    return tmp_path / "library"


def test_saved_words_rank_only_among_real_matches(tmp_path: Path) -> None:
    sources = TopicSources(Settings(_env_file=None, OPAD_LIBRARY_DIR=str(_library(tmp_path))))
    learning = frozenset({"lake", "grass", "tree", "bench", "garden"})
    text = sources.choose("English", "space research", frozenset(), lambda p, m: None, learning)
    assert text.title == "Students build a satellite"
    # Among equal matches the learner's words still decide.
    text = sources.choose("English", "science", frozenset(), lambda p, m: None, learning)
    assert text.title == "Students build a satellite"


def test_a_library_text_already_read_says_so(tmp_path: Path) -> None:
    sources = TopicSources(Settings(_env_file=None, OPAD_LIBRARY_DIR=str(_library(tmp_path))))
    first = sources.choose("English", "satellite", frozenset(), lambda p, m: None)
    assert first.origin == library_origin("en", "satellite")
    again = sources.choose("English", "satellite", frozenset({first.origin}), lambda p, m: None)
    assert again.title == first.title
    assert any("already have a reading" in w for w in again.warnings)


def test_the_engine_records_a_library_text_and_says_so_the_second_time() -> None:
    engine = build_engine(Settings(_env_file=None, OPAD_ENGINE="offline"))

    def ask(used: list[str]) -> GenerationResult:
        request = GenerationRequest(
            language="English", level=Level.B1, length=100, topic="city parks", used_sources=used
        )
        return engine.generate(request, lambda p, m: None)

    first = ask([])
    origin = stored_origin(first)
    assert origin == "library:en/city-parks"
    assert "library:" not in first.markdown  # an id, not a link for the learner
    again = ask([origin])
    assert again.title == first.title
    assert any("already have a reading" in w for w in again.warnings)


@pytest.mark.parametrize(
    "url",
    [
        "https://news.example.org/2026/parks?id=4",
        "http://News.Example.org/2026/parks/?id=4",
        "https://news.example.org/2026/parks?utm_source=feed&id=4#comments",
        "https://news.example.org/2026/parks?fbclid=abc&id=4",
    ],
)
def test_news_is_known_by_its_canonical_url(url: str) -> None:
    assert canonical_url(url) == "https://news.example.org/2026/parks?id=4"
    result = GenerationResult(title="t", markdown="", source=Source(name="n", url=url))
    assert stored_origin(result) == "https://news.example.org/2026/parks?id=4"


def test_different_pages_stay_different() -> None:
    assert canonical_url("https://a.example/x?id=4") != canonical_url("https://a.example/x?id=5")
    assert canonical_url("https://a.example/x") != canonical_url("https://a.example/y")
