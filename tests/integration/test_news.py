"""The leveler reads news: local RSS and Atom feeds, pages extracted, fallback to the library.

Every feed and page is served by tests/news_site.py on 127.0.0.1; nothing here reaches the
internet.
"""

from __future__ import annotations

import socket
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from opad.engines.base import GenerationRequest
from opad.engines.leveler import LevelerEngine
from opad.levels import Level
from opad.settings import Settings
from tests.news_site import NewsSite

ELEPHANTS = [
    "Elephants are coming back to the plains of southern Kenya. Rangers in Amboseli "
    "counted more than two thousand elephants this spring, the highest number in forty "
    "years, after a long drought ended and the grass grew again.",
    "The Kenya Wildlife Service says that new corridors between the national parks help "
    "the animals to move safely. Farmers near the park have built fences with beehives, "
    "because elephants do not like bees and keep away from the fields.",
    "Tourism has grown as well. Many visitors come to see the elephants with Mount "
    "Kilimanjaro behind them, and the money pays for schools and clinics in the villages "
    "around the park. The rangers hope that the number will keep rising next year.",
]
OLD_ELEPHANTS = [
    "A report from last year looked at elephants in Kenya during the drought. Many "
    "animals walked far to find water, and some did not survive the dry months.",
    *ELEPHANTS[1:],
]
FUSSBALL = [
    "Der Frauenfußball in Deutschland wächst schnell. Immer mehr Mädchen spielen in einem "
    "Verein, und die Stadien sind bei großen Spielen oft ausverkauft. Der Fußball-Bund "
    "will deshalb mehr Geld für Trainerinnen ausgeben.",
    "Auch in kleinen Orten gibt es neue Mannschaften. Am Wochenende trainieren dort die "
    "Kinder auf dem Platz hinter der Schule, und die Eltern verkaufen Kuchen und Kaffee. "
    "Viele Spielerinnen sagen, dass Fußball ihnen Mut und Freunde gibt.",
    "Im Sommer beginnt die neue Saison. Die Vereine hoffen auf viele Zuschauer und auf "
    "gutes Wetter, denn die meisten Spiele finden draußen statt. Der Verband plant außerdem "
    "einen Tag der offenen Tür in allen Regionen des Landes.",
]
IA = [
    "La inteligencia artificial llega a las escuelas de Madrid. Desde este curso, los "
    "profesores usan programas que ayudan a corregir los ejercicios y a preparar las "
    "clases, y los alumnos aprenden cómo funcionan estas herramientas.",
    "Los expertos dicen que la inteligencia artificial puede ahorrar mucho tiempo, pero "
    "también advierten de sus riesgos. Por eso, el gobierno regional ha publicado una guía "
    "con reglas claras sobre los datos de los estudiantes y el uso en los exámenes.",
    "Muchas familias están contentas con el cambio, aunque algunas prefieren esperar. La "
    "consejería de educación revisará el proyecto al final del año y decidirá si lo amplía "
    "a otras ciudades de la comunidad.",
]


@pytest.fixture
def site() -> Iterator[NewsSite]:
    with NewsSite() as s:
        s.article("elephants-2026", "Elephants return to Kenya's plains", ELEPHANTS, "2026-11-20")
        s.article("elephants-2025", "Kenya's elephants in the drought", OLD_ELEPHANTS, "2025-10-01")
        s.article("fussball", "Frauenfußball wächst in ganz Deutschland", FUSSBALL, "2026-11-25")
        s.article("ia", "La inteligencia artificial entra en las aulas", IA, "2026-11-24")
        s.feed("/en.rss", ["elephants-2025", "elephants-2026"], kind="rss", lang="en")
        s.feed("/de.atom", ["fussball"], kind="atom", lang="de")
        s.feed("/es.rss", ["ia"], kind="rss", lang="es-ES")
        yield s


def settings(tmp_path: Path, feeds: str, **values: Any) -> Settings:
    base = {
        "OPAD_DATA_DIR": str(tmp_path),
        "OPAD_NEWS": "on",
        "OPAD_RSS_FEEDS": feeds,
        "OPAD_FETCH_ALLOW_NETWORKS": "127.0.0.1/32",
        "OPAD_NEWS_TIMEOUT": "3",
    }
    return Settings(**{**base, **values})  # type: ignore[arg-type]


def all_feeds(site: NewsSite) -> str:
    return f"en={site.url}/en.rss,de={site.url}/de.atom,es={site.url}/es.rss"


def request(language: str, topic: str, used: list[str] | None = None) -> GenerationRequest:
    return GenerationRequest(
        language=language, level=Level.B1, length=120, topic=topic, used_sources=used or []
    )


def quiet(percent: int, message: str) -> None:
    pass


