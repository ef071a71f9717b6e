"""One reading, analyzed once: a real worker (real Redis, SQLite, the real engines) makes
readings in English, French, Japanese and Chinese, and the reading's text is tokenized by
exactly one analysis per job — the questions, the known-words index and the audio read the
typed body, never the text again. The reader, the audio and the questions agree on its
sentences.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from opad.audio.make import read_meta
from opad.bootstrap import Services, build_services
from opad.db.migrate import upgrade
from opad.db.models import ReadingIndex
from opad.engines.leveler import LevelerEngine
from opad.engines.noop import NoopEngine
from opad.inputs import ArticleCreate
from opad.reading import analyze as analyze_module
from opad.reading.stored import parse_body
from opad.services.articles import create_and_enqueue
from opad.users import LOCAL_USER_ID
from opad.worker import steps
from opad.worker.runner import Worker
from tests.conftest import RedisServer, make_settings
from tests.processes import wait_until

TEXTS = {
    "English": "The town opened a new park on Saturday. Families walked to the lake. "
    "Children played near the fountain. The mayor thanked the volunteers.",
    "French": "L'école de la ville ouvre lundi. C'est une grande école. Les enfants "
    "arrivent à pied. Les parents sont contents.",
    "Japanese": "町に新しい公園ができました。家族が湖まで歩きました。子どもたちは噴水の近くで"
    "遊びました。市長はボランティアに感謝しました。",
    "Chinese": "城里新开了一个公园。很多家庭走到湖边。孩子们在喷泉旁边玩。市长感谢了志愿者。",
}


class Counted:
    """Counts calls of the text analyzers, and which of them happened outside an analysis
    once the engine had finished (that would be a second tokenization of the reading)."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.analyses = 0
        self.outside = 0
        self.inside = threading.local()
        self.engine_done = threading.local()

    def wrap_analyzer(self, fn: Callable[..., Any]) -> Callable[..., Any]:
        def counted(*args: Any, **kwargs: Any) -> Any:
            if getattr(self.engine_done, "value", False) and not getattr(
                self.inside, "value", False
            ):
                with self.lock:
                    self.outside += 1
            return fn(*args, **kwargs)

        return counted

    def wrap_analyze(self, fn: Callable[..., Any]) -> Callable[..., Any]:
        def counted(*args: Any, **kwargs: Any) -> Any:
            with self.lock:
                self.analyses += 1
            self.inside.value = True
            try:
                return fn(*args, **kwargs)
            finally:
                self.inside.value = False

        return counted

    def wrap_engine(self, generate: Callable[..., Any]) -> Callable[..., Any]:
        def counted(*args: Any, **kwargs: Any) -> Any:
            self.engine_done.value = False
            result = generate(*args, **kwargs)
            self.engine_done.value = True  # from here on: the steps after the engine
            return result

        return counted


@pytest.fixture
def counted(monkeypatch: pytest.MonkeyPatch) -> Counted:
    import opad.text as text
    import opad.text.cjk.units as units
    import opad.text.sentences as sentences
    import opad.text.tokens as tokens

    c = Counted()
    monkeypatch.setattr(steps, "analyze", c.wrap_analyze(analyze_module.analyze))
    # Where every tokenization of a text goes through (opad.text and its CJK half).
    monkeypatch.setattr(tokens, "tokenize", c.wrap_analyzer(tokens.tokenize))
    monkeypatch.setattr(units, "token_groups", c.wrap_analyzer(units.token_groups))
    monkeypatch.setattr(sentences, "split_sentences", c.wrap_analyzer(sentences.split_sentences))
    monkeypatch.setattr(text, "tokenize", c.wrap_analyzer(text.tokenize))
    monkeypatch.setattr(text, "split_sentences", c.wrap_analyzer(text.split_sentences))
    monkeypatch.setattr(analyze_module, "tokenize", c.wrap_analyzer(analyze_module.tokenize))
    monkeypatch.setattr(
        analyze_module, "split_sentences", c.wrap_analyzer(analyze_module.split_sentences)
    )
    return c


@pytest.fixture
def services(tmp_path: Path, redis_server: RedisServer) -> Iterator[Services]:
    svc = build_services(
        make_settings(tmp_path / "data", REDIS_URL=redis_server.url, OPAD_SPEECH="espeak")
    )
    upgrade(svc.db.engine)
    yield svc
    svc.close()


def run_job(services: Services, engine: Any, counted: Counted, language: str) -> str:
    # The cloze options' lexicon (the language's frequent words, each analyzed alone) is
    # built once per process, not per reading: built here first, so that what is counted
    # is what every job does.
    from opad.languages import find_language
    from opad.questions.lexicon import frequent_words

    found = find_language(language)
    assert found is not None
    frequent_words(found.code)
    engine.generate = counted.wrap_engine(engine.generate)
    worker = Worker(services, engine, services.settings, concurrency=1)
    worker.start()
    try:
        accepted = create_and_enqueue(
            services,
            ArticleCreate(
                language=language, level="B1", length=60, topic=None, source_text=TEXTS[language]
            ),
            LOCAL_USER_ID,
        )
        status: dict[str, Any] = {}

        def done() -> bool:
            status.update(services.queue.read_status(accepted["job_id"]) or {})
            return status.get("status") in ("succeeded", "failed", "cancelled")

        wait_until(done, 180, "the job to end")
        assert status["status"] == "succeeded", status
    finally:
        worker.stop()
    return accepted["article_id"]


@pytest.mark.parametrize("language", list(TEXTS))
def test_a_leveler_reading_is_tokenized_once_and_everything_agrees(
    language: str, services: Services, counted: Counted
) -> None:
    article_id = run_job(services, LevelerEngine(services.settings), counted, language)
    assert counted.analyses == 1 and counted.outside == 0, vars(counted)

    body = parse_body(services.store.get_reading(article_id))
    assert body is not None and body.sentences
    sentences = [s.text for s in body.sentences]
    # The audio speaks exactly the typed sentences (their numbers are the reader's data-s).
    meta = read_meta(services, article_id)
    assert meta is not None
    assert [(t["sentence"], t["text"]) for t in meta["sentences"]] == [
        (s.index, s.text) for s in body.sentences if s.words
    ]
    # The questions quote the typed sentences.
    result = json.loads(services.store.get_result(article_id) or "{}")
    assert all(q["support"] in sentences for q in result["questions"])
    assert result["questions"] or language == "Chinese"  # (too few words there for a cloze)
    # The known-words index counts the typed words.
    with services.db.session() as session:
        index = session.get(ReadingIndex, article_id)
        assert index is not None and index.words == len(body.words)
    # The title and the source line are not the text.
    assert body.title and body.source is not None
    assert not any(s.startswith("Source") for s in sentences)


def test_a_noop_reading_is_analyzed_too(services: Services, counted: Counted) -> None:
    article_id = run_job(services, NoopEngine(), counted, "English")
    assert counted.analyses == 1 and counted.outside == 0
    body = parse_body(services.store.get_reading(article_id))
    assert body is not None and body.title.startswith("No-op")
    assert [s.text for s in body.sentences] == ["This is a benchmark article."]
