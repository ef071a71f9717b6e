"""First job in a language on a fresh worker against a warm one (OPAD_WORKER_WARM).

`python -m bench.first_job [CODES]` (default: en,de,ja): per language, a fresh
`opad worker` (leveler, one process, speech off) on a private Redis and SQLite, without
and with OPAD_WORKER_WARM set to that language. Once it has registered, one job from a
packaged library text (the second; warming reads the first), then two more (the third
and fourth), each cut to about 150 words; seconds from enqueue to `succeeded` on the live
status. The figure: the first job ÷ the median of the two later ones, cold and warm, the
worker's start (spawn → registered) and its RSS after the jobs.
"""

from __future__ import annotations

import json
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from bench.common import migrated_services, opad_env, private_redis, rss_mb, spawn, stop, wait_until
from opad.engines.sources import PACKAGED_LIBRARY, load_library
from opad.inputs import ArticleCreate
from opad.languages import find_language
from opad.services.articles import create_and_enqueue
from opad.users import LOCAL_USER_ID
from opad.worker.warm import sample_text

OPAD = [sys.executable, "-m", "opad", "worker", "--processes", "1"]


def _text(code: str, index: int) -> str:
    """About 150 words (300 characters for languages written without spaces) of library
    text `index`, so that the jobs compared do the same amount of work."""
    texts = load_library(PACKAGED_LIBRARY, code)
    body = sample_text(code) if len(texts) <= index else texts[index][1].body
    words = body.split()
    return " ".join(words[:150]) if len(words) > 50 else body[:300]


def one_language(code: str, warm: bool) -> dict[str, Any]:
    """Start a worker, time two jobs in `code`."""
    lang = find_language(code)
    assert lang is not None
    with private_redis() as redis_server:
        folder = Path(tempfile.mkdtemp(prefix="opad-bench-first-"))
        env = opad_env(
            folder,
            redis_server.url,
            OPAD_ENGINE="leveler",
            OPAD_SPEECH="off",
            OPAD_WORKER_WARM=code if warm else "",
        )
        services = migrated_services(env)
        client = redis_server.client()
        started = time.perf_counter()
        worker = spawn(OPAD, env, folder / "worker.log")
        try:
            wait_until(lambda: client.scard("opad:workers") == 1, 300, "the worker")
            ready = time.perf_counter() - started
            times = []
            for index in (1, 2, 3):
                body = ArticleCreate(
                    language=lang.name, level="B1", length=80, source_text=_text(code, index)
                )
                t0 = time.perf_counter()
                job = create_and_enqueue(services, body, LOCAL_USER_ID)["job_id"]

                def done(job: str = job) -> bool:
                    status = (services.queue.read_status(job) or {}).get("status")
                    if status in ("failed", "cancelled"):
                        raise RuntimeError(f"job {job} {status}")
                    return status == "succeeded"

                # Polled every 5 ms: a warm job takes ~0.1 s, which 50 ms steps blurred.
                wait_until(done, 300, "the job", interval=0.005)
                times.append(time.perf_counter() - t0)
            rss = rss_mb(worker.pid)
        finally:
            stop(worker)
            services.close()
    later = statistics.median(times[1:])
    return {"start_s": ready, "first_s": times[0], "second_s": later,
            "ratio": times[0] / later, "rss_mb": rss}  # fmt: skip


def run_once(codes: tuple[str, ...] = ("en", "de", "ja")) -> dict[str, Any]:
    """Every language, cold then warm."""
    return {
        f"{code}_{'warm' if warm else 'cold'}": one_language(code, warm)
        for code in codes
        for warm in (False, True)
    }


if __name__ == "__main__":
    chosen = tuple(sys.argv[1].split(",")) if len(sys.argv) > 1 else ("en", "de", "ja")
    print(json.dumps(run_once(chosen), indent=2))
