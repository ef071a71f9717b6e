"""Each way a small model misbehaves, through the real worker process and the real API.

The scripted LLM runs in one mode per scenario (tests/crew/fake_llm.py MODES); each job
must end as a reading (with notices where the learner should know) or as a failure that
says in plain words what went wrong — never a job that hangs or loops. All scenarios are
submitted at once to the shared crew stack and followed with a deadline.
"""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from opad.text.language import identify
from opad.wording import as_sentence
from tests.crew.conftest import CrewStack
from tests.crew.fake_llm import ECHOED, INVENTED_URL, FakeLLM
from tests.crew.fake_news import FakeNews
from tests.e2e.helpers import follow

pytestmark = pytest.mark.slow

ITALIAN_TEXT = (
    "La biblioteca della città ha aperto una nuova sala per i bambini. Ogni sabato "
    "mattina i volontari leggono storie ad alta voce e i bambini possono prendere in "
    "prestito tre libri alla volta. Il sindaco ha detto che la sala è costata poco."
)
ENGLISH_TEXT = (
    "The town library opened a new room for children. Every Saturday morning volunteers "
    "read stories aloud and children can borrow three books at a time."
)
VOCABULARY_NOTICE = (
    "the vocabulary was picked by OPAD from the text: the language model's list could not be used"
)

# name -> (request extras, [(step, rule)]); step None: every step.
SCENARIOS: dict[str, tuple[dict[str, Any], list[tuple[str | None, dict[str, Any]]]]] = {
    "prose": ({}, [(None, {"fail": "prose"})]),
    "prose-own": ({"source_text": ENGLISH_TEXT}, [(None, {"fail": "prose"})]),
    "fenced": ({}, [(None, {"fail": "fenced"})]),
    "truncated-once": ({}, [("adapt", {"fail": "truncated", "times": 1})]),
    "truncated-words": ({}, [("vocabulary", {"fail": "truncated"})]),
    "empty-once": (
        {},
        [("pick", {"fail": "empty", "times": 1}), ("adapt", {"fail": "empty", "times": 1})],
    ),
    "invented": ({}, [("find", {"fail": "bad_url"}), ("pick", {"fail": "bad_url"})]),
    "no-tool": ({}, [("find", {"fail": "no_tool"})]),
    "english": ({"language": "Italian"}, [("adapt", {"fail": "english"})]),
    "english-own": (
        {"language": "Italian", "source_text": ITALIAN_TEXT},
        [("adapt", {"fail": "english"})],
    ),
    "english-once": ({"language": "Italian"}, [("adapt", {"fail": "english", "times": 1})]),
    "echo": ({}, [("adapt", {"fail": "echo"})]),
    "echo-own": ({"source_text": ENGLISH_TEXT}, [("adapt", {"fail": "echo"})]),
    "limited": ({}, [("find", {"fail": "429", "retry_after": 1, "times": 2})]),
    "server-once": ({}, [("adapt", {"fail": "500", "times": 1})]),
    "context-own": ({"source_text": ENGLISH_TEXT}, [("adapt", {"fail": "context"})]),
    "context": ({}, [("adapt", {"fail": "context"})]),
    "slow": ({}, [("adapt", {"rate": 200.0})]),
}


def topic(name: str) -> str:
    return f"mode {name} news"


@pytest.fixture(scope="module")
def jobs(crew_stack: CrewStack, fake_llm: FakeLLM) -> dict[str, dict[str, str]]:
    """Submit every scenario at once; {name: {job_id, article_id}}."""
    accepted = {}
    for name, (extra, rules) in SCENARIOS.items():
        for step, rule in rules:
            fake_llm.add_rule(topic(name), step, **rule)
        body = {"language": "English", "level": "B1", "length": 120, "topic": topic(name)}
        body.update(extra)
        resp = httpx.post(f"{crew_stack.api_url}/generate", json=body, timeout=10)
        assert resp.status_code == 202, resp.text
        accepted[name] = resp.json()
    return accepted


