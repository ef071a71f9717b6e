"""The real crew through the real worker process, followed over the real API.

All scenarios are submitted at once (each has its own topic, hence its own script in the
scripted LLM), so they also run concurrently in the one worker; each test then checks
its own job. The worker runs under an audit hook that logs every socket it opens.
"""

from __future__ import annotations

import json
import subprocess
import sys
from typing import Any

import httpx
import pytest

from opad.levels import Level
from opad.text.estimator import LevelEstimator
from tests.crew.conftest import MODEL, CrewStack
from tests.crew.fake_llm import FakeLLM
from tests.e2e.helpers import follow

pytestmark = pytest.mark.slow

SCENARIOS: dict[str, dict[str, Any]] = {
    "happy": {"level": "B1", "rule": {"delay": 0.15}},
    "key": {"level": "B1", "rule": {"step": "find", "fail": "401"}},
    "json": {"level": "B1", "rule": {"step": "adapt", "fail": "invalid_json"}},
    "server": {"level": "B1", "rule": {"step": "adapt", "fail": "500"}},
    "hang": {"level": "B1", "rule": {"step": "pick", "fail": "hang"}},
    "busy": {"level": "B1", "rule": {"step": "find", "fail": "429"}},
    "together-1": {"level": "A2", "rule": {"delay": 0.3}},
    "together-2": {"level": "B2", "rule": {"delay": 0.3}},
    "together-3": {"level": "C1", "rule": {"delay": 0.3}},
    "own-text": {"level": "B1", "source_text": "The town has a new library. Children read there."},
}
MESSAGES = [
    "Searching the news…",
    "Choosing the best article…",
    "Rewriting for {level}…",
    "Picking vocabulary…",
    "Writing questions…",
    "Saving…",
]


def topic(name: str) -> str:
    return f"e2e {name} news"


@pytest.fixture(scope="module")
def jobs(crew_stack: CrewStack, fake_llm: FakeLLM) -> dict[str, dict[str, str]]:
    """Submit every scenario at once; returns {name: {job_id, article_id}}."""
    accepted = {}
    for name, scenario in SCENARIOS.items():
        rule = dict(scenario["rule"]) if "rule" in scenario else {}
        if rule:
            fake_llm.add_rule(topic(name), rule.pop("step", None), **rule)
        body = {"language": "English", "level": scenario["level"], "length": 120}
        body["topic"] = topic(name)
        if "source_text" in scenario:
            body["source_text"] = scenario["source_text"]
        resp = httpx.post(f"{crew_stack.api_url}/generate", json=body, timeout=10)
        assert resp.status_code == 202, resp.text
        accepted[name] = resp.json()
    return accepted


def finished(stack: CrewStack, jobs: dict[str, dict[str, str]], name: str) -> dict[str, Any]:
    status, _ = follow(stack.api_url, jobs[name]["job_id"], timeout=90)
    return status


def article(stack: CrewStack, jobs: dict[str, dict[str, str]], name: str) -> dict[str, Any]:
    resp = httpx.get(f"{stack.api_url}/articles/{jobs[name]['article_id']}", timeout=5)
    assert resp.status_code == 200
    return dict(resp.json())


def messages(stack: CrewStack, job_id: str) -> list[str]:
    seen = [s["message"] for s in stack.events.of(job_id) if s["status"] == "running"]
    return [m for i, m in enumerate(seen) if i == 0 or seen[i - 1] != m]


def expected_usage(fake_llm: FakeLLM, name: str) -> dict[str, dict[str, int]]:
    names = {
        "find": "find_news_articles",
        "pick": "pick_best_article",
        "adapt": "adapt_news_article",
        "vocabulary": "add_vocabulary",
        "questions": "add_questions",
    }
    return {names[s]: c for s, c in fake_llm.usage_for(topic(name)).items()}


def test_a_crew_article_end_to_end(
    crew_stack: CrewStack, jobs: dict[str, dict[str, str]], fake_llm: FakeLLM
) -> None:
    status = finished(crew_stack, jobs, "happy")
    assert status["status"] == "succeeded", status
    job_id = jobs["happy"]["job_id"]
    assert messages(crew_stack, job_id) == ["Starting…"] + [m.format(level="B1") for m in MESSAGES]
    progress = [s["progress"] for s in crew_stack.events.of(job_id)]
    assert progress == sorted(progress) and progress[-1] == 100

    detail = article(crew_stack, jobs, "happy")
    assert detail["status"] == "ready" and detail["title"]
    assert detail["source"]["author"] == "Jane Doe"
    assert detail["source"]["url"].endswith("/articles/e2e-happy-news-1.html")
    assert [v["word"] for v in detail["vocabulary"]] == [
        "municipal",
        "infrastructure",
        "biodiversity",
        "maintenance",
    ]
    estimator = LevelEstimator("English")
    for item in detail["vocabulary"]:
        assert estimator.word(item["word"]).level.rank >= Level.B1.rank
    usage = detail["usage"]
    assert usage["model"] == MODEL
    assert usage["by_step"] == expected_usage(fake_llm, "happy")
    assert usage["total_tokens"] == sum(s["total_tokens"] for s in usage["by_step"].values())

    content = httpx.get(f"{crew_stack.api_url}/articles/{detail['id']}/content", timeout=5).text
    assert content.startswith(f"# {detail['title']}\n\n**Source:** [Daily News 1]")
    assert "municipal council" in content and "## Vocabulary" in content


