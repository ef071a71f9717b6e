"""First lookup in a language on a fresh API: the reader's way and the way before.

`python -m bench.first_lookup [CODES]` (default: de,en,es,fr,ja,zh,ko): a leveler worker
makes one reading per language from a packaged library text (private Redis and SQLite),
then a fresh `opad api` answers, per language, a first `GET /lookup` of a word of that
reading and then a second word, as the reader sends them: lemma, part of speech, the
reading's id and the sentence's number (*stored*: the level, frequency and reading come
from the worker's analysis). A second fresh API answers the same words without the
reading's id (*computed*: the lemma, level and frequency computed in the API, what every
lookup did before issue 32, loading the language's word data and, for Korean, Japanese
and Chinese, its analyzer). Milliseconds per request; the API's RSS (MB) idle and after
all languages. The dictionaries are the system's FreeDict, WordNet and CC-CEDICT files
indexed once (`opad dictionaries add --from-system`). Without the indexes the API reads the
dictd files directly and orders their senses by English word frequencies, loaded on its
first lookup (wordfreq: about 0.5 s and 50 MB once per process, measured 2026-12-07).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import httpx

from bench.common import (
    OPAD,
    ROOT,
    RssSampler,
    migrated_services,
    opad_env,
    private_redis,
    rss_mb,
    spawn,
    start_api,
    stop,
    wait_until,
)
from bench.first_job import _text
from opad.bootstrap import Services
from opad.inputs import ArticleCreate
from opad.languages import find_language
from opad.reading.model import TokenKind
from opad.services.articles import create_and_enqueue
from opad.services.readings import typed_body
from opad.users import LOCAL_USER_ID

CODES = ("de", "en", "es", "fr", "ja", "zh", "ko")
WORKER = [sys.executable, "-m", "opad", "worker", "--processes", "1"]


def _readings(services: Services, codes: tuple[str, ...]) -> dict[str, str]:
    """One ready reading per language: code → article id."""
    made = {}
    for code in codes:
        lang = find_language(code)
        assert lang is not None
        body = ArticleCreate(language=lang.name, level="B1", length=80, source_text=_text(code, 1))
        made[code] = create_and_enqueue(services, body, LOCAL_USER_ID)

    def done() -> bool:
        states = [
            (services.queue.read_status(a["job_id"]) or {}).get("status") for a in made.values()
        ]
        if any(s in ("failed", "cancelled") for s in states):
            raise RuntimeError(f"a reading failed: {states}")
        return all(s == "succeeded" for s in states)

    wait_until(done, 600, "the readings")
    return {code: accepted["article_id"] for code, accepted in made.items()}


def _words(services: Services, article: str) -> list[dict[str, Any]]:
    """The first two different content words of a reading, as the reader would send them."""
    body = typed_body(services, article)
    assert body is not None, "the worker stores every reading's analysis"
    out: list[dict[str, Any]] = []
    for paragraph in body.paragraphs:
        for sentence in paragraph.sentences:
            for token in sentence.tokens:
                if token.kind != TokenKind.CONTENT or not token.is_word:
                    continue
                if any(w["word"] == token.surface for w in out):
                    continue
                out.append({"word": token.surface, "lemma": token.lemma or token.surface,
                            "pos": token.pos, "sentence": sentence.text,
                            "sentence_index": sentence.index})  # fmt: skip
                if len(out) == 2:
                    return out
    return out


def _lookups(
    env: dict[str, str],
    data: Path,
    words: dict[str, tuple[str, list[dict[str, Any]]]],
    stored: bool,
) -> dict[str, Any]:
    proc, url = start_api(env, data)
    try:
        time.sleep(2)
        out: dict[str, Any] = {"rss_idle_mb": rss_mb(proc.pid), "languages": {}}
        with httpx.Client(base_url=url, timeout=120) as client:
            for code, (article, pair) in words.items():
                times = []
                for word in pair:
                    params = {"language": code, **word}
                    if stored:
                        params["article_id"] = article
                    else:
                        params.pop("sentence_index")
                    start = time.perf_counter()
                    response = client.get("/lookup", params=params)
                    times.append((time.perf_counter() - start) * 1000)
                    assert response.status_code == 200, response.text
                out["languages"][code] = {"first_ms": times[0], "next_ms": times[-1],
                                          "word": pair[0]["word"]}  # fmt: skip
        out["rss_after_mb"] = rss_mb(proc.pid)
        return out
    finally:
        stop(proc)


INDEXES = ROOT / "bench" / ".cache" / "dictionaries"  # built once, kept between runs


def indexed_dictionaries() -> Path:
    """The system's dictd files indexed as `opad dictionaries add --from-system` does (what
    docs/dictionaries.md tells an operator to run; a couple of minutes, once)."""
    if not any(INDEXES.glob("*.sqlite")):
        env = {**os.environ, "OPAD_DATA_DIR": str(INDEXES.parent)}
        subprocess.run([*OPAD, "dictionaries", "add", "--from-system"], env=env, check=True)
    return INDEXES


def _settled(worker: subprocess.Popen[bytes], log: Path) -> None:
    """Wait until a worker that started afresh (OPAD_WORKER_MAX_RSS_MB) is ready again,
    so its RSS is read in a steady state, not half-way through its start."""

    def ready() -> bool:
        text = log.read_text(errors="replace")
        return text.rfind(" ready: ") > text.rfind(" MB after jobs in ")  # a drain's line

    time.sleep(1)  # a drain begins just after its last job's status is written
    wait_until(ready, 120, "the worker to be ready")
    time.sleep(1)


def worker_memory(codes: tuple[str, ...], max_rss_mb: str) -> dict[str, Any]:
    """A reading in each language by one leveler worker process with OPAD_WORKER_MAX_RSS_MB
    `max_rss_mb` ("0": never starts afresh): its RSS once all are done (MB), the peak on
    the way (sampled every 50 ms), and how many times it started afresh."""
    with private_redis() as redis_server, tempfile.TemporaryDirectory() as tmp:
        data = Path(tmp)
        # INFO: the log's "ready" and "starting afresh" lines are what is waited for.
        env = opad_env(data, redis_server.url, OPAD_ENGINE="leveler", OPAD_SPEECH="off",
                       OPAD_WORKER_MAX_RSS_MB=max_rss_mb, OPAD_LOG_LEVEL="INFO")  # fmt: skip
        services = migrated_services(env)
        worker = spawn(WORKER, env, data / "worker.log")
        sampler = RssSampler(worker.pid)
        try:
            _readings(services, codes)
            _settled(worker, data / "worker.log")
            return {
                "rss_mb": rss_mb(worker.pid),
                "peak_mb": sampler.peak() / 1024,
                "fresh_starts": (data / "worker.log").read_text().count("starting afresh"),
            }
        finally:
            sampler.stop()
            stop(worker)
            services.close()


def run_once(codes: tuple[str, ...] = CODES) -> dict[str, Any]:
    """Readings in `codes`, then a fresh API each way; the worker's memory with and
    without OPAD_WORKER_MAX_RSS_MB."""
    with private_redis() as redis_server, tempfile.TemporaryDirectory() as tmp:
        data = Path(tmp)
        dirs = f"{indexed_dictionaries()}:/usr/share/dictd"
        env = opad_env(
            data, redis_server.url, OPAD_ENGINE="leveler", OPAD_SPEECH="off", OPAD_DICT_DIRS=dirs
        )
        services = migrated_services(env)
        worker = spawn(WORKER, env, data / "worker.log")
        try:
            articles = _readings(services, codes)
            words = {code: (a, _words(services, a)) for code, a in articles.items()}
        finally:
            stop(worker)
            services.close()
        # The lookup cache is in the database: a round after the first finds the same
        # words' entries there (no dictionary read), which favours the later rounds.
        lookups = {
            "stored": _lookups(env, data, words, stored=True),
            "computed": _lookups(env, data, words, stored=False),
        }
    # The default limit (600 MB) against none, in the same run.
    bounded, unbounded = worker_memory(codes, "600"), worker_memory(codes, "0")
    return {"worker_rss_mb": bounded["rss_mb"], "worker": bounded,
            "worker_unbounded": unbounded, **lookups}  # fmt: skip


if __name__ == "__main__":
    chosen = tuple(sys.argv[1].split(",")) if len(sys.argv) > 1 else CODES
    print(json.dumps(run_once(chosen), indent=2))
