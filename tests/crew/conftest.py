"""Fixtures for the crew engine: the scripted LLM, the local news site, an in-process
engine, and a real api + worker stack running the crew against them.

Everything stays on 127.0.0.1. Failure scenarios are keyed by topic (see FakeLLM.add_rule),
so the tests can share one stack and one LLM without disturbing each other.
"""

from __future__ import annotations

import importlib.util
import json
import subprocess
import sys
import threading
from collections import defaultdict
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from opad.settings import Settings
from tests.conftest import RedisServer, make_settings
from tests.crew.fake_llm import FakeLLM
from tests.crew.fake_news import API_KEY, FakeNews
from tests.processes import Service, Stack, base_env, wait_until

if importlib.util.find_spec("crewai") is None:
    # Without the crew extra there is nothing to test here. (Not importorskip: importing
    # CrewAI before the engine does would write its files under the real HOME.)
    collect_ignore_glob = ["test_*.py"]

MODEL = "openai/scripted-model"
TELEMETRY_OFF = {
    "CREWAI_DISABLE_TELEMETRY": "true",
    "OTEL_SDK_DISABLED": "true",
    "CREWAI_TRACING_ENABLED": "false",
    "CREWAI_DISABLE_VERSION_CHECK": "true",
}
AUDITED_WORKER = Path(__file__).with_name("audited_worker.py")


@pytest.fixture(scope="session")
def fake_llm() -> Iterator[FakeLLM]:
    """The scripted OpenAI-compatible server, shared by every crew test."""
    with FakeLLM() as server:
        yield server


@pytest.fixture(scope="session")
def fake_news() -> Iterator[FakeNews]:
    """The Serper-shaped search API and its article pages."""
    with FakeNews() as site:
        yield site


def crew_values(fake_llm: FakeLLM, fake_news: FakeNews, **extra: Any) -> dict[str, Any]:
    """Crew settings pointing at the fakes, with short timeouts and few retries."""
    values: dict[str, Any] = {
        "OPAD_ENGINE": "crew",
        "OPAD_LLM_MODEL": MODEL,
        "OPAD_LLM_BASE_URL": fake_llm.url,
        "OPAD_LLM_API_KEY": "test-key",
        "OPAD_LLM_TIMEOUT": "2",
        "OPAD_LLM_MAX_RETRIES": "0",
        "OPAD_CREW_TASK_RETRIES": "1",
        "OPAD_SEARCH": "serper",
        "SERPER_API_KEY": API_KEY,
        "OPAD_SERPER_URL": fake_news.url,
        "OPAD_RSS_FEEDS": f"{fake_news.url}/feed.xml",
        "OPAD_FETCH_TIMEOUT": "5",
        # The news pages are on this machine; the SSRF guard refuses loopback otherwise.
        "OPAD_FETCH_ALLOW_NETWORKS": "127.0.0.1/32",
    }
    values.update({k: str(v) for k, v in extra.items()})
    return values


@pytest.fixture(scope="session")
def crew_data(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The in-process engine's data dir (CrewAI's own files land under it)."""
    return tmp_path_factory.mktemp("crew-data")


@pytest.fixture(scope="session")
def crew_settings(crew_data: Path, fake_llm: FakeLLM, fake_news: FakeNews) -> Settings:
    """Settings of the in-process engine."""
    return make_settings(crew_data, **crew_values(fake_llm, fake_news))


@pytest.fixture(scope="session")
def crew_engine(crew_settings: Settings) -> Any:
    """A CrewEngine in the test process (CrewAI imported once for the session)."""
    from opad.engines.crew.engine import CrewEngine

    return CrewEngine(crew_settings)


class EventLog:
    """Every status a job publishes on opad:job:{id}:events, collected in a thread."""

    def __init__(self, redis_server: RedisServer) -> None:
        self.client = redis_server.client()
        self.pubsub = self.client.pubsub()
        self.pubsub.psubscribe("opad:job:*:events")
        self.by_job: dict[str, list[dict[str, Any]]] = defaultdict(list)
        self.lock = threading.Lock()
        self.stopping = threading.Event()
        self.thread = threading.Thread(target=self._run, daemon=True)
        self.thread.start()

    def _run(self) -> None:
        while not self.stopping.is_set():
            message = self.pubsub.get_message(timeout=0.2)
            if message and message["type"] == "pmessage":
                status = json.loads(message["data"])
                with self.lock:
                    self.by_job[status["id"]].append(status)

    def of(self, job_id: str) -> list[dict[str, Any]]:
        """The statuses one job published, in order."""
        with self.lock:
            return list(self.by_job.get(job_id, []))

    def close(self) -> None:
        """Stop listening."""
        self.stopping.set()
        self.thread.join(5)
        self.pubsub.close()


class CrewStack:
    """api + an audited crew worker on a private Redis, with the job event log."""

    def __init__(self, root: Path, fake_llm: FakeLLM, fake_news: FakeNews) -> None:
        self.root = root
        self.redis_server = RedisServer(root / "redis")
        self.redis_server.start()
        self.events = EventLog(self.redis_server)
        self.socket_log = root / "sockets.jsonl"
        for name in ("home", "tmp", "crewai"):
            (root / name).mkdir(parents=True, exist_ok=True)
        env = base_env(
            root / "data",
            REDIS_URL=self.redis_server.url,
            OPAD_WORKER_CONCURRENCY="8",
            OPAD_MAX_ATTEMPTS="2",
            OPAD_RETRY_BASE_SECONDS="0.2",
            OPAD_RETRY_MAX_SECONDS="0.5",
            OPAD_JOB_TIMEOUT="60",
            HOME=str(root / "home"),
            TMPDIR=str(root / "tmp"),
            CREWAI_STORAGE_DIR=str(root / "crewai"),
            OPAD_TEST_SOCKET_LOG=str(self.socket_log),
            OPAD_LLM_PRICES="scripted-model=0.40/1.60",  # US$ per 1M tokens: usage page
            **TELEMETRY_OFF,
            **crew_values(fake_llm, fake_news),
        )
        (root / "data").mkdir(exist_ok=True)
        self.stack = Stack(env=env, data_dir=root / "data")
        self.stack.migrate()
        self.stack.start_api()
        self.worker = self._start_worker()

    def _start_worker(self) -> Service:
        log = self.stack.data_dir / "crew-worker.log"
        with open(log, "wb") as fh:
            proc = subprocess.Popen(
                [sys.executable, str(AUDITED_WORKER)],
                env=self.stack.env,
                stdout=fh,
                stderr=subprocess.STDOUT,
            )
        service = Service("worker", proc, log)
        self.stack.services.append(service)
        try:
            wait_until(
                lambda: "ready:" in service.output() or proc.poll() is not None,
                90,
                "the crew worker to start",
            )
        except AssertionError as exc:
            raise AssertionError(f"{exc}\n{service.output()}") from None
        assert proc.poll() is None, service.output()
        return service

    @property
    def api_url(self) -> str:
        return self.stack.api_url

    def close(self) -> None:
        """Stop the processes and Redis."""
        self.stack.stop()
        self.events.close()
        self.redis_server.stop()


@pytest.fixture(scope="session")
def crew_stack(
    tmp_path_factory: pytest.TempPathFactory, fake_llm: FakeLLM, fake_news: FakeNews
) -> Iterator[CrewStack]:
    """A real api + crew worker (8 slots) shared by the end-to-end crew tests."""
    stack = CrewStack(tmp_path_factory.mktemp("crew-stack"), fake_llm, fake_news)
    yield stack
    stack.close()
