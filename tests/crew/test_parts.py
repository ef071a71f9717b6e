"""The crew engine's parts on their own: news search backends, the vocabulary filter, the
error mapping and the configuration check (no crew run, so these are fast)."""

from __future__ import annotations

from typing import Any

import httpx
import openai
import pytest

from opad.engines.base import EngineError, JobStopped
from opad.engines.crew.doctor import check_search
from opad.engines.crew.errors import causes, to_engine_error
from opad.engines.crew.models import VocabularyEntry
from opad.engines.crew.search import LibrarySearch, RssSearch, SerperSearch, build_search
from opad.engines.crew.vocabulary import filter_vocabulary
from opad.engines.sources import PACKAGED_LIBRARY
from opad.levels import Level
from opad.settings import Settings
from tests.conftest import make_settings
from tests.crew.fake_news import FakeNews


def settings_for(tmp_path: Any, fake_news: FakeNews, **values: Any) -> Settings:
    base = {
        "OPAD_SERPER_URL": fake_news.url,
        "OPAD_RSS_FEEDS": f"{fake_news.url}/feed.xml",
        "OPAD_FETCH_TIMEOUT": 5,
        "OPAD_FETCH_ALLOW_NETWORKS": "127.0.0.1/32",
    }
    return make_settings(tmp_path, **{**base, **values})


def test_auto_search_prefers_serper_then_feeds_then_library(tmp_path: Any) -> None:
    assert build_search(make_settings(tmp_path)).name == "library"
    assert build_search(make_settings(tmp_path, OPAD_RSS_FEEDS="http://x/f")).name == "rss"
    keyed = make_settings(tmp_path, OPAD_RSS_FEEDS="http://x/f", SERPER_API_KEY="k")
    assert build_search(keyed).name == "serper"
    with pytest.raises(EngineError, match="needs SERPER_API_KEY"):
        build_search(make_settings(tmp_path, OPAD_SEARCH="serper"))


def test_library_search_ranks_by_topic() -> None:
    results = LibrarySearch(PACKAGED_LIBRARY).search("solar energy", "English", 3)
    assert results[0].url == "library:en/solar-energy"
    assert len(results) == 3 and all(r.text for r in results)


def test_serper_search_fetches_full_text_and_skips_dead_links(
    tmp_path: Any, fake_news: FakeNews
) -> None:
    backend = SerperSearch(settings_for(tmp_path, fake_news, SERPER_API_KEY="serper-test-key"))
    results = backend.search("river cleanup", "English", 3)
    assert [r.url for r in results] == [
        fake_news.page_url("river cleanup", 1),
        fake_news.page_url("river cleanup", 2),  # the third page is a 404: skipped
    ]
    first = results[0]
    assert first.author == "Jane Doe" and results[1].author is None
    assert "report number 1 about river cleanup" in first.text
    assert first.source == "Daily News 1" and first.date == "2025-05-01"
    assert fake_news.searches[-1]["hl"] == "en"


def test_serper_errors(tmp_path: Any, fake_news: FakeNews) -> None:
    wrong = SerperSearch(settings_for(tmp_path, fake_news, SERPER_API_KEY="wrong"))
    with pytest.raises(EngineError, match="rejected SERPER_API_KEY") as caught:
        wrong.search("x", "English", 3)
    assert not caught.value.transient
    fake_news.fail_search = 503
    try:
        keyed = SerperSearch(settings_for(tmp_path, fake_news, SERPER_API_KEY="serper-test-key"))
        with pytest.raises(EngineError, match="HTTP 503") as caught:
            keyed.search("x", "English", 3)
        assert caught.value.transient
    finally:
        fake_news.fail_search = None


def test_found_links_go_through_the_ssrf_guard(tmp_path: Any, fake_news: FakeNews) -> None:
    # Without the operator's exception, the news site's own (loopback) pages are refused.
    guarded = make_settings(
        tmp_path, OPAD_SERPER_URL=fake_news.url, SERPER_API_KEY="serper-test-key"
    )
    assert SerperSearch(guarded).search("harbour", "English", 3) == []
    assert fake_news.searches[-1]["q"] == "harbour"  # the configured API itself is used


def test_a_learners_url_to_a_private_address_is_refused() -> None:
    from opad.engines.crew.fetch import Fetcher

    for url in ("http://127.0.0.1:9/admin", "http://169.254.169.254/latest/meta-data"):
        with pytest.raises(EngineError, match="refused to fetch") as caught:
            Fetcher(5, 10**6).page(url)
        assert not caught.value.transient


def test_rss_search_matches_entries_to_the_topic(tmp_path: Any, fake_news: FakeNews) -> None:
    backend = RssSearch(settings_for(tmp_path, fake_news))
    results = backend.search("solar power", "English", 3)
    assert [r.title for r in results] == ["Solar energy: report 1"]
    assert results[0].author == "Jane Doe"  # "jane@example.org (Jane Doe)" in the feed
    assert results[0].date == "2025-05-02"
    assert "report number 1 about solar energy" in results[0].text
    assert backend.entries_per_feed() == {f"{fake_news.url}/feed.xml": 4}


def test_doctor_counts_feed_entries(tmp_path: Any, fake_news: FakeNews) -> None:
    ok, detail = check_search(settings_for(tmp_path, fake_news, OPAD_SEARCH="rss"))
    assert ok and "4 entries" in detail
    dead_feed = "http://127.0.0.1:9/feed.xml"
    dead = settings_for(tmp_path, fake_news, OPAD_SEARCH="rss", OPAD_RSS_FEEDS=dead_feed)
    assert check_search(dead)[0] is False


