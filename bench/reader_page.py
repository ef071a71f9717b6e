"""The reader page: the web's RSS idle and after showing a Japanese and a Chinese reading,
the time to open a reading page, and (with --convert) what the one-time analysis of
readings stored before typed bodies does.

Real processes (api, one worker process on the leveler, web) on a private Redis and SQLite.
`--before SRC` runs the same measurement with another checkout's `src/` first on the path
(e.g. `git archive <commit> src | tar -x -C /tmp/before`), so before and after are measured
in the same run, on the same machine, with the same texts:

    python -m bench.reader_page --before /tmp/before/src            # both, with ratios
    python -m bench.reader_page --before /tmp/before/src --convert  # old readings → new code
"""

from __future__ import annotations

import argparse
import hashlib
import json
import statistics
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx

from bench.common import (
    OPAD,
    free_port,
    opad_env,
    private_redis,
    rss_mb,
    save,
    spawn,
    start_api,
    stop,
    wait_until,
)

TEXTS = {
    "Japanese": (
        "町の中心に新しい図書館ができました。建物は三階建てで、子どもから高齢者まで誰でも"
        "利用できます。一階には絵本のコーナーがあり、週末には読み聞かせの会が開かれます。"
        "二階は静かに勉強できる部屋で、学生がたくさん集まっています。三階には地域の歴史を"
        "紹介する展示があり、古い写真や地図を見ることができます。館長は「本を通じて人と人が"
        "つながる場所にしたい」と話しています。開館から一か月で、すでに一万人以上が訪れました。"
    ),
    "Chinese": (
        "我们城市的中心新开了一家图书馆。这座建筑有三层，从孩子到老人，每个人都可以使用。"
        "一楼有儿童绘本区，周末还有讲故事的活动。二楼是安静的自习室，很多学生在那里学习。"
        "三楼有介绍本地历史的展览，可以看到老照片和旧地图。馆长说，希望这里成为人们通过书"
        "互相联系的地方。开馆一个月以来，已经有一万多人来参观了。"
    ),
}
OPENS = 20  # page opens timed per reading (after a first, untimed one)


@contextmanager
def stack(folder: Path, redis_url: str, src: str | None) -> Iterator[dict[str, Any]]:
    """api, worker and web of the code at `src` (None: this checkout)."""
    extra = {"OPAD_SPEECH": "off", "OPAD_ENGINE": "leveler", "OPAD_WORKER_PROCESSES": "1"}
    if src:
        extra["PYTHONPATH"] = src
    env = opad_env(folder, redis_url, **extra)
    api, api_url = start_api(env, folder)
    procs = [api]
    try:
        procs.append(spawn([*OPAD, "worker"], env, folder / f"worker-{len(procs)}.log"))
        port = free_port()
        web = spawn([*OPAD, "web", "--port", str(port)], {**env, "OPAD_API_URL": api_url},
                    folder / "web.log")  # fmt: skip
        procs.append(web)
        web_url = f"http://127.0.0.1:{port}"
        wait_until(lambda: httpx.get(f"{web_url}/health").status_code == 200, 120, "the web")
        yield {"api": api_url, "web": web_url, "web_pid": web.pid}
    finally:
        for proc in reversed(procs):
            stop(proc)


def make_readings(api: str) -> dict[str, str]:
    """One leveler reading of each text; {language: article id}."""
    out = {}
    for language, text in TEXTS.items():
        body = {"language": language, "level": "B1", "length": 300, "source_text": text}
        accepted = httpx.post(f"{api}/generate", json=body, timeout=30).json()
        job = accepted["job_id"]

        def done(job: str = job) -> bool:
            status = httpx.get(f"{api}/jobs/{job}").json()["status"]
            assert status not in ("failed", "cancelled"), status
            return bool(status == "succeeded")

        wait_until(done, 300, f"the {language} reading")
        out[language] = accepted["article_id"]
    return out