def ended(stack: CrewStack, jobs: dict[str, dict[str, str]], name: str) -> dict[str, Any]:
    status, _ = follow(stack.api_url, jobs[name]["job_id"], timeout=120)
    return status


def reading(stack: CrewStack, jobs: dict[str, dict[str, str]], name: str) -> dict[str, Any]:
    status = ended(stack, jobs, name)
    assert status["status"] == "succeeded", status
    article_id = jobs[name]["article_id"]
    detail = httpx.get(f"{stack.api_url}/articles/{article_id}", timeout=5).json()
    content = httpx.get(f"{stack.api_url}/articles/{article_id}/content", timeout=5).text
    return {**detail, "content": content, "job": status}


def steps(fake_llm: FakeLLM, name: str) -> list[str]:
    return [s.step for s in fake_llm.requests_for(topic(name))]


def retries(fake_llm: FakeLLM, name: str) -> list[str]:
    """The steps whose request asked again after an unusable answer."""
    return [
        s.step
        for s in fake_llm.requests_for(topic(name))
        if "Your answer could not be used" in s.prompt.split("Current Task")[-1]
    ]


@pytest.mark.parametrize("name", ["prose", "prose-own", "fenced"])
def test_json_in_prose_or_fences_is_read_at_once(
    crew_stack: CrewStack, jobs: dict[str, dict[str, str]], fake_llm: FakeLLM, name: str
) -> None:
    got = reading(crew_stack, jobs, name)
    assert retries(fake_llm, name) == []  # read as it came: no retry spent
    assert [v["word"] for v in got["vocabulary"]] == [
        "municipal",
        "infrastructure",
        "biodiversity",
        "maintenance",
    ]
    assert "municipal council" in got["content"] and "```" not in got["content"]


def test_an_answer_cut_off_at_the_token_limit_is_asked_again(
    crew_stack: CrewStack, jobs: dict[str, dict[str, str]], fake_llm: FakeLLM
) -> None:
    got = reading(crew_stack, jobs, "truncated-once")
    assert steps(fake_llm, "truncated-once").count("adapt") == 2
    assert retries(fake_llm, "truncated-once") == ["adapt"]
    asked = [s for s in fake_llm.requests_for(topic("truncated-once")) if s.step == "adapt"]
    assert "cut off at the token limit" in asked[1].prompt
    assert got["job"]["message"] == "Completed!"


def test_a_vocabulary_always_cut_off_is_picked_from_the_text(
    crew_stack: CrewStack, jobs: dict[str, dict[str, str]], fake_llm: FakeLLM
) -> None:
    got = reading(crew_stack, jobs, "truncated-words")
    # The task's one retry, then the leveler's picker: the reading says so.
    assert steps(fake_llm, "truncated-words").count("vocabulary") == 2
    assert got["vocabulary"] and as_sentence(VOCABULARY_NOTICE) in got["job"]["message"]
    assert all(v["word"].lower() in got["content"].lower() for v in got["vocabulary"])


def test_empty_answers_are_asked_again(
    crew_stack: CrewStack, jobs: dict[str, dict[str, str]], fake_llm: FakeLLM
) -> None:
    got = reading(crew_stack, jobs, "empty-once")
    assert sorted(retries(fake_llm, "empty-once")) == ["adapt", "pick"]
    assert got["job"]["message"] == "Completed!"


def test_invented_urls_fall_back_on_the_search_results(
    crew_stack: CrewStack, jobs: dict[str, dict[str, str]], fake_news: FakeNews
) -> None:
    got = reading(crew_stack, jobs, "invented")
    assert got["source"]["url"] == fake_news.page_url(topic("invented"), 1)
    assert got["source"]["author"] == "Jane Doe" and INVENTED_URL not in got["content"]