def entry(word: str, level: Any = "C1", example: str = "") -> VocabularyEntry:
    return VocabularyEntry(
        word=word, lemma=word.lower(), level=level, definition="d.", example=example
    )


def test_vocabulary_keeps_words_of_the_text_at_the_level_and_no_names() -> None:
    body = (
        "Experts praised the municipal plan.\n\n"
        "Yesterday Gdansk opened its harbour. The municipal council met on Monday."
    )
    items = filter_vocabulary(
        [
            entry("municipal", example="no such word here"),
            entry("Gdansk"),  # a name: capitalised mid-sentence
            entry("experts", level="A1"),  # the LLM says A1; the estimator decides
            entry("the", level="B2"),  # far below B1
            entry("zeppelin"),  # not in the text
            entry("Municipal"),  # same lemma again
        ],
        body,
        "English",
        Level.B1,
    )
    assert [i.word for i in items][:1] == ["municipal"]
    words = {i.word for i in items}
    assert not words & {"Gdansk", "the", "zeppelin", "Municipal"}
    municipal = items[0]
    assert municipal.example == "Experts praised the municipal plan."  # from the text
    assert municipal.level == Level.C1
    for item in items:
        assert item.level.rank >= Level.B1.rank


@pytest.mark.parametrize(
    ("language", "body", "word"),
    [
        ("English", "Sixty people came to the park.", "Sixty"),
        ("English", "The bus has thirty seats.", "thirty"),
        ("Spanish", "Hay seiscientos árboles en el parque.", "seiscientos"),
        ("German", "Im Park stehen dreißig Bänke.", "dreißig"),
    ],
)
def test_number_words_are_never_vocabulary(language: str, body: str, word: str) -> None:
    items = filter_vocabulary([entry(word, level="A1")], body, language, Level.A1)
    assert items == []


def test_german_nouns_are_not_taken_for_names() -> None:
    body = "Die Stadt baut einen neuen Radweg. Viele Bürger begrüßen den Radweg."
    items = filter_vocabulary([entry("Radweg")], body, "German", Level.B1)
    assert [i.word for i in items] == ["Radweg"]


def _status_error(cls: type[openai.APIStatusError], status: int) -> openai.APIStatusError:
    request = httpx.Request("POST", "http://127.0.0.1/v1/chat/completions")
    return cls("boom", response=httpx.Response(status, request=request), body=None)


@pytest.mark.parametrize(
    ("exc", "transient", "text"),
    [
        (_status_error(openai.AuthenticationError, 401), False, "LLM rejected the API key for m"),
        (_status_error(openai.PermissionDeniedError, 403), False, "LLM rejected the API key for m"),
        (_status_error(openai.RateLimitError, 429), True, "the LLM is rate limited"),
        (_status_error(openai.InternalServerError, 502), True, "the LLM server failed (HTTP 502)"),
        (_status_error(openai.NotFoundError, 404), False, "the LLM server does not know the model"),
        (TimeoutError("slow"), True, "the LLM did not answer within 30 s"),
        (ConnectionError("refused"), True, "could not reach the LLM"),
        (ValueError("weird"), False, "add_vocabulary: RuntimeError: crew failed"),
    ],
)
def test_errors_map_by_cause(exc: BaseException, transient: bool, text: str) -> None:
    wrapped = RuntimeError("crew failed")
    wrapped.__cause__ = exc
    error = to_engine_error(wrapped, step="add_vocabulary", model="m", timeout=30)
    assert isinstance(error, EngineError)
    assert error.transient is transient and str(error).startswith(text), str(error)


def test_error_chains_that_loop_are_walked_once() -> None:
    a, b = ValueError("a"), ValueError("b")
    a.__cause__, b.__context__ = b, a
    assert list(causes(a)) == [a, b]
    stopped = JobStopped("cancelled")
    outer = RuntimeError("x")
    outer.__context__ = stopped
    assert to_engine_error(outer, step=None, model="m", timeout=1) is stopped


def test_output_schemas_are_pydantic_s_and_each_caller_gets_its_own_copy() -> None:
    from pydantic import BaseModel

    from opad.engines.crew.models import QuizList
    from opad.engines.crew.tools import SearchArgs

    for model in (QuizList, SearchArgs):
        fresh = BaseModel.model_json_schema.__func__(model)  # type: ignore[attr-defined]
        first = model.model_json_schema()
        assert first == fresh
        first["properties"].clear()  # the OpenAI SDK edits the schema it is given
        assert model.model_json_schema() == fresh
    templated = QuizList.model_json_schema(ref_template="#/components/{model}")
    assert "#/components/QuizItem" in str(templated)


def test_agent_executors_share_one_state_class_but_not_the_state(tmp_path: Any) -> None:
    from opad.engines.crew import executor
    from opad.engines.crew.crew import _agent, _task

    executor.install()
    settings = make_settings(
        tmp_path, OPAD_LLM_MODEL="m", OPAD_LLM_BASE_URL="http://127.0.0.1:9/v1"
    )
    states = []
    for _ in range(2):
        agent = _agent(settings, "writer")
        agent.create_agent_executor(task=_task("add_vocabulary", agent))
        assert agent.agent_executor is not None
        states.append(agent.agent_executor.state)
    first, second = states
    assert type(first) is type(second)  # one class for the process
    assert first is not second and first.id and first.id != second.id
    first.messages.append({"role": "user", "content": "x"})
    assert second.messages == []
