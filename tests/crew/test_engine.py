"""The crew engine in the test process: the real CrewAI crew against the scripted LLM.

Fast and precise: each test calls `generate` directly and inspects the result, the
progress reports and what the scripted LLM served.
"""

from __future__ import annotations

import socket
import threading
from typing import Any

import pytest

from opad.engines.base import EngineError, GenerationRequest, GenerationResult, JobStopped
from opad.levels import Level
from opad.text import count_words
from opad.text.estimator import LevelEstimator
from tests.crew.fake_llm import INVENTED_URL, FakeLLM
from tests.crew.fake_news import FakeNews

STEP_OF = {
    "find": "find_news_articles",
    "pick": "pick_best_article",
    "adapt": "adapt_news_article",
    "vocabulary": "add_vocabulary",
    "questions": "add_questions",
}
MESSAGES = [
    "Searching the news…",
    "Choosing the best article…",
    "Rewriting for B1…",
    "Picking vocabulary…",
    "Writing questions…",
    "Saving…",
]


def request(topic: str, **kw: Any) -> GenerationRequest:
    values: dict[str, Any] = {"language": "English", "level": Level.B1, "length": 120}
    values.update(kw)
    return GenerationRequest(topic=topic, **values)


def run(engine: Any, req: GenerationRequest) -> tuple[GenerationResult, list[tuple[int, str]]]:
    seen: list[tuple[int, str]] = []
    result = engine.generate(req, lambda p, m: seen.append((p, m)))
    return result, seen


def distinct(messages: list[str]) -> list[str]:
    return [m for i, m in enumerate(messages) if i == 0 or messages[i - 1] != m]


def expected_usage(fake_llm: FakeLLM, topic: str) -> dict[str, dict[str, int]]:
    return {STEP_OF[step]: counts for step, counts in fake_llm.usage_for(topic).items()}


def test_finds_picks_adapts_and_lists_vocabulary(
    crew_engine: Any, fake_llm: FakeLLM, fake_news: FakeNews
) -> None:
    result, seen = run(crew_engine, request("city parks"))

    assert [s.step for s in fake_llm.requests_for("city parks")] == [
        "find",
        "find",
        "pick",
        "adapt",
        "vocabulary",
        "questions",
    ]
    # The source is the search result the picker chose, with the page's own author (the
    # scripted LLM claims "A. Invented"), and the markdown starts with it.
    assert result.source.url == fake_news.page_url("city parks", 1)
    assert result.source.author == "Jane Doe"
    assert result.source.name == "Daily News 1"
    assert result.markdown.startswith(f"# {result.title}\n\n**Source:** [Daily News 1](<")
    assert "municipal council" in result.markdown
    body = result.markdown.split("\n\n", 2)[2].split("## Vocabulary")[0]
    assert count_words("en", body) == result.word_count
    assert 90 <= result.word_count <= 150

    # The LLM also listed "people" (A1 by the shared estimator) and "zeppelin" (not in
    # the text): dropped.
    words = [v.word for v in result.vocabulary]
    assert words == ["municipal", "infrastructure", "biodiversity", "maintenance"]
    estimator = LevelEstimator("English")
    for item in result.vocabulary:
        assert item.level.rank >= Level.B1.rank
        assert estimator.word(item.word).level.rank >= Level.B1.rank
        assert item.word in item.example and item.definition
    assert "## Vocabulary" in result.markdown

    assert distinct([m for _, m in seen]) == MESSAGES
    assert [p for p, _ in seen] == sorted({p for p, _ in seen})  # strictly rising

    usage = result.usage
    assert usage is not None and usage.model == "openai/scripted-model"
    assert usage.by_step == expected_usage(fake_llm, "city parks")
    assert usage.total_tokens == usage.prompt_tokens + usage.completion_tokens > 0
    assert result.warnings == []


