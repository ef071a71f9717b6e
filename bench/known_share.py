"""Known words % for a library page: `list_articles` with the learner's shares, in process,
on SQLite and (given an admin URL) PostgreSQL.

    python -m bench.known_share [--readings 500] [--pg postgresql://postgres@127.0.0.1/test]

Seeds N ready readings (the shipped English library texts, round robin) and a learner who
knows every lemma of half of them, then times: indexing every reading's words (a worker
does it for each reading it makes; the first includes loading the lemmatizer), a
50-reading page with shares, the same page filtered to "known words ≥ 80%", and one
reading's detail. Results in bench/results/known_share.json;
figures in docs/benchmarks.md ("Known words %").
"""

from __future__ import annotations

import argparse
import tempfile
import time
import uuid
from pathlib import Path
from typing import Any

from sqlalchemy import event

from bench.common import (
    ROOT,
    machine,
    migrated_services,
    new_pg_database,
    opad_env,
    percentile,
    private_redis,
    save,
)
from opad.db.models import Article
from opad.reading.analyze import analyze
from opad.services import articles, known_share, words
from opad.users import LOCAL_USER_ID

RUNS = 30


def texts() -> list[str]:
    """The English library texts as reading markdown (title line + body)."""
    out = []
    for path in sorted((ROOT / "src" / "opad" / "library" / "en").glob("*.md")):
        _, front, body = path.read_text().split("---", 2)
        title = next((ln[6:].strip() for ln in front.splitlines() if ln.startswith("title:")), "")
        out.append(f"# {title}\n\n{body.strip()}\n")
    return out


def ms(seconds: float) -> float:
    return round(seconds * 1000, 2)


def timed(action: Any) -> list[float]:
    runs = []
    for _ in range(RUNS):
        start = time.perf_counter()
        action()
        runs.append(ms(time.perf_counter() - start))
    return runs


def sql_times(services: Any, action: Any) -> list[float]:
    """The time of each SQL statement `action` runs, in milliseconds, in order."""
    times: list[float] = []

    def before(conn: Any, *_: Any) -> None:
        conn.info["bench_t"] = time.perf_counter()

    def after(conn: Any, *_: Any) -> None:
        times.append(ms(time.perf_counter() - conn.info["bench_t"]))

    event.listen(services.db.engine, "before_cursor_execute", before)
    event.listen(services.db.engine, "after_cursor_execute", after)
    try:
        action()
    finally:
        event.remove(services.db.engine, "before_cursor_execute", before)
        event.remove(services.db.engine, "after_cursor_execute", after)
    return times


def measure(database_url: str | None, readings: int) -> dict[str, Any]:
    with tempfile.TemporaryDirectory() as tmp, private_redis() as redis_server:
        extra = {"DATABASE_URL": database_url} if database_url else {}
        services = migrated_services(opad_env(Path(tmp), redis_server.url, **extra))
        corpus = texts()
        # What a worker stores with each reading: its typed body (analyzed once per text).
        bodies = [analyze(text, "en") for text in corpus]
        ids = []
        for n in range(readings):
            article_id = str(uuid.uuid4())
            services.store.put_reading(article_id, bodies[n % len(corpus)].to_json())
            key = services.store.put(article_id, corpus[n % len(corpus)], "{}")
            with services.db.session() as session:
                session.add(Article(id=article_id, owner_id=LOCAL_USER_ID, language="English",
                                    level="B1", length=300, topic="bench", status="ready",
                                    content_key=key))  # fmt: skip
            ids.append(article_id)
        known = sorted({lemma for body in bodies[::2] for lemma in body.lemma_counts()})
        words.mark_known(services, LOCAL_USER_ID, "en", known)

        def page(**filters: Any) -> dict[str, Any]:
            return articles.list_articles(
                services, limit=50, offset=0, owner_id=None, viewer_id=LOCAL_USER_ID, **filters
            )

        start = time.perf_counter()
        assert known_share.index_readings(services, None) == readings  # as workers do
        indexing = ms(time.perf_counter() - start)
        assert all(item["known_share"] is not None for item in page()["items"])
        plain = timed(page)
        filtered = timed(lambda: page(known_min=80))
        detail = timed(lambda: articles.get_article(services, ids[0], None, LOCAL_USER_ID))
        matching = page(known_min=80)["total"]
        sql = {
            "page_of_50": sql_times(services, page),
            "page_of_50_known_min_80": sql_times(services, lambda: page(known_min=80)),
        }
        services.close()

        def stats(values: list[float]) -> dict[str, float]:
            return {"p50_ms": percentile(values, 50), "p95_ms": percentile(values, 95)}

        return {
            "readings": readings,
            "known_lemmas": len(known),
            "index_all_readings_ms": indexing,
            "page_of_50": stats(plain),
            "page_of_50_known_min_80": {**stats(filtered), "matching": matching},
            "one_reading_detail": stats(detail),
            "sql_statements_ms": sql,
        }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--readings", type=int, default=500)
    parser.add_argument("--pg", help="a PostgreSQL admin URL (a database is made and dropped)")
    args = parser.parse_args()
    result: dict[str, Any] = {"machine": machine(), "sqlite": measure(None, args.readings)}
    if args.pg:
        url, drop = new_pg_database(args.pg)
        try:
            pg = url.replace("postgresql://", "postgresql+psycopg://", 1)
            result["postgresql"] = measure(pg, args.readings)
        finally:
            drop()
    print(save("known_share", result))
    for name in ("sqlite", "postgresql"):
        if name in result:
            print(name, result[name])


if __name__ == "__main__":
    main()
