"""The pipeline end to end over real processes and HTTP: embedded defaults and PostgreSQL."""

from __future__ import annotations

import httpx
import pytest

from opad.languages import find_language
from opad.levels import Level
from opad.text import count_words
from opad.text.estimator import LevelEstimator
from tests.e2e.helpers import follow
from tests.processes import Stack


def run_one(api_url: str, language: str, level: str, length: int, topic: str) -> None:
    resp = httpx.post(
        f"{api_url}/generate",
        json={"language": language, "level": level, "length": length, "topic": topic},
        timeout=10,
    )
    assert resp.status_code == 202, resp.text
    accepted = resp.json()
    status, seen = follow(api_url, accepted["job_id"])
    assert status["status"] == "succeeded", status
    assert status["progress"] == 100 and status["finished_at"] and status["started_at"]
    assert [s[1] for s in seen] == sorted(s[1] for s in seen)  # progress never goes back

    content = httpx.get(f"{api_url}/articles/{accepted['article_id']}/content", timeout=5)
    assert content.status_code == 200
    assert content.headers["content-type"].startswith("text/markdown")
    markdown = content.text
    body = markdown.split("\n\n", 2)[2].split("\n## Vocabulary")[0]
    code = find_language(language).code  # type: ignore[union-attr]
    assert abs(count_words(code, body) - length) <= 0.15 * length

    detail = httpx.get(f"{api_url}/articles/{accepted['article_id']}", timeout=5).json()
    assert detail["status"] == "ready" and detail["title"] in markdown
    assert detail["latest_job"]["status"] == "succeeded"
    assert detail["source"]["name"]
    estimator = LevelEstimator(detail["language"])
    assert detail["vocabulary"]
    for item in detail["vocabulary"]:
        assert Level(item["level"]).rank >= Level(level.upper()).rank
        assert estimator.word(item["word"]).level.rank >= Level(level.upper()).rank
        assert item["word"] in item["example"]


@pytest.mark.parametrize(
    ("language", "level", "length", "topic"),
    [("English", "A2", 200, "city parks"), ("de", "b1", 300, "Windkraft")],
)
def test_embedded_defaults(
    stack: Stack, language: str, level: str, length: int, topic: str
) -> None:
    run_one(stack.api_url, language, level, length, topic)


def test_postgresql_and_machine_redis(pg_stack: Stack) -> None:
    run_one(pg_stack.api_url, "Spanish", "A2", 250, "parques urbanos")
    run_one(pg_stack.api_url, "French", "B2", 150, "énergie")


def test_api_never_imports_engine_dependencies(stack: Stack) -> None:
    import subprocess
    import sys

    code = (
        "import sys\n"
        "from opad.api.app import create_app\n"
        "from opad.settings import Settings\n"
        "from tests.processes import ServerThread\n"
        "import httpx\n"
        "with ServerThread(create_app(Settings())) as s:\n"
        "    assert httpx.get(s.url + '/health/ready').status_code == 200\n"
        "    assert httpx.post(s.url + '/generate', json={'language':'en','level':'A1',"
        "'length':100,'topic':'x'}).status_code == 202\n"
        "bad = sorted(m for m in sys.modules if m.split('.')[0] in "
        "('crewai', 'wordfreq', 'simplemma', 'trafilatura', 'litellm', 'openai', 'cefrpy', "
        "'num2words') "
        "or m.startswith('opad.engines.leveler'))\n"
        "print('LOADED', bad)\n"
        "assert not bad, bad\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], env=stack.env, capture_output=True, text=True, timeout=60
    )
    assert out.returncode == 0, out.stdout + out.stderr
    assert "LOADED []" in out.stdout