def test_streaming_counts_the_same(
    crew_settings: Any, fake_llm: FakeLLM, monkeypatch: pytest.MonkeyPatch
) -> None:
    from opad.engines.crew.engine import CrewEngine

    engine = CrewEngine(crew_settings.model_copy(update={"llm_stream": True}))
    result, _ = run(engine, request("streamed news"))
    served = fake_llm.requests_for("streamed news")
    assert served and all(s.stream for s in served)
    assert result.usage is not None
    assert result.usage.by_step == expected_usage(fake_llm, "streamed news")
    assert [v.word for v in result.vocabulary][:2] == ["municipal", "infrastructure"]


def test_given_text_skips_finding_and_picking(crew_engine: Any, fake_llm: FakeLLM) -> None:
    text = "The town opened a new library. It has many books. Children read there after school."
    result, seen = run(crew_engine, request("my library", source_text=text))
    assert [s.step for s in fake_llm.requests_for("my library")] == [
        "adapt",
        "vocabulary",
        "questions",
    ]
    assert result.source.name == "Your text" and result.source.url is None
    assert distinct([m for _, m in seen]) == MESSAGES[2:]
    assert result.usage is not None
    assert set(result.usage.by_step) == {"adapt_news_article", "add_vocabulary", "add_questions"}


def test_given_url_is_fetched_and_adapted(
    crew_engine: Any, fake_llm: FakeLLM, fake_news: FakeNews
) -> None:
    fake_news.results("harbour festival")  # makes the page exist
    url = fake_news.page_url("harbour festival", 1)
    result, _ = run(crew_engine, request("harbour festival", source_url=url))
    assert result.source.url == url and result.source.author == "Jane Doe"
    assert [s.step for s in fake_llm.requests_for("harbour festival")] == [
        "adapt",
        "vocabulary",
        "questions",
    ]


def test_length_off_gets_one_rewrite(crew_engine: Any, fake_llm: FakeLLM) -> None:
    fake_llm.add_rule("short once", "adapt", fail="short", times=1)
    result, seen = run(crew_engine, request("short once"))
    assert [s.step for s in fake_llm.requests_for("short once")].count("adapt") == 2
    assert (60, "Adjusting the length…") in seen
    assert result.warnings == []


def test_length_off_twice_is_accepted_with_a_warning(crew_engine: Any, fake_llm: FakeLLM) -> None:
    fake_llm.add_rule("always short", "adapt", fail="short")
    result, _ = run(crew_engine, request("always short"))
    assert [s.step for s in fake_llm.requests_for("always short")].count("adapt") == 2
    assert len(result.warnings) == 1 and "instead of about 120" in result.warnings[0]


def test_too_hard_gets_one_rewrite_naming_words_and_sentences(
    crew_engine: Any, fake_llm: FakeLLM
) -> None:
    fake_llm.add_rule("hard once", "adapt", fail="hard", times=1)
    result, seen = run(crew_engine, request("hard once"))
    adapts = [s for s in fake_llm.requests_for("hard once") if s.step == "adapt"]
    assert len(adapts) == 2
    rewrite = adapts[1].prompt
    assert "too hard for B1" in rewrite
    assert "promulgated" in rewrite and "vociferous" in rewrite  # the words to replace
    assert "the ordinance was promulgated." in rewrite  # a sentence to simplify
    assert (60, "Making it easier…") in seen
    assert result.warnings == []
    assert "promulgated" not in result.markdown


def test_too_hard_twice_is_accepted_with_a_warning(crew_engine: Any, fake_llm: FakeLLM) -> None:
    fake_llm.add_rule("always hard", "adapt", fail="hard")
    result, _ = run(crew_engine, request("always hard"))
    assert [s.step for s in fake_llm.requests_for("always hard")].count("adapt") == 2
    assert len(result.warnings) == 2, result.warnings
    assert result.warnings[0].startswith("this text is harder than B1: ")
    assert "% of its words are above B1 (for example: " in result.warnings[0]
    # None of the model's words is in the hard text: the leveler's picker lists its own.
    assert result.warnings[1].startswith("the vocabulary was picked by OPAD from the text")
    assert result.vocabulary and all(v.word in result.markdown for v in result.vocabulary)
    assert all(v.level.rank >= Level.B1.rank for v in result.vocabulary)