@pytest.mark.parametrize(
    ("language", "topic", "slug"),
    [
        ("English", "elephants in Kenya", "elephants-2026"),
        ("German", "Fußball", "fussball"),  # an Atom feed; "Frauenfußball" in the title
        ("Spanish", "inteligencia artificial", "ia"),
    ],
)
def test_topic_is_served_from_the_news(
    tmp_path: Path, site: NewsSite, language: str, topic: str, slug: str
) -> None:
    engine = LevelerEngine(settings(tmp_path, all_feeds(site)))
    result = engine.generate(request(language, topic), quiet)
    assert result.source.url == site.page_url(slug)
    assert result.warnings == [] or all("no text on" not in w for w in result.warnings)
    # The page was fetched and its text extracted: words of its body are in the reading.
    assert f"/news/{slug}.html" in site.requests
    body_words = set(" ".join(site.articles[slug].paragraphs).split())
    assert len(body_words & set(result.markdown.split())) > 30
    assert "Home · World" not in result.markdown  # the page's navigation is not the text


def test_freshest_good_match_first_and_no_repeat(tmp_path: Path, site: NewsSite) -> None:
    engine = LevelerEngine(settings(tmp_path, all_feeds(site)))
    first = engine.generate(request("English", "elephants in Kenya"), quiet)
    assert first.source.url == site.page_url("elephants-2026")  # listed second in the feed
    # The same learner asks again: the article already read is not chosen again.
    read = [str(first.source.url)]
    again = engine.generate(request("English", "elephants in Kenya", read), quiet)
    assert again.source.url == site.page_url("elephants-2025")
    assert not any("already" in w for w in again.warnings)
    # Both read: the freshest is served again, and the learner is told.
    both = [site.page_url("elephants-2026"), site.page_url("elephants-2025")]
    third = engine.generate(request("English", "elephants in Kenya", both), quiet)
    assert third.source.url == site.page_url("elephants-2026")
    assert any("already have a reading" in w for w in third.warnings)


def test_no_good_match_says_so_and_names_the_closest(tmp_path: Path, site: NewsSite) -> None:
    engine = LevelerEngine(settings(tmp_path, all_feeds(site)))
    result = engine.generate(request("English", "volcanoes in Iceland"), quiet)
    assert any(
        w.startswith("no text on this topic (“volcanoes in Iceland”); the closest is “")
        for w in result.warnings
    )
    assert result.source.url is None or "/news/" not in result.source.url


def test_news_off_means_no_request_at_all(tmp_path: Path, site: NewsSite) -> None:
    engine = LevelerEngine(settings(tmp_path, all_feeds(site), OPAD_NEWS="off"))
    result = engine.generate(request("English", "elephants in Kenya"), quiet)
    assert site.requests == []
    assert result.source.name == "OPAD starter library"
    assert any("no text on this topic" in w for w in result.warnings)


def test_slow_feed_falls_back_to_the_library_in_time(tmp_path: Path, site: NewsSite) -> None:
    site.delays["/en.rss"] = 20
    engine = LevelerEngine(settings(tmp_path, all_feeds(site), OPAD_NEWS_TIMEOUT="1"))
    start = time.monotonic()
    result = engine.generate(request("English", "city parks"), quiet)
    elapsed = time.monotonic() - start
    assert result.source.name == "OPAD starter library"
    assert "the news could not be reached, so this text is from the library" in result.warnings
    assert elapsed < 8, elapsed  # the 1 s news budget, not the feed's 20 s


def test_dead_feed_falls_back_to_the_library(tmp_path: Path) -> None:
    with socket.socket() as s:  # a port nobody listens on
        s.bind(("127.0.0.1", 0))
        dead = f"http://127.0.0.1:{s.getsockname()[1]}/feed.xml"
    engine = LevelerEngine(settings(tmp_path, f"en={dead}"))
    result = engine.generate(request("English", "city parks"), quiet)
    assert result.source.name == "OPAD starter library"
    assert result.title.startswith("Riverside Town")
    assert "the news could not be reached, so this text is from the library" in result.warnings


def test_feed_declaring_another_language_is_not_read_as_this_one(
    tmp_path: Path, site: NewsSite
) -> None:
    # A bare URL serves every language, but its entries say they are Spanish.
    engine = LevelerEngine(settings(tmp_path, f"{site.url}/es.rss"))
    result = engine.generate(request("English", "inteligencia artificial"), quiet)
    assert result.source.url != site.page_url("ia")


def test_serper_when_keyed(tmp_path: Path) -> None:
    # The same Serper-shaped local server the crew's tests use; pages are fetched for real.
    from tests.crew.fake_news import API_KEY, FakeNews

    with FakeNews() as serper:
        engine = LevelerEngine(
            settings(tmp_path, "", SERPER_API_KEY=API_KEY, OPAD_SERPER_URL=serper.url)
        )
        result = engine.generate(request("English", "harbour festival"), quiet)
        assert serper.searches[0]["q"] == "harbour festival"
        # Reports 1 and 2 are served (3 is a dead link); the page dated 2025-05-02 is newer.
        assert result.source.url == serper.page_url("harbour festival", 2)
        assert "report number 2 about harbour festival" in result.markdown
        assert not any("no text on" in w for w in result.warnings)
