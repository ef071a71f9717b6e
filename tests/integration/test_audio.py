"""Audio as a step of the job, against real Redis, SQLite, espeak-ng and ffmpeg.

The worker runs the real offline engine, then the real audio step; the produced file is
decoded by ffprobe. Failures use a real (closed, then fake) OpenAI-compatible endpoint.
"""

from __future__ import annotations

import json
import subprocess
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from opad.audio.make import read_meta
from opad.bootstrap import Services, build_services
from opad.db.migrate import upgrade
from opad.engines.leveler import LevelerEngine
from opad.errors import DependencyUnavailable, NotFound
from opad.inputs import ArticleCreate
from opad.languages import language_by_name
from opad.reading.stored import parse_body
from opad.services import audio as audio_service
from opad.services.articles import create_and_enqueue, delete_article, get_article
from opad.speech.espeak import RATE_WPM
from opad.store.s3 import S3Store
from opad.text import count_words
from opad.users import LOCAL_USER_ID
from opad.worker.runner import Worker
from tests.conftest import RedisServer, make_settings
from tests.processes import free_port, wait_until
from tests.speech.fake_tts import FakeSpeechServer

TOPICS = {"English": "parks", "German": "Wetter", "Spanish": "ciudad", "French": "parcs"}


def services_for(tmp_path: Path, redis_server: RedisServer, **values: Any) -> Services:
    """Services on SQLite + the test's Redis, with speech settings of the test's choosing."""
    svc = build_services(make_settings(tmp_path / "data", REDIS_URL=redis_server.url, **values))
    upgrade(svc.db.engine)
    return svc


def running_worker(services: Services) -> Worker:
    worker = Worker(services, LevelerEngine(services.settings), services.settings, concurrency=1)
    worker.start()
    return worker


def finished(services: Services, job_id: str) -> dict[str, Any]:
    holder: dict[str, Any] = {}

    def done() -> bool:
        holder.update(services.queue.read_status(job_id) or {})
        return holder.get("status") in ("succeeded", "failed", "cancelled")

    wait_until(done, 180, f"job {job_id} to end")
    return holder


def make_reading(services: Services, language: str, length: int = 150) -> tuple[str, str]:
    accepted = create_and_enqueue(
        services,
        ArticleCreate(language=language, level="B1", length=length, topic=TOPICS[language]),
        LOCAL_USER_ID,
    )
    return accepted["article_id"], accepted["job_id"]


def ffprobe(path: Path) -> dict[str, Any]:
    out = subprocess.run(
        ["ffprobe", "-v", "error", "-show_entries", "format=duration,format_name:"
         "stream=codec_name", "-of", "json", str(path)],
        capture_output=True, text=True, check=True,
    )  # fmt: skip
    return dict(json.loads(out.stdout))


@pytest.fixture
def espeak_services(tmp_path: Path, redis_server: RedisServer) -> Iterator[Services]:
    svc = services_for(tmp_path, redis_server, OPAD_SPEECH="espeak")
    yield svc
    svc.close()