def test_a_hard_text_is_fine_for_c2(crew_engine: Any, fake_llm: FakeLLM) -> None:
    fake_llm.add_rule("hard for c2", "adapt", fail="hard")
    result, _ = run(crew_engine, request("hard for c2", level=Level.C2))
    assert [s.step for s in fake_llm.requests_for("hard for c2")].count("adapt") == 1
    # The scripted words are not in the hard text, so the picker made the list.
    assert result.warnings == [
        "the vocabulary was picked by OPAD from the text: the language model's list could "
        "not be used"
    ]


def test_an_invented_url_is_rejected_then_corrected(crew_engine: Any, fake_llm: FakeLLM) -> None:
    fake_llm.add_rule("invented once", "pick", fail="bad_url", times=1)
    result, _ = run(crew_engine, request("invented once"))
    assert result.source.url != INVENTED_URL and result.source.url
    assert [s.step for s in fake_llm.requests_for("invented once")].count("pick") == 2


def test_an_invented_url_twice_falls_back_on_the_search(
    crew_engine: Any, fake_llm: FakeLLM, fake_news: FakeNews
) -> None:
    fake_llm.add_rule("always invented", "pick", fail="bad_url")
    result, _ = run(crew_engine, request("always invented"))
    assert [s.step for s in fake_llm.requests_for("always invented")].count("pick") == 2
    # The search's best match, with the page's own author.
    assert result.source.url == fake_news.page_url("always invented", 1)
    assert result.source.author == "Jane Doe"


def test_an_unreadable_rewrite_gives_the_leveled_source(
    crew_engine: Any, fake_llm: FakeLLM, fake_news: FakeNews
) -> None:
    fake_llm.add_rule("rewrite unreadable", "adapt", fail="invalid_json")
    result, _ = run(crew_engine, request("rewrite unreadable"))
    assert [s.step for s in fake_llm.requests_for("rewrite unreadable")].count("adapt") == 2
    # The source's own sentences, chosen for the level, and the reading says so.
    assert result.warnings[0].startswith("the language model's rewrite could not be used")
    assert result.source.url == fake_news.page_url("rewrite unreadable", 1)
    body = result.markdown.split("\n\n", 2)[2].split("## Vocabulary")[0]
    assert body.strip() and "municipal council" not in body  # not the scripted rewrite


def test_unreadable_vocabulary_is_picked_from_the_text(crew_engine: Any, fake_llm: FakeLLM) -> None:
    fake_llm.add_rule("words unreadable", "vocabulary", fail="invalid_json")
    result, _ = run(crew_engine, request("words unreadable"))
    # One answer and the one retry naming what was wrong; then the leveler's picker.
    asked = [s for s in fake_llm.requests_for("words unreadable") if s.step == "vocabulary"]
    assert len(asked) == 2 and "Your answer could not be used" in asked[1].prompt
    assert result.vocabulary and result.warnings == [
        "the vocabulary was picked by OPAD from the text: the language model's list could "
        "not be used"
    ]
    estimator = LevelEstimator("English")
    assert all(estimator.word(v.word).level.rank >= Level.B1.rank for v in result.vocabulary)


@pytest.mark.parametrize(
    ("fail", "step", "transient", "message"),
    [
        ("401", "adapt", False, "LLM rejected the API key for openai/scripted-model"),
        ("403", "find", False, "LLM rejected the API key for openai/scripted-model"),
        ("500", "pick", True, "the LLM server failed (HTTP 500)"),
        ("hang", "vocabulary", True, "the LLM did not answer within 2 s"),
    ],
)
def test_failures_map_to_engine_errors(
    crew_engine: Any, fake_llm: FakeLLM, fail: str, step: str, transient: bool, message: str
) -> None:
    topic = f"failure {fail} at {step}"
    fake_llm.add_rule(topic, step, fail=fail)
    with pytest.raises(EngineError) as caught:
        run(crew_engine, request(topic))
    assert caught.value.transient is transient
    assert str(caught.value).startswith(message), str(caught.value)
    statuses = [s.status for s in fake_llm.requests_for(topic) if s.step == step]
    # One try plus the crew's one retry (OPAD_CREW_TASK_RETRIES=1, SDK retries off).
    assert 1 <= len(statuses) <= 2, statuses


