"""`make bench`: every benchmark three times, results in bench/results/, then the report.

    python -m bench.run_all [--quick]

--quick runs each benchmark once at a smaller size (to check the harness, not to report).
"""

from __future__ import annotations

import os
import sys
import traceback
from collections.abc import Callable
from typing import Any

from bench import (
    accept,
    audio,
    first_job,
    first_lookup,
    footprint,
    images,
    known_share,
    lookup,
    pickup,
    queue_throughput,
)
from bench.common import PEERS_PYTHON, machine, save
from bench.report import write_report

PG = os.environ.get("OPAD_TEST_DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/test")


def repeat(name: str, runs: int, fn: Callable[[], Any]) -> list[Any]:
    """Run a benchmark `runs` times; a failed run is recorded as its error."""
    results = []
    for n in range(runs):
        print(f"[bench] {name}: run {n + 1} of {runs}", flush=True)
        try:
            results.append(fn())
        except Exception as exc:  # keep the other figures
            traceback.print_exc()
            results.append({"error": f"{type(exc).__name__}: {exc}"})
        save(name, results)
    return results


def pg_available() -> str | None:
    """The PostgreSQL admin URL when a server answers there."""
    try:
        import psycopg

        psycopg.connect(PG, connect_timeout=2).close()
        return PG
    except Exception:
        return None


def main() -> None:
    quick = "--quick" in sys.argv
    runs = 1 if quick else 3
    pg = pg_available()
    if quick:
        accept.PACED_SECONDS, accept.SATURATE_SECONDS = 3, 3
        queue_throughput.JOBS, queue_throughput.RQ_FORK_JOBS = 500, 200
        pickup.JOBS = 100
    if not PEERS_PYTHON.exists():
        sys.exit("bench/.peers is missing: run `make bench` (it installs RQ, arq and SAQ there)")
    save("machine", machine())
    repeat("footprint", runs, footprint.run_once)
    repeat("pickup", runs, lambda: pickup.run_once(pickup.JOBS))
    before = os.environ.get("OPAD_BENCH_BEFORE")  # a `git archive` src/ to compare with
    repeat("accept", runs, lambda: accept.run_once(pg, before))
    repeat("queue", runs, lambda: queue_throughput.run_once(pg))
    repeat("lookup", runs, lookup.run_once)
    repeat("audio", 1, lambda: audio.main(runs))  # it repeats and summarises itself
    repeat("known_share", runs, lambda: known_share.measure(None, 30 if quick else 100))
    repeat("first_job", runs, lambda: first_job.run_once(("en",) if quick else ("en", "de", "ja")))
    repeat(
        "first_lookup",
        runs,
        lambda: first_lookup.run_once(("de", "ja") if quick else first_lookup.CODES),
    )
    repeat("images", 1, images.run_once)  # sizes only: building them is `make images`
    crew = _crew()
    if crew is not None:
        repeat("crew_concurrency", runs, crew)
    _learner_crew(runs)
    write_report()


def _learner_crew(runs: int) -> None:
    """First words (a browser on a real stack) and tokens per reading: need the crew extra."""
    try:
        from bench import first_words, tokens
    except ImportError as exc:
        print(f"[bench] first words and tokens skipped: {exc}", flush=True)
        return
    repeat("tokens", 1, tokens.measure)  # deterministic: one run gives the figures
    # One stack, one warm-up reading, then `runs` readings (a stack per run would triple
    # the warm-up; the rows are what the report takes the median of).
    repeat("first_words", 1, lambda: first_words.run(runs, 30.0, 1.0))


def _crew() -> Callable[[], Any] | None:
    try:
        from bench import crew_concurrency
    except ImportError:
        return None
    fn = getattr(crew_concurrency, "run_once", None)
    return fn if callable(fn) else None


if __name__ == "__main__":
    main()