@pytest.mark.parametrize("language", sorted(TOPICS))
def test_reading_gets_audio_with_sentence_timings(
    language: str, espeak_services: Services, tmp_path: Path
) -> None:
    services = espeak_services
    worker = running_worker(services)
    try:
        article_id, job_id = make_reading(services, language)
        status = finished(services, job_id)
    finally:
        worker.stop()
    # (The offline engine may warn about the level; never about the audio.)
    assert status["status"] == "succeeded" and "No audio" not in status["message"], status
    meta = read_meta(services, article_id)
    assert meta is not None and meta["engine"] == "espeak-ng" and meta["mime"] == "audio/ogg"

    # The stored file decodes as Opus in Ogg, as long as audio.json says.
    path = Path(services.settings.data_dir) / "content" / "articles" / article_id / meta["file"]
    if not path.exists():  # wherever the local store keeps it
        path = next(Path(services.settings.data_dir).rglob(meta["file"]))
    assert path.stat().st_size == meta["size"]
    probe = ffprobe(path)
    assert probe["streams"][0]["codec_name"] == "opus" and probe["format"]["format_name"] == "ogg"
    duration = float(probe["format"]["duration"])
    assert duration == pytest.approx(meta["duration"], abs=0.1)

    # As long as the words take at espeak-ng's rate (plus the pauses), within reason.
    code = language_by_name(language).code
    spoken = [s["text"] for s in meta["sentences"]]
    words = sum(count_words(code, s) for s in spoken)
    expected = words / RATE_WPM * 60
    assert 0.6 * expected < duration < 2.0 * expected + 0.25 * len(spoken), (duration, expected)

    # Timings: increasing, from 0 to the end, each one a sentence the reader shows.
    starts = [s["start"] for s in meta["sentences"]]
    assert starts[0] == 0 and starts == sorted(starts)
    for one, two in zip(meta["sentences"], meta["sentences"][1:], strict=False):
        assert one["end"] > one["start"] and two["start"] >= one["end"]
        assert two["sentence"] > one["sentence"]
    assert meta["sentences"][-1]["end"] == pytest.approx(meta["duration"], abs=0.01)
    body = parse_body(services.store.get_reading(article_id))
    assert body is not None and body.language == code
    shown = [s.text for s in body.sentences]  # the sentences the reader numbers (data-s)
    assert all(shown[s["sentence"]] == s["text"] for s in meta["sentences"])
    assert len(meta["sentences"]) == len(shown)  # every sentence, and nothing else:
    # never the source line (it was sentence 0, read first) nor the title.
    assert not any(s["text"].startswith(("Source", "**Source")) for s in meta["sentences"])
    assert body.title and all(body.title != s["text"] for s in meta["sentences"])

    summary = get_article(services, article_id)["audio"]
    assert summary["status"] == "ready" and summary["size"] == meta["size"]
    assert summary["duration"] == meta["duration"]
    # Someone else's reading: no audio, no timings, the same 404 as an unknown one.
    with pytest.raises(NotFound):
        audio_service.stored_audio(services, article_id, str(uuid.uuid4()))
    with pytest.raises(NotFound):
        audio_service.timings(services, article_id, str(uuid.uuid4()))

    # Deleted with the reading.
    delete_article(services, article_id)
    assert services.store.get_audio_meta(article_id) is None
    assert not path.exists()


def test_failing_audio_leaves_the_reading_succeeded_and_can_be_retried(
    tmp_path: Path, redis_server: RedisServer
) -> None:
    down = f"http://127.0.0.1:{free_port()}/v1"  # nothing listens: the endpoint is down
    broken = services_for(tmp_path, redis_server, OPAD_SPEECH="openai", OPAD_SPEECH_URL=down)
    worker = running_worker(broken)
    try:
        article_id, job_id = make_reading(broken, "English", length=80)
        status = finished(broken, job_id)
    finally:
        worker.stop()
    assert status["status"] == "succeeded", status
    assert status["message"].startswith("Completed, with a warning")
    assert "No audio: the speech endpoint" in status["message"]
    detail = get_article(broken, article_id)
    assert detail["status"] == "ready" and broken.store.get_markdown(article_id)
    assert detail["audio"]["status"] == "failed" and down in detail["audio"]["error"]
    assert any(w.startswith("No audio") for w in detail["warnings"])
    broken.close()

    # Retry from the API's side, once the endpoint answers: a worker makes it.
    tts = FakeSpeechServer().start()
    try:
        fixed = services_for(
            tmp_path, redis_server, OPAD_SPEECH="openai", OPAD_SPEECH_URL=tts.base_url
        )
        worker = running_worker(fixed)
        try:
            wait_until(
                lambda: audio_service.speech_report(fixed)[0] is True, 30, "a speaking worker"
            )
            assert audio_service.request_audio(fixed, article_id, None)["status"] in (
                "pending",
                "making",
                "ready",
            )
            wait_until(
                lambda: get_article(fixed, article_id)["audio"]["status"] == "ready",
                90,
                "the requested audio",
            )
        finally:
            worker.stop()
        detail = get_article(fixed, article_id)
        assert not any(w.startswith("No audio") for w in detail["warnings"])
        meta = read_meta(fixed, article_id)
        assert meta is not None and meta["engine"] == "openai"
        assert len(tts.requests) == len(meta["sentences"])
    finally:
        tts.stop()
    fixed.close()