def measure_pages(urls: dict[str, str], ids: dict[str, str]) -> dict[str, Any]:
    """Web RSS idle, after showing each reading once, and page-open times (ms)."""
    with httpx.Client(base_url=urls["web"], timeout=60) as http:
        http.get("/")
        time.sleep(3)
        idle = rss_mb(urls["web_pid"])
        first_ms = {}
        for language, ident in ids.items():
            started = time.perf_counter()
            page = http.get(f"/articles/{ident}")
            first_ms[language] = round((time.perf_counter() - started) * 1000, 1)
            assert page.status_code == 200
        time.sleep(3)
        after = rss_mb(urls["web_pid"])
        opens: dict[str, float] = {}
        for language, ident in ids.items():
            times = []
            for _ in range(OPENS):
                started = time.perf_counter()
                page = http.get(f"/articles/{ident}")
                times.append((time.perf_counter() - started) * 1000)
            words = page.text.count('class="w ')
            opens[language] = round(statistics.median(times), 1)
            opens[f"{language} words"] = words
    return {"web_rss_idle_mb": idle, "web_rss_after_cjk_mb": after,
            "first_open_ms": first_ms, "open_ms_median": opens}  # fmt: skip


def run(src: str | None) -> dict[str, Any]:
    """The measurement for the code at `src` (None: this checkout)."""
    with private_redis() as redis_server:
        folder = Path(tempfile.mkdtemp(prefix="opad-bench-reader-"))
        with stack(folder, redis_server.url, src) as urls:
            ids = make_readings(urls["api"])
            return measure_pages(urls, ids)


def convert(before: str) -> dict[str, Any]:
    """Readings made by the code at `before`, then opened with this checkout's code: what
    the one-time analysis did (and that the stored text did not change)."""
    with private_redis() as redis_server:
        folder = Path(tempfile.mkdtemp(prefix="opad-bench-convert-"))
        with stack(folder, redis_server.url, before) as urls:
            ids = make_readings(urls["api"])
        store = folder / "content" / "articles"
        digest = {i: hashlib.sha256((store / i / "article.md").read_bytes()).hexdigest()
                  for i in ids.values()}  # fmt: skip
        had = {i: (store / i / "reading.json").exists() for i in ids.values()}
        with stack(folder, redis_server.url, None) as urls, httpx.Client(timeout=60) as http:
            first = {}
            for language, ident in ids.items():
                page = http.get(f"{urls['web']}/articles/{ident}").text
                first[language] = {"words": page.count('class="w '),
                                   "notice": "older version of OPAD" in page}  # fmt: skip
            started = time.perf_counter()

            def analyzed() -> bool:
                return all(
                    http.get(f"{urls['api']}/articles/{i}/reading").status_code == 200
                    for i in ids.values()
                )

            wait_until(analyzed, 120, "the old readings' analysis")
            seconds = round(time.perf_counter() - started, 2)
            then = {
                language: http.get(f"{urls['web']}/articles/{ident}").text.count('class="w ')
                for language, ident in ids.items()
            }
        unchanged = all(
            hashlib.sha256((store / i / "article.md").read_bytes()).hexdigest() == digest[i]
            for i in ids.values()
        )
        return {
            "readings": len(ids),
            "had_reading_json_before": had,
            "first_view": first,
            "analyzed_within_s": seconds,
            "words_after": then,
            "text_unchanged": unchanged,
        }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--before", help="src/ of the code to compare with")
    parser.add_argument("--convert", action="store_true", help="old readings → this code")
    args = parser.parse_args()
    if args.convert:
        if not args.before:
            sys.exit("--convert needs --before SRC")
        result: dict[str, Any] = {"convert": convert(args.before)}
    else:
        result = {"after": run(None)}
        if args.before:
            result["before"] = run(args.before)
            b, a = result["before"], result["after"]
            ratios = {k: round(a[k] / b[k], 2) for k in ("web_rss_idle_mb", "web_rss_after_cjk_mb")}
            for lang in TEXTS:
                ratios[f"open {lang}"] = round(
                    a["open_ms_median"][lang] / b["open_ms_median"][lang], 2
                )
            result["ratios_after_over_before"] = ratios
    print(json.dumps(result, indent=2, ensure_ascii=False))
    save("reader_page" + ("_convert" if args.convert else ""), result)


if __name__ == "__main__":
    main()