def test_the_learners_own_text_skips_the_search(
    crew_stack: CrewStack, jobs: dict[str, dict[str, str]], fake_llm: FakeLLM
) -> None:
    assert finished(crew_stack, jobs, "own-text")["status"] == "succeeded"
    assert [s.step for s in fake_llm.requests_for(topic("own-text"))] == [
        "adapt",
        "vocabulary",
        "questions",
    ]
    detail = article(crew_stack, jobs, "own-text")
    assert detail["source"]["name"] == "Your text"
    assert set(detail["usage"]["by_step"]) == {
        "adapt_news_article",
        "add_vocabulary",
        "add_questions",
    }


def test_a_rejected_api_key_fails_at_once(
    crew_stack: CrewStack, jobs: dict[str, dict[str, str]]
) -> None:
    status = finished(crew_stack, jobs, "key")
    assert status["status"] == "failed"
    assert status["error"] == f"LLM rejected the API key for {MODEL}"
    assert status["attempts"] == 1  # permanent: not retried by the queue


def test_an_unreadable_rewrite_still_makes_a_reading(
    crew_stack: CrewStack, jobs: dict[str, dict[str, str]]
) -> None:
    status = finished(crew_stack, jobs, "json")
    # No rewrite could be read: the source's own sentences, chosen for the level.
    assert status["status"] == "succeeded", status
    assert "The language model's rewrite could not be used" in status["message"]
    assert article(crew_stack, jobs, "json")["vocabulary"]


@pytest.mark.parametrize(
    ("name", "reason"),
    [
        ("server", "the LLM server failed (HTTP 500)"),
        ("hang", "the LLM did not answer within 2 s"),
        ("busy", "the LLM is rate limited (HTTP 429)"),
    ],
)
def test_transient_failures_are_retried_by_the_queue(
    crew_stack: CrewStack, jobs: dict[str, dict[str, str]], name: str, reason: str
) -> None:
    status = finished(crew_stack, jobs, name)
    assert status["status"] == "failed", status
    assert status["error"].startswith("gave up after 2 attempts: " + reason), status["error"]
    published = crew_stack.events.of(jobs[name]["job_id"])
    assert any(s["status"] == "queued" and "Retrying" in s["message"] for s in published)


def test_concurrent_crews_keep_their_own_progress_and_usage(
    crew_stack: CrewStack, jobs: dict[str, dict[str, str]], fake_llm: FakeLLM
) -> None:
    names = ["together-1", "together-2", "together-3"]
    statuses = {n: finished(crew_stack, jobs, n) for n in names}
    assert all(s["status"] == "succeeded" for s in statuses.values()), statuses
    # They really ran at once: every run started before any of them ended.
    assert max(s["started_at"] for s in statuses.values()) < min(
        s["finished_at"] for s in statuses.values()
    )
    for name in names:
        level = SCENARIOS[name]["level"]
        seen = messages(crew_stack, jobs[name]["job_id"])
        assert seen == ["Starting…"] + [m.format(level=level) for m in MESSAGES], (name, seen)
        assert article(crew_stack, jobs, name)["usage"]["by_step"] == expected_usage(fake_llm, name)


def test_the_worker_contacts_only_localhost(
    crew_stack: CrewStack, jobs: dict[str, dict[str, str]]
) -> None:
    for name in SCENARIOS:
        finished(crew_stack, jobs, name)
    entries = [json.loads(line) for line in crew_stack.socket_log.read_text().splitlines()]
    connects = [e for e in entries if e["event"] == "connect"]
    assert any("127.0.0.1" in e["address"] for e in connects)
    for entry in connects:
        assert entry["family"] == "AF_UNIX" or entry["address"].startswith("('127.0.0.1'"), entry
    for entry in (e for e in entries if e["event"] == "getaddrinfo"):
        assert entry["host"] in ("'127.0.0.1'", "b'127.0.0.1'"), entry


def test_crewai_keeps_its_files_under_the_data_dir(crew_stack: CrewStack) -> None:
    home = crew_stack.root / "home"
    assert not list(home.rglob("*crewai*")), list(home.rglob("*"))
    key = crew_stack.root / "data" / "crewai" / "home" / ".local/share/crewai/credentials"
    assert (key / "secret.key").exists()


def test_doctor_reports_engine_llm_and_search(crew_stack: CrewStack) -> None:
    env = {**crew_stack.stack.env}
    out = subprocess.run(
        [sys.executable, "-m", "opad", "doctor"],
        env=env,
        capture_output=True,
        text=True,
        timeout=90,
    )
    assert out.returncode == 0, out.stdout + out.stderr
    assert "engine: crew" in out.stdout
    assert f"llm: ok — {MODEL}" in out.stdout and "answered 'ok'" in out.stdout
    assert "search: ok — serper: found" in out.stdout


def test_doctor_says_when_the_key_is_rejected(crew_stack: CrewStack) -> None:
    with FakeLLM() as refusing:
        refusing.add_rule("", fail="401")
        env = {**crew_stack.stack.env, "OPAD_LLM_BASE_URL": refusing.url}
        out = subprocess.run(
            [sys.executable, "-m", "opad", "doctor"],
            env=env,
            capture_output=True,
            text=True,
            timeout=90,
        )
    assert out.returncode == 1, out.stdout + out.stderr
    assert f"LLM rejected the API key for {MODEL}" in out.stdout