def test_a_finder_that_never_searches_gets_the_search_run_for_it(
    crew_stack: CrewStack, jobs: dict[str, dict[str, str]], fake_llm: FakeLLM, fake_news: FakeNews
) -> None:
    got = reading(crew_stack, jobs, "no-tool")
    assert steps(fake_llm, "no-tool").count("find") == 2  # the answer and its one retry
    assert got["source"]["url"] == fake_news.page_url(topic("no-tool"), 1)


@pytest.mark.parametrize("name", ["english", "english-own"])
def test_a_reading_never_in_the_language_asked_fails_saying_so(
    crew_stack: CrewStack, jobs: dict[str, dict[str, str]], fake_llm: FakeLLM, name: str
) -> None:
    status = ended(crew_stack, jobs, name)
    assert status["status"] == "failed" and status["attempts"] == 1, status
    assert status["error"] == "the language model wrote in English instead of Italian"
    adapt = [s for s in fake_llm.requests_for(topic(name)) if s.step == "adapt"]
    assert len(adapt) == 2 and "Write the whole text in Italian" in adapt[1].prompt


def test_one_english_answer_is_rewritten_in_italian(
    crew_stack: CrewStack, jobs: dict[str, dict[str, str]]
) -> None:
    got = reading(crew_stack, jobs, "english-once")
    body = got["content"].split("\n\n", 2)[2].split("## Vocabulary")[0]
    found = identify(body)
    assert found is not None and found[0] == "it", found
    assert got["title"].endswith("oggi")


@pytest.mark.parametrize("name", ["echo", "echo-own"])
def test_echoed_instructions_are_left_out_with_a_notice(
    crew_stack: CrewStack, jobs: dict[str, dict[str, str]], fake_llm: FakeLLM, name: str
) -> None:
    got = reading(crew_stack, jobs, name)
    first_instruction = ECHOED.split(";")[0]
    assert first_instruction not in got["content"]
    assert "repeating the language model's instructions were left out" in got["job"]["message"]
    adapt = [s for s in fake_llm.requests_for(topic(name)) if s.step == "adapt"]
    assert len(adapt) == 2 and "The text repeats your instructions" in adapt[1].prompt


def test_a_rate_limit_is_waited_out_and_said(
    crew_stack: CrewStack, jobs: dict[str, dict[str, str]], fake_llm: FakeLLM
) -> None:
    got = reading(crew_stack, jobs, "limited")
    served = [s for s in fake_llm.requests_for(topic("limited")) if s.step == "find"]
    assert [s.status for s in served][:3] == [429, 429, 200]
    # Retry-After: 1 s, twice: the third request came at least 2 s after the first.
    assert served[2].started_at - served[0].started_at >= 1.9
    said = [e["message"] for e in crew_stack.events.of(got["job"]["id"])]
    assert "Waiting for the language model (rate limit)…" in said
    assert got["job"]["attempts"] == 1


def test_one_server_error_is_recovered_within_the_task(
    crew_stack: CrewStack, jobs: dict[str, dict[str, str]], fake_llm: FakeLLM
) -> None:
    got = reading(crew_stack, jobs, "server-once")
    assert [s.status for s in fake_llm.requests_for(topic("server-once")) if s.step == "adapt"][
        :2
    ] == [500, 200]
    assert got["job"]["attempts"] == 1


@pytest.mark.parametrize("name", ["context", "context-own"])
def test_a_text_too_long_for_the_model_fails_at_once_in_plain_words(
    crew_stack: CrewStack, jobs: dict[str, dict[str, str]], fake_llm: FakeLLM, name: str
) -> None:
    status = ended(crew_stack, jobs, name)
    assert status["status"] == "failed" and status["attempts"] == 1, status
    assert status["error"] == "the text is longer than the language model can read at once"
    assert steps(fake_llm, name).count("adapt") == 1  # no summarising, no retry


def test_a_slow_stream_still_makes_the_reading(
    crew_stack: CrewStack, jobs: dict[str, dict[str, str]]
) -> None:
    got = reading(crew_stack, jobs, "slow")
    assert "municipal council" in got["content"]