@pytest.mark.parametrize(
    ("language", "topic", "engine"),
    [("Japanese", "公園", "open-jtalk"), ("Chinese", "公园", "espeak-ng")],
)
def test_japanese_and_chinese_readings_are_spoken_in_their_script(
    language: str, topic: str, engine: str, tmp_path: Path, redis_server: RedisServer
) -> None:
    # The default settings (auto) with what `make install` gives: Open JTalk for Japanese,
    # espeak-ng's pinyin voice for Chinese. The whole job, then the stored audio.
    from opad.speech.voices import duration_problem

    services = services_for(tmp_path, redis_server)
    worker = running_worker(services)
    try:
        accepted = create_and_enqueue(
            services,
            ArticleCreate(language=language, level="A2", length=150, topic=topic),
            LOCAL_USER_ID,
        )
        status = finished(services, accepted["job_id"])
    finally:
        worker.stop()
        services.close()
    assert status["status"] == "succeeded" and "No audio" not in status["message"], status
    meta = read_meta(services, accepted["article_id"])
    assert meta is not None and meta["engine"] == engine
    code = language_by_name(language).code
    spoken = [s["text"] for s in meta["sentences"]]
    assert spoken and duration_problem(code, spoken, meta["duration"]) is None
    # Per character as fast as each voice speaks its script (tests/speech/test_voices.py).
    per_char = meta["duration"] / sum(len([c for c in s if c.isalpha()]) for s in spoken)
    assert 0.12 < per_char < 0.45, per_char


def test_a_slow_voice_makes_the_audio_after_the_text_is_shown(
    tmp_path: Path, redis_server: RedisServer
) -> None:
    # Kokoro (OPAD_SPEECH_JA=kokoro, about 1 s of speech per CPU second): the job ends
    # with the text and no audio step; the worker's audio thread makes it afterwards.
    services = services_for(
        tmp_path, redis_server, OPAD_SPEECH_JA="kokoro", OPAD_AUDIO_TIMEOUT="900"
    )
    worker = running_worker(services)
    try:
        accepted = create_and_enqueue(
            services,
            ArticleCreate(language="Japanese", level="A1", length=50, topic="公園"),
            LOCAL_USER_ID,
        )
        article_id = accepted["article_id"]
        status = finished(services, accepted["job_id"])
        assert status["status"] == "succeeded" and "No audio" not in status["message"]
        # The text is there before its audio: the page says it is being made.
        assert get_article(services, article_id)["audio"]["status"] in ("pending", "making")
        wait_until(lambda: read_meta(services, article_id) is not None, 900, "the audio")
        assert get_article(services, article_id)["audio"]["status"] == "ready"
    finally:
        worker.stop()
        services.close()
    meta = read_meta(services, article_id)
    assert meta is not None and meta["engine"] == "kokoro" and meta["sentences"]


def test_no_speech_engine_reading_succeeds_and_asking_for_audio_says_why(
    tmp_path: Path, redis_server: RedisServer
) -> None:
    services = services_for(tmp_path, redis_server, OPAD_SPEECH="off")
    worker = running_worker(services)
    try:
        article_id, job_id = make_reading(services, "German", length=80)
        status = finished(services, job_id)
        assert status["status"] == "succeeded" and "No audio" not in status["message"]
        assert read_meta(services, article_id) is None
        wait_until(
            lambda: audio_service.speech_report(services)[0] is False, 30, "the worker's report"
        )
        audio = get_article(services, article_id)["audio"]
        assert audio["status"] == "unavailable" and "OPAD_SPEECH=off" in audio["detail"]
        with pytest.raises(DependencyUnavailable) as refused:
            audio_service.request_audio(services, article_id, None)
        assert refused.value.dependency == "speech" and "switched off" in refused.value.detail
    finally:
        worker.stop()
        services.close()


def test_s3_store_keeps_audio_and_reads_byte_ranges(tmp_path: Path, s3_server: Any) -> None:
    from tests.integration.test_s3_store import store_for

    store = store_for(tmp_path, s3_server, s3_server.new_bucket())
    assert isinstance(store, S3Store)
    article_id = str(uuid.uuid4())
    data = bytes(range(256)) * 40
    store.put(article_id, "# T\n\nText.", "{}")
    store.put_audio(article_id, "audio-abc.ogg", data, json.dumps({"file": "audio-abc.ogg"}))
    assert json.loads(store.get_audio_meta(article_id) or "{}") == {"file": "audio-abc.ogg"}
    assert store.read_audio(article_id, "audio-abc.ogg", 0, 9) == data[:10]
    assert store.read_audio(article_id, "audio-abc.ogg", 1000, 2047) == data[1000:2048]
    assert store.read_audio(article_id, "audio-other.ogg", 0, 9) is None
    with pytest.raises(ValueError):
        store.read_audio(article_id, "../result.json", 0, 9)
    store.delete(article_id)
    assert store.get_audio_meta(article_id) is None
    assert store.read_audio(article_id, "audio-abc.ogg", 0, 9) is None