def test_rate_limit_is_transient(crew_engine: Any, fake_llm: FakeLLM) -> None:
    fake_llm.add_rule("rate limited", "find", fail="429")
    with pytest.raises(EngineError) as caught:
        run(crew_engine, request("rate limited"))
    assert caught.value.transient
    assert "rate limited (HTTP 429)" in str(caught.value)


def test_a_stopped_job_makes_no_further_llm_calls(crew_engine: Any, fake_llm: FakeLLM) -> None:
    def progress(percent: int, message: str) -> None:
        if message.startswith("Choosing"):
            raise JobStopped("cancelled by the test")

    fake_llm.add_rule("stop me", delay=0.2)
    with pytest.raises(JobStopped):
        crew_engine.generate(request("stop me"), progress)
    steps = [s.step for s in fake_llm.requests_for("stop me")]
    assert "adapt" not in steps and "vocabulary" not in steps


def test_concurrent_crews_keep_their_own_progress_and_usage(
    crew_engine: Any, fake_llm: FakeLLM
) -> None:
    topics = [f"parallel topic {n}" for n in range(4)]
    for n, topic in enumerate(topics):
        fake_llm.add_rule(topic, delay=0.1 * (n + 1))  # interleave the crews' steps
    results: dict[str, GenerationResult] = {}
    seen: dict[str, list[tuple[int, str]]] = {t: [] for t in topics}
    errors: list[BaseException] = []

    def one(topic: str) -> None:
        try:
            results[topic] = crew_engine.generate(
                request(topic, level=Level.B2 if topic.endswith("1") else Level.B1),
                lambda p, m, t=topic: seen[t].append((p, m)),
            )
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    threads = [threading.Thread(target=one, args=(t,)) for t in topics]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert not errors, errors
    for topic in topics:
        level = "B2" if topic.endswith("1") else "B1"
        messages = distinct([m for _, m in seen[topic]])
        assert messages == [m.replace("B1", level) for m in MESSAGES], (topic, messages)
        usage = results[topic].usage
        assert usage is not None and usage.by_step == expected_usage(fake_llm, topic)
        assert topic in results[topic].title


def test_no_connection_leaves_localhost(
    crew_engine: Any, fake_llm: FakeLLM, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Connections are pooled across jobs, so watch what is sent as well as what is opened.
    contacted: list[object] = []
    real_connect, real_sendall = socket.socket.connect, socket.socket.sendall

    def connect(self: socket.socket, address: Any) -> Any:
        contacted.append(address)
        return real_connect(self, address)

    def sendall(self: socket.socket, data: Any, *args: Any) -> Any:
        if self.family in (socket.AF_INET, socket.AF_INET6):
            contacted.append(self.getpeername())
        return real_sendall(self, data, *args)

    monkeypatch.setattr(socket.socket, "connect", connect)
    monkeypatch.setattr(socket.socket, "sendall", sendall)
    result, _ = run(crew_engine, request("who do we call"))
    assert result.vocabulary
    assert contacted, "the crew sent nothing at all?"
    assert {a[0] for a in contacted if isinstance(a, tuple)} == {"127.0.0.1"}, contacted


def test_a_reading_costs_its_tokens_at_the_configured_prices(
    crew_settings: Any, fake_llm: FakeLLM
) -> None:
    from opad.engines.crew.engine import CrewEngine

    prices = {"llm_prices": "scripted-model=0.40/1.60"}  # US$ per million tokens
    engine = CrewEngine(crew_settings.model_copy(update=prices))
    result, _ = run(engine, request("priced news"))
    assert result.usage is not None
    expected = sum(
        c["prompt_tokens"] * 0.40 / 1e6 + c["completion_tokens"] * 1.60 / 1e6
        for c in expected_usage(fake_llm, "priced news").values()
    )
    assert result.usage.cost_usd == pytest.approx(expected, abs=1e-6)
    assert result.usage.cost_usd > 0
    # Without a price for the model there is no figure (not a cost of zero).
    unpriced, _ = run(CrewEngine(crew_settings), request("free news"))
    assert unpriced.usage is not None and unpriced.usage.cost_usd is None
